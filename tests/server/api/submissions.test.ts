// The submission flow end to end over HTTP: sign-in, per-agency access, seeds uploaded as xlsx,
// duplicates, racing resubmissions, stale base versions, diffs, review, lock and the audit trail.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { readFileToGrids, writeGridsXlsx } from '../../../io/index.js';
import { readAnnex, validate, type Grid } from '../../../engine/index.js';
import { defaultDirectory } from '../../../data/index.js';
import { addUser, Client, PASSWORD, pickAgencies, startServer, type TestServer } from './harness.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const targets = [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
];

const SEEDS = [
  '000_683635a77beddbc9.txt',
  '001_03fdc25defdea198.txt',
  '002_2bb1168879fd1a86.txt',
  '004_065c492f3d915851.txt',
];

let t: TestServer;
let admin: Client;
let reviewer: Client;
const officers: Client[] = [];
let agencies: { id: string; name: string }[];
let planAgency: { id: string; name: string };
let roundId: string;
const xlsx: Uint8Array[] = [];
const submissionIds: string[] = [];

async function seedXlsx(file: string): Promise<Uint8Array> {
  const grids = await readFileToGrids(readFileSync(`seeds/${file}`), file);
  return writeGridsXlsx(grids);
}

/** A copy of grids with one cell's text changed (to make a new version). */
function edited(grids: Grid[], mark: string): Grid[] {
  const copy = structuredClone(grids);
  const g = copy[0];
  g.rows.push({ index: (g.rows.at(-1)?.index ?? 0) + 5, cells: [{ text: '' }, { text: `Ghi chú sửa đổi ${mark}` }] });
  return copy;
}

