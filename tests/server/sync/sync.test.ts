// Two-way sync over HTTP against the real app (temporary SQLite): two officers of one agency pull the
// tasks the province assigned, push with base versions, get a three-way comparison (409) when a colleague
// pushed meanwhile, resolve it and push again; the status, the comments per task and the audit trail.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  annexToGrid,
  insertAssignedTasks,
  readAnnex,
  resolveMerge,
  textToGrid,
  type AssignedTask,
  type Grid,
  type MergeResult,
} from '../../../engine/index.js';
import { addUser, Client, startServer, type TestServer } from '../api/harness.js';

const AGENCY = { id: 'nam-dinh/so-tu-phap', name: 'Sở Tư pháp' };
const OTHER = { id: 'nam-dinh/so-tai-chinh', name: 'Sở Tài chính' };
const NOI_VU = { id: 'nam-dinh/so-noi-vu', name: 'Sở Nội vụ' };

const pgUrl = process.env.TEST_DATABASE_URL;
const targets = [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
];

let t: TestServer;
let admin: Client;
let reviewer: Client;
let lan: Client; // officer 1 of Sở Tư pháp
let hung: Client; // officer 2 of Sở Tư pháp
let other: Client; // officer of Sở Tài chính
let roundId: string;
let bareRoundId: string;
let planSubmissionId: string;

const row = (index: number, ...texts: string[]) => ({ index, cells: texts.map((text) => ({ text })) });

