// Demo data, loaded by `npm start` (idempotent): the province directory's agencies, one round
// "Kế hoạch CCHC năm 2023" in Nam Định, Sở Nội vụ accounts, one account per seed annex (each seed
// submitted as its agency, at a date before or after the deadline) and two officers of one agency.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { textToGrid, type Grid } from '../engine/index.js';
import type { AuthUser } from './auth/index.js';
import type { Role } from './db/index.js';
import { directory, readFileToGrids } from './domain/engine.js';
import { createRound } from './domain/rounds.js';
import * as rounds from './data/rounds.js';
import * as submissions from './data/submissions.js';
import type { Services } from './domain/services.js';
import { submit } from './domain/submissions.js';
import { createUser, findUserByUsername } from './domain/users.js';
import { verifyPassword } from './auth/index.js';
import * as users from './data/users.js';
import { writeAudit } from './domain/audit.js';
import { nowIso } from './domain/services.js';

export const DEMO_PASSWORD = 'phuluc2026';
export const DEMO_PROVINCE = 'nam-dinh';
export const DEMO_ROUND_TITLE = 'Kế hoạch CCHC năm 2023';
const YEAR = 2023;
const DEADLINE = '2023-01-05';

interface DemoAgency {
  key: string;
  name: string;
  /** Seed annex this agency submits, and when (the demo clock) — some before the deadline, some after. */
  seed?: string;
  submittedAt?: string;
  users: { username: string; displayName: string }[];
}

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    key: 'so-tu-phap',
    name: 'Sở Tư pháp',
    seed: '000_683635a77beddbc9.txt',
    submittedAt: '2022-12-30T09:15:00+07:00',
    users: [
      { username: 'tuphap', displayName: 'Nguyễn Thị Lan (Sở Tư pháp)' },
      { username: 'tuphap2', displayName: 'Trần Văn Hùng (Sở Tư pháp)' },
    ],
  },
  {
    key: 'so-tai-chinh',
    name: 'Sở Tài chính',
    seed: '001_03fdc25defdea198.txt',
    submittedAt: '2023-01-04T16:40:00+07:00',
    users: [{ username: 'taichinh', displayName: 'Lê Minh Tuấn (Sở Tài chính)' }],
  },
  {
    key: 'so-ke-hoach-va-dau-tu',
    name: 'Sở Kế hoạch và Đầu tư',
    seed: '002_2bb1168879fd1a86.txt',
    submittedAt: '2023-01-09T10:05:00+07:00',
    users: [{ username: 'khdt', displayName: 'Phạm Thu Hà (Sở Kế hoạch và Đầu tư)' }],
  },
  {
    key: 'so-thong-tin-va-truyen-thong',
    name: 'Sở Thông tin và Truyền thông',
    seed: '004_065c492f3d915851.txt',
    submittedAt: '2023-01-05T08:30:00+07:00',
    users: [{ username: 'tttt', displayName: 'Đỗ Quang Vinh (Sở Thông tin và Truyền thông)' }],
  },
  { key: 'so-y-te', name: 'Sở Y tế', users: [{ username: 'yte', displayName: 'Vũ Thị Mai (Sở Y tế)' }] },
  { key: 'so-xay-dung', name: 'Sở Xây dựng', users: [] },
];

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  agency: string;
}

export interface DemoResult {
  roundId: string;
  accounts: DemoAccount[];
  /** Seeds submitted by this run (empty when the demo was already loaded). */
  submitted: { agency: string; version: number; errors: number; warnings: number; tasks: number }[];
  problems: string[];
}

/** Directory id and canonical name of an agency of the demo province, falling back to a stable slug. */
async function agencyId(name: string, key: string): Promise<{ id: string; name: string }> {
  const dir = await directory();
  const hit = dir
    ?.resolve(name, { province: DEMO_PROVINCE, date: `${YEAR}-01-01` })
    .find((r) => r.kind === 'agency' && r.id);
  return hit?.id ? { id: hit.id, name: hit.name ?? name } : { id: `${DEMO_PROVINCE}.${key}`, name };
}

async function ensureUser(
  s: Services,
  u: { username: string; displayName: string; role: Role; agencyId: string | null; agencyName: string | null },
): Promise<AuthUser> {
  const found = await findUserByUsername(s, u.username);
  if (found) return found;
  return createUser(s, { ...u, password: DEMO_PASSWORD, province: DEMO_PROVINCE, demo: true });
}

async function seedGrids(root: string, file: string): Promise<Grid[]> {
  const bytes = readFileSync(join(root, 'seeds', file));
  try {
    return await readFileToGrids(bytes, file);
  } catch {
    // The file adapters may not be installed; the seeds are plain text, which the engine reads itself.
    return [textToGrid(bytes.toString('utf8'), file)];
  }
}