for (const target of targets) {
  describe.skipIf(target.skip)(`API on ${target.name}`, () => {
    beforeAll(async () => {
      officers.length = 0;
      xlsx.length = 0;
      submissionIds.length = 0;
      t = await startServer({ pgUrl: target.url });
      await addUser(t, 'admin', 'admin', null);
      admin = new Client(t.base);
      await admin.login('admin');
      const picked = await pickAgencies(admin, 6);
      agencies = picked.slice(0, 5);
      planAgency = picked[5];
      await addUser(t, 'reviewer', 'reviewer', null);
      reviewer = new Client(t.base);
      await reviewer.login('reviewer');
      for (let i = 0; i < 5; i++) {
        await addUser(t, `officer${i}`, 'agency', agencies[i]);
        const c = new Client(t.base);
        await c.login(`officer${i}`);
        officers.push(c);
      }
      const r = await admin.post('/api/rounds', {
        title: 'Kế hoạch CCHC năm 2023',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2099-01-05',
        expectedAgencyIds: agencies.map((a) => a.id),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      roundId = r.body.round.id;
      for (const s of SEEDS) xlsx.push(await seedXlsx(s));
    });

    afterAll(async () => {
      await t?.close();
    });

    describe('sign-in and access', () => {
      it('refuses a wrong password and unauthenticated calls, in Vietnamese', async () => {
        const c = new Client(t.base);
        const bad = await c.post('/api/auth/login', { username: 'officer0', password: 'sai' });
        expect(bad.status).toBe(401);
        expect(bad.body.error.code).toBe('auth.invalid-credentials');
        expect(bad.body.error.message).toMatch(/mật khẩu không đúng/);
        const anon = await c.get('/api/me');
        expect(anon.status).toBe(401);
        expect(anon.body.error.code).toBe('auth.required');
      });

      it('stops password guessing after 5 failures for a username from one address', async () => {
        const c = new Client(t.base);
        for (let i = 0; i < 5; i++)
          expect((await c.post('/api/auth/login', { username: 'reviewer', password: `doan-${i}` })).status).toBe(401);
        const blocked = await c.post('/api/auth/login', { username: 'reviewer', password: PASSWORD });
        expect(blocked.status).toBe(429);
        expect(blocked.body.error.code).toBe('auth.too-many-attempts');
        // Other accounts are unaffected.
        expect((await c.post('/api/auth/login', { username: 'officer2', password: PASSWORD })).status).toBe(200);
      });

      it('signs in with a session cookie and reports the user', async () => {
        const me = await officers[0].get('/api/me');
        expect(me.status).toBe(200);
        expect(me.body.user).toMatchObject({ username: 'officer0', role: 'agency', agencyId: agencies[0].id });
        expect(me.body.user).not.toHaveProperty('password_hash');
      });

      it('signing out ends the session on the server, not only in the browser', async () => {
        const c = new Client(t.base);
        await c.login('officer3');
        const kept = c.cookie;
        expect((await c.post('/api/auth/logout')).status).toBe(200);
        const replay = new Client(t.base);
        replay.cookie = kept;
        expect((await replay.get('/api/me')).status).toBe(401);
      });

      it('the admin creates agency accounts; others cannot; usernames are unique', async () => {
        const body = {
          username: 'canbo.moi',
          password: 'mat-khau-dai-2026',
          displayName: 'Cán bộ mới',
          role: 'agency',
          agencyId: agencies[0].id,
        };
        expect((await reviewer.post('/api/users', body)).status).toBe(403);
        const created = await admin.post('/api/users', body);
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect(created.body.user).toMatchObject({
          username: 'canbo.moi',
          role: 'agency',
          agencyId: agencies[0].id,
          agencyName: agencies[0].name,
        });
        const again = await admin.post('/api/users', body);
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('user.exists');
        const noAgency = await admin.post('/api/users', { ...body, username: 'canbo.khac', agencyId: undefined });
        expect(noAgency.status).toBe(400);
        expect(noAgency.body.error.where.field).toBe('agencyId');
        const c = new Client(t.base);
        await c.login('canbo.moi', 'mat-khau-dai-2026');
        expect((await c.get('/api/me')).body.user.agencyId).toBe(agencies[0].id);
        const wrong = await c.post('/api/me/password', {
          currentPassword: 'khong-dung',
          newPassword: 'mat-khau-moi-2027',
        });
        expect(wrong.status).toBe(401);
        const other = new Client(t.base);
        await other.login('canbo.moi', 'mat-khau-dai-2026');
        expect(
          (await c.post('/api/me/password', { currentPassword: 'mat-khau-dai-2026', newPassword: 'mat-khau-moi-2027' }))
            .status,
        ).toBe(200);
        expect((await other.get('/api/me')).status).toBe(401);
        expect(
          (await new Client(t.base).post('/api/auth/login', { username: 'canbo.moi', password: 'mat-khau-dai-2026' }))
            .status,
        ).toBe(401);
        await new Client(t.base).login('canbo.moi', 'mat-khau-moi-2027');
        const list = await admin.get('/api/users');
        expect(list.body.users.map((u: { username: string }) => u.username)).toContain('canbo.moi');
        expect(JSON.stringify(list.body)).not.toMatch(/password|\$2[aby]\$/);
      });

      it('an agency that is not expected in a round does not see it and cannot submit to it', async () => {
        await addUser(t, 'outsider', 'agency', planAgency);
        const c = new Client(t.base);
        await c.login('outsider');
        expect((await c.get('/api/rounds')).body.rounds).toEqual([]);
        expect((await officers[0].get('/api/rounds')).body.rounds.map((r: { id: string }) => r.id)).toEqual([roundId]);
        expect((await c.get(`/api/rounds/${roundId}`)).status).toBe(404);
        const grids = await readFileToGrids(xlsx[0], 'x.xlsx');
        const r = await c.post(`/api/rounds/${roundId}/submissions`, { grids });
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('round.not-expected');
        expect(r.body.error.message).toContain(planAgency.name);
      });

      it('the directory lists the province agencies and the reform areas for dropdowns', async () => {
        const d = await officers[0].get('/api/directory?province=nam-dinh&date=2023-01-01');
        expect(d.status).toBe(200);
        expect(d.body.areas.map((a: { code: string }) => a.code)).toEqual([
          'direction',
          'institution',
          'procedure',
          'organization',
          'civil-service',
          'public-finance',
          'digital-government',
        ]);
        expect(d.body.agencies.map((a: { id: string }) => a.id)).toContain(agencies[0].id);
      });

      it('only admins open rounds; invalid bodies say which field', async () => {
        const r = await officers[0].post('/api/rounds', {
          title: 'x',
          year: 2023,
          province: 'nam-dinh',
          deadline: '2023-01-01',
          expectedAgencyIds: ['a'],
        });
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('auth.forbidden');
        const bad = await admin.post('/api/rounds', {
          title: 'x',
          year: 2023,
          province: 'nam-dinh',
          deadline: 'mai',
          expectedAgencyIds: [agencies[0].id],
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.code).toBe('request.invalid');
        expect(bad.body.error.where.field).toBe('deadline');
      });
    });

    describe('submitting the seed annexes', () => {
      it('each seed, uploaded as xlsx by its agency, gets the engine diagnostics at once', async () => {
        for (let i = 0; i < SEEDS.length; i++) {
          const r = await officers[i].upload(roundId, xlsx[i], SEEDS[i].replace('.txt', '.xlsx'));
          expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(201);
          expect(r.body.version).toBe(1);
          expect(r.body.duplicate).toBe(false);
          expect(r.body.status).toBe('submitted');
          // The server's verdict is exactly the engine's on the same bytes.
          const grids = await readFileToGrids(xlsx[i], 'x.xlsx');
          const directory = defaultDirectory();
          const own = validate(readAnnex(grids, { directory, province: 'nam-dinh', planYear: 2023 }), {
            directory,
            province: 'nam-dinh',
            planYear: 2023,
            date: '2023-01-01',
          });
          expect(r.body.report.stats).toEqual(own.stats);
          expect(r.body.report.stats.tasks).toBeGreaterThan(10);
          expect(r.body.report.diagnostics.map((d: { code: string }) => d.code)).toEqual(
            own.diagnostics.map((d) => d.code),
          );
          submissionIds.push(r.body.submissionId);
        }
        expect(new Set(submissionIds).size).toBe(SEEDS.length);
      });

      it('a version is stored as text: the report answered, the report read back and the grids are the same JSON', async () => {
        // The parse threads hand grids and report over as UTF-8 bytes, which the database turns into text: the
        // columns must hold text (not a blob that JSON.parse would accept through toString), equal to the answer.
        // In a round of its own: the review tests below count on the versions of this round's submissions.
        const own = await admin.post('/api/rounds', {
          title: 'Lưu phiên bản dạng văn bản',
          year: 2023,
          province: 'nam-dinh',
          deadline: '2099-01-05',
          expectedAgencyIds: [agencies[1].id],
        });
        expect(own.status, JSON.stringify(own.body)).toBe(201);
        const grids = await readFileToGrids(xlsx[1], 'x.xlsx');
        const edited = structuredClone(grids);
        edited[0].rows.push({ index: 9000, cells: [{ text: '' }, { text: 'Nhiệm vụ thêm để lưu phiên bản mới' }] });
        const r = await officers[1].post(`/api/rounds/${own.body.round.id}/submissions`, {
          grids: edited,
          source: 'api',
        });
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
        const row = await t.handle.db
          .selectFrom('submission_versions')
          .select(['grids_json', 'report_json'])
          .where('submission_id', '=', r.body.submissionId)
          .where('version', '=', r.body.version)
          .executeTakeFirstOrThrow();
        expect(typeof row.report_json).toBe('string');
        expect(typeof row.grids_json).toBe('string');
        expect(JSON.parse(row.report_json)).toEqual(r.body.report);
        expect(JSON.parse(row.grids_json)).toEqual(edited);
        if (t.handle.dialect === 'sqlite') {
          const types = await sql<{ g: string; r: string }>`select typeof(grids_json) as g, typeof(report_json) as r
            from submission_versions where submission_id = ${r.body.submissionId}`.execute(t.handle.db);
          expect(types.rows.every((x) => x.g === 'text' && x.r === 'text')).toBe(true);
        }
        const back = await officers[1].get(`/api/submissions/${r.body.submissionId}/versions/${r.body.version}`);
        expect(back.body.report).toEqual(r.body.report);
      });

      it('the same content again is the same version (200), also when sent as JSON grids', async () => {
        const again = await officers[0].upload(roundId, xlsx[0], 'lan-2.xlsx');
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ submissionId: submissionIds[0], version: 1, duplicate: true });
        const grids = await readFileToGrids(xlsx[0], 'x.xlsx');
        const json = await officers[0].post(`/api/rounds/${roundId}/submissions`, { grids, source: 'excel-addin' });
        expect(json.status).toBe(200);
        expect(json.body.version).toBe(1);
        const sub = await officers[0].get(`/api/submissions/${submissionIds[0]}`);
        expect(sub.body.versions).toHaveLength(1);
      });

      it('an agency cannot read or submit for another agency (403), and a wrong token is refused', async () => {
        const other = await officers[1].get(`/api/submissions/${submissionIds[0]}`);
        expect(other.status).toBe(403);
        expect(other.body.error.code).toBe('auth.forbidden');
        const tok = await officers[1].post('/api/tokens', { label: 'Excel' });
        expect(tok.status).toBe(201);
        const viaToken = new Client(t.base);
        viaToken.token = tok.body.token;
        expect((await viaToken.get('/api/me')).body.user.username).toBe('officer1');
        expect((await viaToken.get(`/api/submissions/${submissionIds[0]}/versions/1`)).status).toBe(403);
        const grids = await readFileToGrids(xlsx[1], 'x.xlsx');
        const forOther = await viaToken.post(`/api/rounds/${roundId}/submissions`, { grids, agencyId: agencies[0].id });
        expect(forOther.status).toBe(403);
        const wrong = new Client(t.base);
        wrong.token = 'plt_khong-hop-le';
        const w = await wrong.get('/api/me');
        expect(w.status).toBe(401);
        expect(w.body.error.code).toBe('auth.invalid-token');
        // Token stored hashed only; listed without its value; usable until revoked.
        const rows = await t.handle.db.selectFrom('api_tokens').select('token_hash').execute();
        expect(rows.some((r) => r.token_hash === tok.body.token)).toBe(false);
        const mine = await officers[1].get('/api/tokens');
        expect(mine.body.tokens).toEqual([
          expect.objectContaining({ id: tok.body.id, label: 'Excel', revoked: false }),
        ]);
        expect(mine.body.tokens[0].lastUsedAt).toBeTruthy();
        expect(JSON.stringify(mine.body)).not.toContain(tok.body.token);
        const spare = await officers[1].post('/api/tokens', { label: 'Dự phòng' });
        expect((await officers[0].req('DELETE', `/api/tokens/${spare.body.id}`)).status).toBe(404);
        expect((await officers[1].req('DELETE', `/api/tokens/${spare.body.id}`)).status).toBe(200);
        const revoked = new Client(t.base);
        revoked.token = spare.body.token;
        expect((await revoked.get('/api/me')).body.error.code).toBe('auth.invalid-token');
        // Agencies list only their own submissions.
        const list = await officers[1].get(`/api/rounds/${roundId}/submissions`);
        expect(list.body.submissions.map((s: { agencyId: string }) => s.agencyId)).toEqual([agencies[1].id]);
        const all = await reviewer.get(`/api/rounds/${roundId}/submissions`);
        expect(all.body.submissions).toHaveLength(SEEDS.length);
      });

      it('racing resubmissions are all kept, numbered in order without gaps', async () => {
        const base = await readFileToGrids(xlsx[2], 'x.xlsx');
        const n = 6;
        const results = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            officers[2].post(`/api/rounds/${roundId}/submissions`, {
              grids: edited(base, `#${i}`),
              source: 'excel-addin',
            }),
          ),
        );
        expect(results.map((r) => r.status)).toEqual(Array(n).fill(201));
        expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
        const sub = await officers[2].get(`/api/submissions/${submissionIds[2]}`);
        expect(sub.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(sub.body.latestVersion).toBe(7);
        const audit = await t.handle.db
          .selectFrom('audit')
          .select('detail_json')
          .where('action', '=', 'submission.submit')
          .where('target_id', '=', submissionIds[2])
          .execute();
        expect(audit).toHaveLength(7);
      });

      it('a stale baseVersion gets 409 and writes nothing', async () => {
        const base = await readFileToGrids(xlsx[3], 'x.xlsx');
        const v2 = await officers[3].post(`/api/rounds/${roundId}/submissions`, {
          grids: edited(base, 'A'),
          baseVersion: 1,
        });
        expect(v2.status).toBe(201);
        expect(v2.body.version).toBe(2);
        const stale = await officers[3].post(`/api/rounds/${roundId}/submissions`, {
          grids: edited(base, 'B'),
          baseVersion: 1,
        });
        expect(stale.status).toBe(409);
        expect(stale.body.error.code).toBe('submission.stale');
        expect(stale.body.error.message).toMatch(/phiên bản 1.*\(2\)/);
        const sub = await officers[3].get(`/api/submissions/${submissionIds[3]}`);
        expect(sub.body.versions).toHaveLength(2);
      });

      it('diffs two versions per task', async () => {
        const v1 = await officers[0].get(`/api/submissions/${submissionIds[0]}/versions/1`);
        expect(v1.status).toBe(200);
        const grids: Grid[] = v1.body.grids;
        const task = v1.body.annex.sections[0].tasks[0];
        // Change the text of the first task's timeline cell (or its task cell) in the grid.
        const row = grids[0].rows.find((r) => r.index === task.source.row)!;
        const cols: { index: number; field: string | null }[] = v1.body.annex.meta.columns;
        const col = cols.find((c) => c.field === 'timeline') ?? cols.find((c) => c.field === 'task')!;
        while (row.cells.length < col.index) row.cells.push({ text: '' });
        row.cells[col.index - 1] = { text: 'Quý IV/2023' };
        const up = await officers[0].post(`/api/rounds/${roundId}/submissions`, { grids, baseVersion: 1 });
        expect(up.status).toBe(201);
        const d = await officers[0].get(`/api/submissions/${submissionIds[0]}/diff?from=1&to=2`);
        expect(d.status).toBe(200);
        expect(d.body.added).toEqual([]);
        expect(d.body.removed).toEqual([]);
        expect(d.body.changed).toHaveLength(1);
        expect(d.body.changed[0].number).toBe(task.number);
        expect(d.body.changed[0].fields.map((f: { field: string }) => f.field)).toContain(col.field);
        expect(d.body.unchanged).toBe(v1.body.report.stats.tasks - 1);
        const missing = await officers[0].get(`/api/submissions/${submissionIds[0]}/diff?from=1&to=9`);
        expect(missing.status).toBe(404);
        expect(missing.body.error.code).toBe('version.not-found');
      });
    });

    describe('bad input', () => {
      it('a request without a file, or with malformed grids, says what is missing and where', async () => {
        const form = new FormData();
        form.append('baseVersion', '1');
        const noFile = await officers[4].req('POST', `/api/rounds/${roundId}/submissions`, form);
        expect(noFile.status).toBe(400);
        expect(noFile.body.error.code).toBe('submission.no-file');
        const bad = await officers[4].post(`/api/rounds/${roundId}/submissions`, {
          grids: [{ sheet: 'Phụ lục', kind: 'sheet', rows: [{ index: 0, cells: [] }] }],
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.code).toBe('request.invalid');
        expect(bad.body.error.where.field).toBe('grids.0.rows.0.index');
        const notJson = await officers[4].req('POST', `/api/rounds/${roundId}/submissions`, undefined, {
          'content-type': 'application/json',
        });
        expect(notJson.status).toBe(400);
      });

      it('unknown round → 404, checked before the file is read; no upload without signing in', async () => {
        const bogus = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
        const anon = await new Client(t.base).upload(roundId, bogus, 'a.xlsx');
        expect(anon.status).toBe(401);
        const early = await officers[0].upload('khong-co', bogus, 'a.xlsx');
        expect(early.status).toBe(404);
        const r = await officers[0].upload('khong-co', xlsx[0], 'a.xlsx');
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('round.not-found');
      });

      it('not a spreadsheet → 415 with the file named', async () => {
        const r = await officers[4].upload(
          roundId,
          new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255, 254, 0, 0, 7, 8, 9]),
          'anh.xlsx',
        );
        expect(r.status).toBe(415);
        expect(r.body.error.code).toBe('input.unknown-type');
        expect(r.body.error.message).toContain('anh.xlsx');
        expect(r.body.error.hint).toBeTruthy();
      });

      it('truncated xlsx → 422', async () => {
        const r = await officers[4].upload(roundId, xlsx[0].slice(0, Math.floor(xlsx[0].length / 2)), 'cut.xlsx');
        expect(r.status).toBe(422);
        expect(r.body.error.code).toBe('input.zip-truncated');
      });

      it('zip bomb → 413 before anything is unpacked', async () => {
        const JSZip = (await import('jszip')).default;
        const zip = new JSZip();
        zip.file('[Content_Types].xml', '<Types/>');
        zip.file('xl/workbook.xml', '<workbook/>');
        zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(60 * 1024 * 1024, 0x20));
        const bomb = await zip.generateAsync({
          type: 'uint8array',
          compression: 'DEFLATE',
          compressionOptions: { level: 9 },
        });
        const r = await officers[4].upload(roundId, bomb, 'bom.xlsx');
        expect(r.status).toBe(413);
        expect(r.body.error.code).toBe('input.zip-bomb');
      });

      it('over 20 MB → 413 with a Vietnamese message', async () => {
        const r = await officers[4].upload(roundId, new Uint8Array(21 * 1024 * 1024), 'lon.xlsx');
        expect(r.status).toBe(413);
        expect(r.body.error.code).toBe('submission.too-large');
        expect(r.body.error.message).toMatch(/Tệp quá lớn: tối đa 20 MB/);
      });

      it('an empty sheet → 422; a sheet without an annex → 422 saying where and how to fix', async () => {
        const wb = new ExcelJS.Workbook();
        wb.addWorksheet('Trống');
        const empty = new Uint8Array(await wb.xlsx.writeBuffer());
        const e = await officers[4].upload(roundId, empty, 'trong.xlsx');
        expect(e.status).toBe(422);
        expect(e.body.error.code).toMatch(/submission.empty|input.empty/);

        const wb2 = new ExcelJS.Workbook();
        const ws = wb2.addWorksheet('Danh sách');
        ws.addRow(['Họ và tên', 'Ngày sinh']);
        ws.addRow(['Nguyễn Văn A', '01/01/1980']);
        const noAnnex = new Uint8Array(await wb2.xlsx.writeBuffer());
        const r = await officers[4].upload(roundId, noAnnex, 'danh-sach.xlsx');
        expect(r.status).toBe(422);
        expect(r.body.error.code).toBe('submission.no-annex');
        expect(r.body.error.where.sheet).toBe('Danh sách');
        expect(r.body.error.message).toMatch(/Không tìm thấy bảng phụ lục/);
        expect(r.body.error.message).toMatch(/STT|Nhiệm vụ/);
        const subs = await t.handle.db
          .selectFrom('submissions')
          .select('id')
          .where('agency_id', '=', agencies[4].id)
          .execute();
        expect(subs).toHaveLength(0);
      });

      it('formulas and merged cells are accepted and reported as diagnostics', async () => {
        const wb = new ExcelJS.Workbook();
        const src = await readFileToGrids(xlsx[0], 'x.xlsx');
        const ws = wb.addWorksheet(src[0].sheet);
        for (const r of src[0].rows) ws.getRow(r.index).values = r.cells.map((c) => c.text);
        // A formula in a note cell and a merged product block in the first task rows.
        const annex = readAnnex(src, { directory: defaultDirectory(), province: 'nam-dinh', planYear: 2023 }).annex;
        const task = annex.sections[0].tasks[0];
        const numberCol = annex.meta.columns!.find((c) => c.field === 'number')!.index;
        ws.getCell(task.source.row, numberCol).value = {
          formula: '0+1',
          result: Number(task.number) || 1,
        } as ExcelJS.CellFormulaValue;
        const leadCol = annex.meta.columns!.find((c) => c.field === 'lead')!.index;
        ws.mergeCells(task.rows[0], leadCol, task.rows[0] + 1, leadCol);
        const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
        const r = await officers[4].upload(roundId, bytes, 'cong-thuc.xlsx');
        expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(201);
        const codes = new Set(r.body.report.diagnostics.map((d: { code: string }) => d.code));
        expect(codes.has('cell.formula')).toBe(true);
        expect(codes.has('cell.merged')).toBe(true);
      });
    });

    describe('review, lock and audit', () => {
      it('reviewer returns with comments; the agency sees them and resubmits; reviewer accepts', async () => {
        const sid = submissionIds[1];
        const ag = await officers[1].post(`/api/submissions/${sid}/return`, { comment: 'x' });
        expect(ag.status).toBe(403);
        const ret = await reviewer.post(`/api/submissions/${sid}/return`, {
          comment: 'Đề nghị bổ sung thời gian thực hiện.',
          comments: [{ row: 12, column: 4, text: 'Thiếu cơ quan chủ trì' }],
          version: 1,
        });
        expect(ret.status).toBe(200);
        expect(ret.body.submission.status).toBe('returned');
        const seen = await officers[1].get(`/api/submissions/${sid}`);
        expect(seen.body.status).toBe('returned');
        expect(seen.body.comments.map((c: { text: string }) => c.text)).toEqual([
          'Đề nghị bổ sung thời gian thực hiện.',
          'Thiếu cơ quan chủ trì',
        ]);
        expect(seen.body.comments[1]).toMatchObject({ row: 12, column: 4, version: 1 });

        const grids = await readFileToGrids(xlsx[1], 'x.xlsx');
        const re = await officers[1].post(`/api/rounds/${roundId}/submissions`, {
          grids: edited(grids, 'sửa'),
          baseVersion: 1,
        });
        expect(re.status).toBe(201);
        expect(re.body.status).toBe('submitted');
        const staleAccept = await reviewer.post(`/api/submissions/${sid}/accept`, { version: 1 });
        expect(staleAccept.status).toBe(409);
        const acc = await reviewer.post(`/api/submissions/${sid}/accept`, { version: 2 });
        expect(acc.status).toBe(200);
        expect(acc.body.submission.status).toBe('accepted');
      });

      it('the status table shows every expected agency', async () => {
        const r = await reviewer.get(`/api/rounds/${roundId}`);
        expect(r.status).toBe(200);
        const rows: {
          agencyId: string;
          status: string;
          onTime: boolean | null;
          latestVersion: number | null;
          errors: number | null;
        }[] = r.body.agencies;
        expect(rows.map((x) => x.agencyId)).toEqual(agencies.map((a) => a.id));
        expect(rows[1].status).toBe('accepted');
        expect(rows[2].latestVersion).toBe(7);
        expect(rows[0].onTime).toBe(true);
        expect(rows[4].status).toBe('submitted'); // the formula/merged upload
        expect(r.body.summary).toMatchObject({ expected: 5, submitted: 5, missing: 0, accepted: 1 });
        const own = await officers[0].get(`/api/rounds/${roundId}`);
        expect(own.body.agencies.map((x: { agencyId: string }) => x.agencyId)).toEqual([agencies[0].id]);
      });

      it('builds the consolidated report and serves it as xlsx, csv and json', async () => {
        const none = await reviewer.get(`/api/rounds/${roundId}/report.xlsx`);
        expect(none.status).toBe(404);
        expect(none.body.error.code).toBe('report.not-built');
        const built = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
        expect(built.status, JSON.stringify(built.body).slice(0, 400)).toBe(201);
        expect(built.body.agencies).toHaveLength(5);
        expect(built.body.stats.inputTasks).toBeGreaterThan(100);
        const x = await reviewer.get(`/api/rounds/${roundId}/report.xlsx`);
        expect(x.status).toBe(200);
        expect(x.bytes.subarray(0, 2).toString()).toBe('PK');
        expect(x.headers.get('content-disposition')).toMatch(/attachment/);
        const csv = await reviewer.get(`/api/rounds/${roundId}/report.csv`);
        expect(csv.status).toBe(200);
        expect(csv.body).toMatch(/Cải cách/);
        const json = await reviewer.get(`/api/rounds/${roundId}/report.json`);
        expect(json.status).toBe(200);
        expect(json.body.stats.inputTasks).toBe(built.body.stats.inputTasks);
        expect(json.body.coverage).toBeUndefined();

        // Sở Nội vụ files the provincial plan (not an expected agency: only reviewers/admins may) and
        // attaches it: the next report checks coverage against it and does not count it as an input.
        const planGrids = await readFileToGrids(xlsx[0], 'ke-hoach-tinh.xlsx');
        const byAgency = await officers[0].post(`/api/rounds/${roundId}/submissions`, {
          grids: planGrids,
          agencyId: planAgency.id,
        });
        expect(byAgency.status).toBe(403);
        const plan = await admin.post(`/api/rounds/${roundId}/submissions`, {
          grids: planGrids,
          agencyId: planAgency.id,
          fileName: 'ke-hoach-tinh.xlsx',
        });
        expect(plan.status).toBe(201);
        const patched = await admin.req('PATCH', `/api/rounds/${roundId}`, {
          planSubmissionId: plan.body.submissionId,
        });
        expect(patched.status).toBe(200);
        expect(patched.body.round.planSubmissionId).toBe(plan.body.submissionId);
        const withPlan = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
        expect(withPlan.status).toBe(201);
        expect(withPlan.body.agencies.map((a: { agencyId: string }) => a.agencyId)).not.toContain(planAgency.id);
        expect(withPlan.body.agencies).toHaveLength(5);
        const json2 = await reviewer.get(`/api/rounds/${roundId}/report.json`);
        expect(json2.body.coverage.planTasks).toBe(plan.body.report.stats.tasks);
        expect(withPlan.body.stats.uncovered).toBe(json2.body.coverage.uncovered.length);
        // The plan is not an expected agency: the status table is unchanged.
        const status = await reviewer.get(`/api/rounds/${roundId}`);
        expect(status.body.agencies.map((x: { agencyId: string }) => x.agencyId)).toEqual(agencies.map((a) => a.id));

        const accepted = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'accepted' });
        expect(accepted.status).toBe(201);
        expect(accepted.body.agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual([agencies[1].id]);
        expect((await officers[0].post(`/api/rounds/${roundId}/report`, {})).status).toBe(403);
      });

      it('a locked round refuses submissions and reviews (409)', async () => {
        expect((await reviewer.post(`/api/rounds/${roundId}/lock`)).status).toBe(403);
        const lock = await admin.post(`/api/rounds/${roundId}/lock`);
        expect(lock.status).toBe(200);
        expect(lock.body.round.locked).toBe(true);
        const grids = await readFileToGrids(xlsx[0], 'x.xlsx');
        const r = await officers[0].post(`/api/rounds/${roundId}/submissions`, { grids: edited(grids, 'muộn') });
        expect(r.status).toBe(409);
        expect(r.body.error.code).toBe('round.locked');
        expect(r.body.error.message).toMatch(/đã khóa/);
        expect((await reviewer.post(`/api/submissions/${submissionIds[0]}/accept`, { version: 1 })).status).toBe(409);
        // Reopened for a correction (with a new deadline), then locked again.
        const unlocked = await admin.post(`/api/rounds/${roundId}/unlock`);
        expect(unlocked.body.round.locked).toBe(false);
        const ext = await admin.req('PATCH', `/api/rounds/${roundId}`, { deadline: '2099-02-01' });
        expect(ext.body.round.deadline).toBe('2099-02-01');
        expect((await admin.req('PATCH', `/api/rounds/${roundId}`, {})).status).toBe(400);
        const fix = await officers[0].post(`/api/rounds/${roundId}/submissions`, { grids: edited(grids, 'muộn') });
        expect(fix.status).toBe(201);
        expect((await admin.post(`/api/rounds/${roundId}/lock`)).body.round.locked).toBe(true);
      });

      it('the audit trail lists who did what, in order; agencies see only their own', async () => {
        const a = await reviewer.get(`/api/audit?roundId=${roundId}`);
        expect(a.status).toBe(200);
        const actions: string[] = a.body.entries.map((e: { action: string }) => e.action);
        expect(actions[0]).toBe('round.open');
        expect(actions.at(-1)).toBe('round.lock');
        for (const x of [
          'submission.submit',
          'submission.return',
          'submission.accept',
          'report.build',
          'round.update',
          'round.unlock',
        ])
          expect(actions).toContain(x);
        const ret = a.body.entries.find((e: { action: string }) => e.action === 'submission.return');
        expect(ret).toMatchObject({
          actor: 'reviewer',
          target: { type: 'submission', id: submissionIds[1] },
          agencyId: agencies[1].id,
        });
        const ids = a.body.entries.map((e: { id: number }) => e.id);
        expect([...ids].sort((x, y) => x - y)).toEqual(ids);
        const own = await officers[0].get(`/api/audit?roundId=${roundId}`);
        expect(own.body.entries.length).toBeGreaterThan(0);
        expect(
          own.body.entries.every(
            (e: { agencyId: string | null; actor: string }) => e.agencyId === agencies[0].id || e.actor === 'officer0',
          ),
        ).toBe(true);
      });

      it('serves the OpenAPI document generated from the schemas', async () => {
        const r = await new Client(t.base).get('/api/openapi.json');
        expect(r.status).toBe(200);
        expect(r.body.openapi).toBe('3.1.0');
        const post = r.body.paths['/api/rounds/{roundId}/submissions'].post;
        const [grids, sheet] = post.requestBody.content['application/json'].schema.oneOf;
        expect(grids.properties.grids.items.properties.rows).toBeTruthy();
        expect(sheet.required).toContain('googleSheetUrl');
        expect(post.requestBody.content['multipart/form-data'].schema.required).toEqual(['file']);
        expect(Object.keys(r.body.paths).length).toBeGreaterThan(15);
      });

      it('unknown API paths answer a JSON 404', async () => {
        const r = await admin.get('/api/khong-co');
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('not-found');
      });
    });
  });
}