/** Sở Tư pháp's own sheet before sync: two tasks of its own. */
function ownSheet(): Grid {
  return {
    sheet: 'Phụ lục',
    kind: 'sheet',
    rows: [
      row(1, 'PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2023 CỦA SỞ TƯ PHÁP'),
      row(3, 'STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện', 'Ghi chú'),
      row(4, 'I', 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH'),
      row(
        5,
        '1',
        'Xây dựng, ban hành Kế hoạch CCHC năm 2023 của Sở Tư pháp',
        'Kế hoạch',
        'Sở Tư pháp',
        '',
        'Tháng 01/2023',
      ),
      row(
        6,
        '2',
        'Kiểm tra công tác CCHC tại các phòng, đơn vị thuộc Sở',
        'Báo cáo kiểm tra',
        'Sở Tư pháp',
        '',
        'Quý III/2023',
      ),
      row(7, 'II', 'CẢI CÁCH THỂ CHẾ'),
      row(
        8,
        '1',
        'Theo dõi tình hình thi hành pháp luật về xử lý vi phạm hành chính',
        'Báo cáo',
        'Sở Tư pháp',
        'Công an tỉnh',
        'Thường xuyên',
      ),
    ],
  };
}

/** Column of a header in the sheet's header row. */
function col(g: Grid, header: string): number {
  for (const r of g.rows) {
    const i = r.cells.findIndex((c) => c.text === header);
    if (i >= 0) return i + 1;
  }
  throw new Error(`no column "${header}"`);
}

/** The sheet row of the task with this id (hidden id column). */
function rowOfId(g: Grid, id: string): number {
  const c = col(g, 'Mã nhiệm vụ');
  const r = g.rows.find((x) => x.cells[c - 1]?.text === id);
  if (!r) throw new Error(`no row with id ${id}`);
  return r.index;
}

function setCell(g: Grid, rowIndex: number, column: number, text: string): void {
  const r = g.rows.find((x) => x.index === rowIndex)!;
  while (r.cells.length < column) r.cells.push({ text: '' });
  r.cells[column - 1] = { text };
}

/** What the add-in does with a push answer: write the ids (and the id column header) into the sheet. */
function applyWrites(g: Grid, writes: { row: number; column: number; text: string }[]): Grid {
  const copy = structuredClone(g);
  for (const w of writes) {
    let r = copy.rows.find((x) => x.index === w.row);
    if (!r) copy.rows.push((r = { index: w.row, cells: [] }));
    while (r.cells.length < w.column) r.cells.push({ text: '' });
    r.cells[w.column - 1] = { text: w.text };
  }
  return copy;
}

const flatAssigned = (body: { areas: { tasks: AssignedTask[] }[] }) => body.areas.flatMap((a) => a.tasks);

for (const target of targets) {
  describe.skipIf(target.skip)(`sync on ${target.name}`, () => {
    beforeAll(async () => {
      t = await startServer({ pgUrl: target.url });
      await addUser(t, 'admin', 'admin', NOI_VU);
      await addUser(t, 'reviewer', 'reviewer', NOI_VU);
      await addUser(t, 'lan', 'agency', AGENCY);
      await addUser(t, 'hung', 'agency', AGENCY);
      await addUser(t, 'taichinh', 'agency', OTHER);
      admin = new Client(t.base);
      reviewer = new Client(t.base);
      lan = new Client(t.base);
      hung = new Client(t.base);
      other = new Client(t.base);
      await admin.login('admin');
      await reviewer.login('reviewer');
      await lan.login('lan');
      await hung.login('hung');
      await other.login('taichinh');

      const round = await admin.post('/api/rounds', {
        title: 'Kế hoạch CCHC năm 2023',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2099-01-05',
        expectedAgencyIds: [AGENCY.id, OTHER.id],
      });
      expect(round.status, JSON.stringify(round.body)).toBe(201);
      roundId = round.body.round.id;
      const bare = await admin.post('/api/rounds', {
        title: 'Đợt chưa có kế hoạch',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2099-01-05',
        expectedAgencyIds: [AGENCY.id],
      });
      bareRoundId = bare.body.round.id;

      // Sở Nội vụ files the provincial plan (seed 000, Nam Định 2023) and attaches it to the round.
      const planGrid = textToGrid(readFileSync('seeds/000_683635a77beddbc9.txt', 'utf8'), 'KH 158-KH-UBND.txt');
      const plan = await reviewer.post(`/api/rounds/${roundId}/submissions`, {
        grids: [planGrid],
        agencyId: NOI_VU.id,
        fileName: 'KH 158-KH-UBND.txt',
      });
      expect(plan.status, JSON.stringify(plan.body).slice(0, 300)).toBe(201);
      planSubmissionId = plan.body.submissionId;
      const patched = await admin.req('PATCH', `/api/rounds/${roundId}`, { planSubmissionId });
      expect(patched.status).toBe(200);
    }, 60_000);

    afterAll(async () => {
      await t?.close();
    });

    describe('pull: tasks the province assigned', () => {
      it('lists the plan tasks where the agency leads or supports, by area, with stable ids', async () => {
        const r = await lan.get(`/api/rounds/${roundId}/assigned`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.agency).toEqual(AGENCY);
        expect(r.body.plan).toMatchObject({ submissionId: planSubmissionId, version: 1 });
        const tasks = flatAssigned(r.body);
        expect(r.body.total).toBe(tasks.length);
        expect(tasks.length).toBeGreaterThanOrEqual(3);
        // Every task names Sở Tư pháp as lead or support, and its area is its section's.
        for (const a of r.body.areas) for (const x of a.tasks) expect(x.area).toBe(a.area);
        const names = (x: AssignedTask) => [
          ...x.lead,
          ...x.support,
          ...x.products.flatMap((p) => [...(p.lead ?? []), ...(p.support ?? [])]),
        ];
        for (const x of tasks) expect(names(x).some((n) => n.includes('Tư pháp'))).toBe(true);
        expect(tasks.some((x) => x.role === 'lead')).toBe(true);
        expect(tasks.every((x) => /^NV-[A-Z0-9]{12}$/.test(x.id))).toBe(true);
        // The same ids on every pull.
        const again = await hung.get(`/api/rounds/${roundId}/assigned`);
        expect(flatAssigned(again.body).map((x) => x.id)).toEqual(tasks.map((x) => x.id));
        // Another agency gets its own list.
        const fin = await other.get(`/api/rounds/${roundId}/assigned`);
        expect(fin.status).toBe(200);
        expect(flatAssigned(fin.body).map((x) => x.id)).not.toEqual(tasks.map((x) => x.id));
        for (const x of flatAssigned(fin.body)) expect(names(x).some((n) => n.includes('Tài chính'))).toBe(true);
      });

      it('refuses another agency’s list and explains a round without plan', async () => {
        const r = await lan.get(`/api/rounds/${roundId}/assigned?agencyId=${encodeURIComponent(OTHER.id)}`);
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('auth.forbidden');
        const n = await lan.get(`/api/rounds/${bareRoundId}/assigned`);
        expect(n.status).toBe(409);
        expect(n.body.error.code).toBe('sync.no-plan');
        expect(n.body.error.message).toContain('chưa gắn kế hoạch');
        expect(n.body.error.hint).toContain('planSubmissionId');
        // A reviewer may look at any agency's list.
        const rv = await reviewer.get(`/api/rounds/${roundId}/assigned?agencyId=${encodeURIComponent(AGENCY.id)}`);
        expect(rv.status).toBe(200);
        expect(rv.body.agency.id).toBe(AGENCY.id);
      });
    });

    describe('push with a base version, two officers of one agency', () => {
      let sheetLan: Grid; // Lan's sheet, as in her workbook
      let assigned: AssignedTask[];
      let submissionId: string;
      let ids: Map<string, string>; // task text → id
      let firstId: string;
      let merge: MergeResult;

      it('first push (base 0) stores version 1, assigns ids and says which cells to write', async () => {
        assigned = flatAssigned((await lan.get(`/api/rounds/${roundId}/assigned`)).body);
        const pulled = insertAssignedTasks(ownSheet(), assigned);
        expect(pulled.inserted.length).toBe(assigned.length);
        sheetLan = pulled.grid;

        const before = await lan.get(`/api/rounds/${roundId}/sync-status?baseVersion=0&dirty=true`);
        expect(before.body).toMatchObject({
          status: 'ahead',
          latestVersion: 0,
          submissionId: null,
          lastSyncedAt: null,
        });

        const r = await lan.post(`/api/rounds/${roundId}/sync`, {
          grids: [sheetLan],
          baseVersion: 0,
          source: 'excel-addin',
        });
        expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(201);
        expect(r.body.version).toBe(1);
        submissionId = r.body.submissionId;
        const all = r.body.ids as { id: string; row: number; assigned: boolean; number: string }[];
        expect(all.length).toBe(3 + assigned.length);
        // The assigned tasks keep the plan's ids; the officer's own tasks got new ones.
        for (const a of assigned) expect(all.find((x) => x.id === a.id)?.assigned).toBe(false);
        expect(all.filter((x) => x.assigned).length).toBe(3);
        expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
        // The id column existed after the pull (the add-in hides it); only the new ids are written.
        expect(r.body.idColumn).toMatchObject({ header: 'Mã nhiệm vụ', added: false });
        expect(r.body.writes.length).toBe(3);
        sheetLan = applyWrites(sheetLan, r.body.writes);
        const read = readAnnex([sheetLan]).annex;
        ids = new Map(read.sections.flatMap((s) => s.tasks).map((x) => [x.task, x.id!]));
        expect([...ids.values()].every(Boolean)).toBe(true);
        firstId = ids.get('Kiểm tra công tác CCHC tại các phòng, đơn vị thuộc Sở')!;

        // The stored version carries the same ids.
        const v1 = await lan.get(`/api/submissions/${submissionId}/versions/1`);
        const storedIds = v1.body.annex.sections.flatMap((s: { tasks: { id: string }[] }) => s.tasks.map((x) => x.id));
        expect(storedIds.sort()).toEqual([...ids.values()].sort());

        // Pushing the sheet with the ids written is the same content: no new version.
        const same = await lan.post(`/api/rounds/${roundId}/sync`, {
          grids: [sheetLan],
          baseVersion: 1,
          source: 'excel-addin',
        });
        expect(same.status).toBe(200);
        expect(same.body).toMatchObject({ version: 1, duplicate: true, writes: [] });
      });

      it('refuses a push without an annex table or with a base the server never had, saying where', async () => {
        const notes: Grid = {
          sheet: 'Ghi chép',
          kind: 'sheet',
          rows: [row(1, 'Danh sách việc cần làm'), row(2, 'Gọi điện cho Sở Nội vụ')],
        };
        const r = await lan.post(`/api/rounds/${roundId}/sync`, { grids: [notes], baseVersion: 1 });
        expect(r.status).toBe(422);
        expect(r.body.error.code).toBe('submission.no-annex');
        expect(r.body.error.where.sheet).toBe('Ghi chép');
        const empty = await lan.post(`/api/rounds/${roundId}/sync`, {
          grids: [{ sheet: 'Trống', kind: 'sheet', rows: [] }],
          baseVersion: 1,
        });
        expect(empty.body.error.code).toBe('submission.empty');
        const fin = await other.post(`/api/rounds/${roundId}/sync`, { grids: [ownSheet()], baseVersion: 2 });
        expect(fin.status).toBe(409);
        expect(fin.body.error.code).toBe('sync.unknown-base');
        expect(fin.body.error.message).toContain('Sở Tài chính');
        expect(fin.body.error.hint).toContain('phiên bản gốc 0');
        const bad = await lan.post(`/api/rounds/${roundId}/sync`, { grids: [ownSheet()] });
        expect(bad.status).toBe(400);
        expect(bad.body.error.where.field).toBe('baseVersion');
        expect((await lan.get(`/api/submissions/${submissionId}`)).body.latestVersion).toBe(1);
      });

      it('status: in sync, ahead, behind', async () => {
        const st = (c: Client, q: string) => c.get(`/api/rounds/${roundId}/sync-status?${q}`);
        const a = await st(lan, 'baseVersion=1');
        expect(a.status).toBe(200);
        expect(a.body).toMatchObject({
          status: 'in-sync',
          label: 'Đã đồng bộ',
          baseVersion: 1,
          latestVersion: 1,
          submissionId,
          newer: [],
        });
        expect(a.body.latest.by.username).toBe('lan');
        expect(a.body.lastSyncedAt).toBe(a.body.latest.at);
        expect((await st(lan, 'baseVersion=1&dirty=true')).body.status).toBe('ahead');
        const h = await st(hung, 'baseVersion=0');
        expect(h.body).toMatchObject({ status: 'behind', lastSyncedAt: null });
        expect(h.body.newer.map((v: { version: number }) => v.version)).toEqual([1]);
        expect((await st(hung, 'baseVersion=0&dirty=1')).body.status).toBe('diverged');
        const bad = await st(hung, 'baseVersion=-2');
        expect(bad.status).toBe(400);
        expect(bad.body.error.where.field).toBe('baseVersion');
      });

      it('a colleague pushes meanwhile; the stale push gets 409 with a per-task comparison and nothing is overwritten', async () => {
        // Hùng starts from version 1 (as stored, ids included) and changes the inspection's timeline.
        const v1 = await hung.get(`/api/submissions/${submissionId}/versions/1`);
        const sheetHung: Grid = structuredClone(v1.body.grids[0]);
        setCell(sheetHung, rowOfId(sheetHung, firstId), col(sheetHung, 'Thời gian thực hiện'), 'Quý II/2023');
        const h = await hung.post(`/api/rounds/${roundId}/sync`, {
          grids: [sheetHung],
          baseVersion: 1,
          source: 'excel-addin',
        });
        expect(h.status, JSON.stringify(h.body).slice(0, 300)).toBe(201);
        expect(h.body.version).toBe(2);

        // Lan, still on version 1: another timeline for the same task, a note on her plan task, and deletes task II.1.
        const mine = structuredClone(sheetLan);
        setCell(mine, rowOfId(mine, firstId), col(mine, 'Thời gian thực hiện'), 'Quý IV/2023');
        const planTask = ids.get('Xây dựng, ban hành Kế hoạch CCHC năm 2023 của Sở Tư pháp')!;
        setCell(mine, rowOfId(mine, planTask), col(mine, 'Ghi chú'), 'Đã trình Giám đốc Sở');
        const dropId = ids.get('Theo dõi tình hình thi hành pháp luật về xử lý vi phạm hành chính')!;
        const dropRow = rowOfId(mine, dropId);
        mine.rows = mine.rows.filter((r) => r.index !== dropRow);
        const r = await lan.post(`/api/rounds/${roundId}/sync`, {
          grids: [mine],
          baseVersion: 1,
          source: 'excel-addin',
        });
        expect(r.status).toBe(409);
        expect(r.body.error.code).toBe('sync.stale-base');
        expect(r.body.error.message).toContain('phiên bản 2');
        expect(r.body.error.message).toContain('Người dùng hung');
        expect(r.body).toMatchObject({ baseVersion: 1, latestVersion: 2 });
        expect(r.body.latest.by.username).toBe('hung');
        merge = r.body.merge;
        const e = (id: string) => merge.entries.find((x) => x.id === id)!;
        expect(e(firstId).status).toBe('conflict');
        expect(e(firstId).fields.timeline).toEqual({
          base: 'Quý III/2023',
          mine: 'Quý IV/2023',
          theirs: 'Quý II/2023',
          conflict: true,
        });
        expect(e(planTask).status).toBe('mine');
        expect(e(dropId).status).toBe('deleted-mine');
        expect(merge.entries.filter((x) => x.status === 'unchanged').length).toBe(assigned.length);
        expect(merge.clean).toBe(false);
        // Nothing was stored: version 2 is still the latest.
        const sub = await lan.get(`/api/submissions/${submissionId}`);
        expect(sub.body.latestVersion).toBe(2);
        expect(sub.body.versions.length).toBe(2);
      });

      it('the resolved merge is pushed from version 2 and keeps every id', async () => {
        const merged = resolveMerge(merge, { [`id:${firstId}`]: { fields: { timeline: 'theirs' } } });
        const grid = annexToGrid(merged, { sheet: 'Phụ lục' });
        const r = await lan.post(`/api/rounds/${roundId}/sync`, {
          grids: [grid],
          baseVersion: 2,
          source: 'excel-addin',
        });
        expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(201);
        expect(r.body.version).toBe(3);
        expect(r.body.ids.every((x: { assigned: boolean }) => !x.assigned)).toBe(true);
        const v3 = await lan.get(`/api/submissions/${submissionId}/versions/3`);
        const tasks = v3.body.annex.sections.flatMap((s: { tasks: unknown[] }) => s.tasks) as {
          id: string;
          task: string;
          timeline: { text: string };
          note?: string;
        }[];
        expect(tasks.length).toBe(2 + assigned.length);
        expect(tasks.find((x) => x.id === firstId)?.timeline.text).toBe('Quý II/2023');
        expect(tasks.find((x) => x.task.startsWith('Xây dựng, ban hành Kế hoạch'))?.note).toBe('Đã trình Giám đốc Sở');
        expect(tasks.some((x) => x.task.startsWith('Theo dõi tình hình thi hành'))).toBe(false);
        expect(new Set(tasks.map((x) => x.id))).toEqual(
          new Set(
            [...ids.values()].filter(
              (id) => id !== ids.get('Theo dõi tình hình thi hành pháp luật về xử lý vi phạm hành chính'),
            ),
          ),
        );

        const st = await hung.get(`/api/rounds/${roundId}/sync-status?baseVersion=2`);
        expect(st.body.status).toBe('behind');
        expect(st.body.newer).toEqual([
          expect.objectContaining({ version: 3, by: { username: 'lan', displayName: 'Người dùng lan' } }),
        ]);
      });

      it('two pushes from the same base at once: one is stored, the other gets the comparison', async () => {
        const v3 = await hung.get(`/api/submissions/${submissionId}/versions/3`);
        const a: Grid = structuredClone(v3.body.grids[0]);
        const b: Grid = structuredClone(v3.body.grids[0]);
        setCell(a, rowOfId(a, firstId), col(a, 'Ghi chú'), 'Ghi chú của Lan');
        setCell(b, rowOfId(b, firstId), col(b, 'Ghi chú'), 'Ghi chú của Hùng');
        const [ra, rb] = await Promise.all([
          lan.post(`/api/rounds/${roundId}/sync`, { grids: [a], baseVersion: 3 }),
          hung.post(`/api/rounds/${roundId}/sync`, { grids: [b], baseVersion: 3 }),
        ]);
        expect([ra.status, rb.status].sort()).toEqual([201, 409]);
        const lost = ra.status === 409 ? ra : rb;
        expect(lost.body.latestVersion).toBe(4);
        expect(lost.body.merge.entries.find((x: { id: string }) => x.id === firstId).status).toBe('conflict');
        const sub = await lan.get(`/api/submissions/${submissionId}`);
        expect(sub.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4]);
      });

      it('the audit trail shows both officers’ versions', async () => {
        const r = await reviewer.get(`/api/audit?roundId=${roundId}`);
        const submits = r.body.entries.filter(
          (e: { action: string; target: { id: string } }) =>
            e.action === 'submission.submit' && e.target.id === submissionId,
        );
        expect(
          submits.map((e: { actor: string; detail: { version: number } }) => [e.detail.version, e.actor]).slice(0, 3),
        ).toEqual([
          [1, 'lan'],
          [2, 'hung'],
          [3, 'lan'],
        ]);
        expect(new Set(submits.map((e: { actor: string }) => e.actor))).toEqual(new Set(['lan', 'hung']));
        // An officer sees their agency's trail, both colleagues included.
        const own = await hung.get(`/api/audit?roundId=${roundId}`);
        expect(
          new Set(
            own.body.entries
              .filter((e: { action: string }) => e.action === 'submission.submit')
              .map((e: { actor: string }) => e.actor),
          ),
        ).toEqual(new Set(['lan', 'hung']));
      });

      it('reviewer comments come down per task, follow the task to its current row and clear when resolved', async () => {
        const latest = (await lan.get(`/api/submissions/${submissionId}`)).body.latestVersion as number;
        const v = await lan.get(`/api/submissions/${submissionId}/versions/${latest}`);
        const grid: Grid = v.body.grids[0];
        const r0 = rowOfId(grid, firstId);
        const ret = await reviewer.post(`/api/submissions/${submissionId}/return`, {
          comment: 'Đề nghị bổ sung sản phẩm cụ thể.',
          comments: [{ row: r0, column: 6, text: 'Thời gian kiểm tra cần ghi rõ quý.' }],
          version: latest,
        });
        expect(ret.status, JSON.stringify(ret.body)).toBe(200);
        const c = await lan.get(`/api/submissions/${submissionId}/comments`);
        expect(c.status).toBe(200);
        expect(c.body.status).toBe('returned');
        const general = c.body.comments.find((x: { row: number | null }) => x.row === null);
        const cell = c.body.comments.find((x: { row: number | null }) => x.row === r0);
        expect(general).toMatchObject({ taskId: null, resolved: false, kind: 'return' });
        expect(cell).toMatchObject({
          taskId: firstId,
          task: 'Kiểm tra công tác CCHC tại các phòng, đơn vị thuộc Sở',
          column: 6,
          currentRow: r0,
          resolved: false,
          author: 'Người dùng reviewer',
        });

        // The officer moves the task to the top of its section and pushes: the comment follows its id.
        const moved: Grid = structuredClone(grid);
        const idCol = col(moved, 'Mã nhiệm vụ');
        const firstTaskRow = moved.rows.find((x) => x.cells[0]?.text === '1')!.index;
        const a = moved.rows.find((x) => x.index === firstTaskRow)!;
        const b = moved.rows.find((x) => x.index === r0)!;
        [a.cells, b.cells] = [b.cells, a.cells];
        [a.cells[0], b.cells[0]] = [b.cells[0], a.cells[0]];
        expect(a.cells[idCol - 1].text).toBe(firstId);
        const p = await hung.post(`/api/rounds/${roundId}/sync`, { grids: [moved], baseVersion: latest });
        expect(p.status, JSON.stringify(p.body).slice(0, 300)).toBe(201);
        const after = await hung.get(`/api/submissions/${submissionId}/comments`);
        const moving = after.body.comments.find((x: { id: string }) => x.id === cell.id);
        expect(moving).toMatchObject({ row: r0, currentRow: firstTaskRow, taskId: firstId });

        // Resolved by the officer, reopened, resolved again; another agency cannot touch it.
        const res = await hung.post(`/api/submissions/${submissionId}/comments/${cell.id}/resolve`, {});
        expect(res.status).toBe(200);
        expect(res.body.comment).toMatchObject({ id: cell.id, resolved: true, resolvedBy: 'Người dùng hung' });
        const reopen = await reviewer.post(`/api/submissions/${submissionId}/comments/${cell.id}/resolve`, {
          resolved: false,
        });
        expect(reopen.body.comment.resolved).toBe(false);
        expect((await other.post(`/api/submissions/${submissionId}/comments/${cell.id}/resolve`, {})).status).toBe(403);
        expect((await lan.post(`/api/submissions/${submissionId}/comments/khong-co/resolve`, {})).body.error.code).toBe(
          'comment.not-found',
        );
        const audit = await reviewer.get(`/api/audit?roundId=${roundId}`);
        expect(
          audit.body.entries
            .filter((e: { action: string }) => e.action.startsWith('comment.'))
            .map((e: { action: string; actor: string }) => [e.action, e.actor]),
        ).toEqual([
          ['comment.resolve', 'hung'],
          ['comment.reopen', 'reviewer'],
        ]);

        // Acceptance resolves what nobody reopened explicitly... and the explicit reopen stays open.
        const seen = (await lan.get(`/api/submissions/${submissionId}`)).body.latestVersion as number;
        await reviewer.post(`/api/submissions/${submissionId}/accept`, { version: seen });
        const fin = await lan.get(`/api/submissions/${submissionId}/comments`);
        expect(fin.body.comments.find((x: { id: string }) => x.id === general.id).resolved).toBe(true);
        expect(fin.body.comments.find((x: { id: string }) => x.id === cell.id).resolved).toBe(false);
      });

      it('a file upload takes back the ids of the same tasks; new tasks get new ones', async () => {
        const latest = (await lan.get(`/api/submissions/${submissionId}`)).body.latestVersion as number;
        const prev = await lan.get(`/api/submissions/${submissionId}/versions/${latest}`);
        const prevIds = new Map<string, string>(
          prev.body.annex.sections.flatMap((s: { tasks: { task: string; id: string }[] }) =>
            s.tasks.map((x) => [x.task, x.id]),
          ),
        );
        // The officer exports the annex without the hidden column, adds a task and uploads it as a file.
        const annex = structuredClone(prev.body.annex);
        for (const s of annex.sections) for (const x of s.tasks) delete x.id;
        annex.sections[0].tasks.push({
          ...structuredClone(annex.sections[0].tasks[0]),
          task: 'Khảo sát sự hài lòng của người dân về dịch vụ công của Sở',
          number: '99',
        });
        const csv = annexToGrid(annex, { withIds: false })
          .rows.map((r) => r.cells.map((c) => `"${c.text.replace(/"/g, '""')}"`).join(','))
          .join('\n');
        const up = await hung.upload(roundId, new TextEncoder().encode(csv), 'phu-luc.csv');
        expect(up.status, JSON.stringify(up.body).slice(0, 300)).toBe(201);
        const v = await hung.get(`/api/submissions/${submissionId}/versions/${up.body.version}`);
        const tasks = v.body.annex.sections.flatMap((s: { tasks: unknown[] }) => s.tasks) as {
          task: string;
          id: string;
        }[];
        const kept = tasks.filter((x) => prevIds.has(x.task));
        expect(kept.length).toBe(prevIds.size);
        for (const x of kept) expect(x.id).toBe(prevIds.get(x.task));
        const added = tasks.find((x) => x.task.startsWith('Khảo sát sự hài lòng'))!;
        expect(added.id).toMatch(/^NV-[A-Z0-9]{12}$/);
        expect([...prevIds.values()]).not.toContain(added.id);
        // The file is stored as sent (no id column written into it).
        expect(JSON.stringify(v.body.grids)).not.toContain('Mã nhiệm vụ');
      });
    });
  });
}