export async function loadDemo(s: Services, root: string): Promise<DemoResult> {
  const problems: string[] = [];
  const accounts: DemoAccount[] = [];
  const noiVu = await agencyId('Sở Nội vụ', 'so-noi-vu');
  const admin = await ensureUser(s, {
    username: 'admin',
    displayName: 'Quản trị Sở Nội vụ',
    role: 'admin',
    agencyId: noiVu.id,
    agencyName: noiVu.name,
  });
  accounts.push({ username: 'admin', password: DEMO_PASSWORD, role: 'admin', agency: noiVu.name });
  await ensureUser(s, {
    username: 'chuyenvien',
    displayName: 'Chuyên viên CCHC, Sở Nội vụ',
    role: 'reviewer',
    agencyId: noiVu.id,
    agencyName: noiVu.name,
  });
  accounts.push({ username: 'chuyenvien', password: DEMO_PASSWORD, role: 'reviewer', agency: noiVu.name });

  const agencies = [];
  for (const a of DEMO_AGENCIES) {
    const ref = await agencyId(a.name, a.key);
    const users: AuthUser[] = [];
    for (const u of a.users) {
      users.push(await ensureUser(s, { ...u, role: 'agency', agencyId: ref.id, agencyName: ref.name }));
      accounts.push({ username: u.username, password: DEMO_PASSWORD, role: 'agency', agency: ref.name });
    }
    agencies.push({ ...a, ref, users });
  }

  const round = await rounds.findRoundByTitle(s.db, DEMO_ROUND_TITLE, DEMO_PROVINCE);
  const roundId =
    round?.id ??
    (
      await createRound({ ...s, now: () => new Date('2022-12-01T08:00:00+07:00') }, admin, {
        title: DEMO_ROUND_TITLE,
        year: YEAR,
        province: DEMO_PROVINCE,
        deadline: DEADLINE,
        expected: agencies.map((a) => a.ref),
      })
    ).id;

  const submitted: DemoResult['submitted'] = [];
  for (const a of agencies) {
    if (!a.seed || !a.users.length) continue;
    // Once the agency has submitted, later versions are the officers' own: never overwrite them.
    const already = await submissions.submissionOf(s.db, roundId, a.ref.id);
    if (already) continue;
    try {
      const grids = await seedGrids(root, a.seed);
      const at = new Date(a.submittedAt ?? Date.now());
      const r = await submit({ ...s, now: () => at }, a.users[0], roundId, { grids, source: 'file', fileName: a.seed });
      submitted.push({
        agency: a.ref.name,
        version: r.version,
        errors: r.report.stats.errors,
        warnings: r.report.stats.warnings,
        tasks: r.report.stats.tasks,
      });
    } catch (err) {
      problems.push(`${a.ref.name} (${a.seed}): ${(err as Error).message}`);
    }
  }
  return { roundId, accounts, submitted, problems };
}

/** Every username the demo loader creates. */
export const DEMO_USERNAMES = ['admin', 'chuyenvien', ...DEMO_AGENCIES.flatMap((a) => a.users.map((u) => u.username))];

/**
 * Demo accounts in the database: those the loader marked, and (databases from before the mark) any
 * account with a demo username that still opens with the published demo password.
 */
export async function demoAccountsIn(s: Services): Promise<{ demo: string[]; others: number }> {
  const census = await users.demoCensus(s.db);
  const demo = new Set(census.demo);
  let others = census.others;
  for (const name of DEMO_USERNAMES) {
    if (demo.has(name)) continue;
    const row = await users.findUserByUsername(s.db, name);
    if (row && Number(row.demo) !== 1 && (await verifyPassword(DEMO_PASSWORD, row.password_hash))) {
      demo.add(name);
      others--;
    }
  }
  return { demo: [...demo].sort(), others };
}

export class DemoRefused extends Error {
  override name = 'DemoRefused';
}

/** A refused start: audited, then thrown with the reason. */
async function refuseStart(s: Services, detail: Record<string, unknown>, reason: string): Promise<never> {
  await writeAudit(s.db, null, nowIso(s), { action: 'demo.refused', targetType: 'user', targetId: 'demo', detail });
  throw new DemoRefused(reason);
}

/** A demo start: refused when the database holds accounts that are not demo ones (real data). */
export async function assertDemoAllowed(s: Services, where: string): Promise<void> {
  const { others } = await demoAccountsIn(s);
  if (others === 0) return;
  await refuseStart(
    s,
    { mode: 'demo', realAccounts: others },
    `${where} có ${others} tài khoản thật, nên không nạp dữ liệu dùng thử (mật khẩu ai cũng biết) vào đó. ` +
      'Chạy bản thật bằng "npm run serve" (DEMO=0), hoặc chạy bản dùng thử trên cơ sở dữ liệu riêng (bỏ DATABASE_URL để dùng tệp .data/phuluc-demo.sqlite).',
  );
}

/** A production start: refused while demo accounts (with the published password) exist, naming them. */
export async function assertProductionAllowed(s: Services, where: string): Promise<void> {
  const { demo } = await demoAccountsIn(s);
  if (!demo.length) return;
  await refuseStart(
    s,
    { mode: 'production', demoAccounts: demo },
    `${where} có tài khoản dùng thử với mật khẩu công khai: ${demo.join(', ')}. Bản chạy thật không khởi động trên cơ sở dữ liệu này. ` +
      'Hãy dùng cơ sở dữ liệu riêng cho bản chạy thật (bản dùng thử nằm ở .data/phuluc-demo.sqlite), hoặc xoá các tài khoản này.',
  );
}
