// Two-way sync of the Excel add-in against the fake Excel host and the real server (temporary SQLite):
// pull the assigned tasks into an empty template, push with a base, a colleague's push in between, the
// three-way conflict resolved and pushed, status, offline queue and reviewer comments as cell notes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeExcelHost } from '../../addin/testing/fake-excel.js';
import { AddinController } from '../../addin/controller.js';
import { ApiClient, MemoryStore, SubmitQueue } from '../../addin/api.js';
import { SyncController } from '../../addin/sync/controller.js';
import { insertTemplate } from '../../addin/excel/template.js';
import { COMMENT_PREFIX, rewriteTable, rowBlocks } from '../../addin/excel/sync.js';
import { readAnnex, type Grid } from '../../engine/index.js';
import { envFor } from './excel/helpers.js';
import { call, seedRound, startSyncServer, type SyncTestServer } from './sync-server.js';

let t: SyncTestServer;
let ctx: Awaited<ReturnType<typeof seedRound>>;

beforeAll(async () => {
  t = await startSyncServer();
  ctx = await seedRound(t, readFileSync('seeds/000_683635a77beddbc9.txt', 'utf8'));
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function officer(fetchImpl?: (i: string, init?: RequestInit) => Promise<Response>) {
  const h = new FakeExcelHost();
  (globalThis as any).Excel = h.Excel;
  h.addSheet('Sheet1');
  const env = envFor(h);
  let sync: SyncController | undefined;
  const seen = { officerEdits: 0 };
  const c = new AddinController(env, {
    debounceMs: 5,
    syncCounter: () => h.syncCount,
    onOfficerEdit: () => {
      seen.officerEdits++;
      sync?.officerEdited();
    },
  });
  const store = new MemoryStore();
  const client = () => new ApiClient({ server: t.base, token: ctx.lanToken }, fetchImpl);
  const queue = new SubmitQueue(store, () => client());
  sync = new SyncController({ controller: c, client, server: () => t.base, roundId: () => ctx.roundId, queue });
  const inserted = await c.runExclusive(() => insertTemplate(env.excel, 2023));
  await c.start();
  return { h, c, sync, queue, seen, sheet: inserted.sheetName };
}

const idColumn = (h: FakeExcelHost, sheet: string) => {
  const s = h.sheet(sheet);
  for (let c = 0; c < 20; c++)
    if (h.text(sheet, `${String.fromCharCode(65 + c)}5`) === 'Mã nhiệm vụ')
      return { letter: String.fromCharCode(65 + c), hidden: s.hiddenColumns.has(c) };
  return undefined;
};

async function latest(cookie: string) {
  const st = await call(t.base, 'GET', `/api/rounds/${ctx.roundId}/sync-status?baseVersion=0`, undefined, { cookie });
  const v = await call(
    t.base,
    'GET',
    `/api/submissions/${st.body.submissionId}/versions/${st.body.latestVersion}`,
    undefined,
    { cookie },
  );
  return {
    submissionId: st.body.submissionId as string,
    version: st.body.latestVersion as number,
    grids: v.body.grids as Grid[],
  };
}

describe('fake host: row insertion and hidden columns', () => {
  it('shifts cells, notes and validations down on Range.insert and keeps hidden columns', async () => {
    const h = new FakeExcelHost();
    h.addSheet('S', [['a'], ['b'], ['c']]);
    h.sheet('S').notes.set('A2', { content: 'x' });
    await h.run(async (ctx: any) => {
      const ws = ctx.workbook.worksheets.getItem('S');
      ws.getRange('2:3').insert('Down');
      ws.getRange('H:H').columnHidden = true;
      await ctx.sync();
    });
    expect([h.text('S', 'A1'), h.text('S', 'A2'), h.text('S', 'A4'), h.text('S', 'A5')]).toEqual(['a', '', 'b', 'c']);
    expect(h.sheet('S').notes.get('A4')?.content).toBe('x');
    expect(h.eventLog.at(-1)).toMatchObject({ changeType: 'RowInserted', triggerSource: 'ThisLocalAddin' });
    const hidden = await h.run(async (ctx: any) => {
      const r = ctx.workbook.worksheets.getItem('S').getRange('H:H').load('columnHidden');
      await ctx.sync();
      return r.columnHidden;
    });
    expect(hidden).toBe(true);
    await expect(
      h.run(async (ctx: any) => {
        ctx.workbook.worksheets.getItem('S').getRange('A1:B2').insert('Down');
        await ctx.sync();
      }),
    ).rejects.toThrow(/whole rows/);
  });
});

describe('rewriteTable', () => {
  const start = () => {
    const h = new FakeExcelHost();
    h.addSheet('S', [['KẾ HOẠCH'], ['STT', 'Nhiệm vụ'], ['I', 'Mục I'], ['1', 'Việc A'], ['', ''], ['Nơi nhận: …']]);
    h.merge('S', 'A4:A5');
    return h;
  };
  it('writes a longer body above what follows the table, in one sync, keeping title and footer', async () => {
    const h = start();
    const before = h.syncCount;
    await rewriteTable(h as never, 'S', {
      firstRow: 3,
      oldLastRow: 5,
      rows: [
        ['I', 'Mục I'],
        ['1', 'Việc A'],
        ['2', 'Việc B'],
        ['II', 'Mục II'],
        ['3', 'Việc C'],
      ],
      headers: [{ row: 2, column: 3, text: 'Mã nhiệm vụ' }],
      hideColumn: 3,
    });
    expect(h.syncCount - before).toBe(1);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((r) => h.text('S', `A${r}`))).toEqual([
      'KẾ HOẠCH',
      'STT',
      'I',
      '1',
      '2',
      'II',
      '3',
      'Nơi nhận: …',
    ]);
    expect(h.text('S', 'C2')).toBe('Mã nhiệm vụ');
    expect(h.sheet('S').hiddenColumns.has(2)).toBe(true);
    expect(h.sheet('S').merges).toEqual([]);
    // Turning events off and on inside the batch is not documented to hide them: they arrive, marked as ours.
    expect(h.eventLog.length).toBeGreaterThan(0);
    expect(h.eventLog.every((e) => e.triggerSource === 'ThisLocalAddin')).toBe(true);
  });
  it('clears the rows a shorter body leaves', async () => {
    const h = start();
    await rewriteTable(h as never, 'S', { firstRow: 3, oldLastRow: 5, rows: [['I', 'Mục I']] });
    expect([3, 4, 5, 6].map((r) => h.text('S', `A${r}`) + h.text('S', `B${r}`))).toEqual([
      'IMục I',
      '',
      '',
      'Nơi nhận: …',
    ]);
  });
});

describe('rowBlocks', () => {
  it('groups ascending rows into consecutive blocks', () => {
    expect(rowBlocks([10, 5, 6, 7, 12])).toEqual([
      [5, 7],
      [10, 10],
      [12, 12],
    ]);
    expect(rowBlocks([])).toEqual([]);
  });
});

describe('two-way sync from the Excel add-in', () => {
  it('pulls assigned tasks into an empty template, pushes, meets a colleague’s version, resolves and pushes the merge', async () => {
    const o = await officer();
    const { h, c, sync, sheet, seen } = o;
    expect(c.report!.stats.tasks).toBe(0);

    // --- pull: the plan's tasks for Sở Tư pháp land in their reform-area sections, with ids, hidden
    const syncsBefore = h.syncCount;
    const pulled = await sync.pull();
    expect(pulled.total).toBeGreaterThanOrEqual(3);
    expect(pulled.inserted).toBe(pulled.total);
    const pullSyncs = h.syncCount - syncsBefore;
    expect(pullSyncs).toBeLessThanOrEqual(4); // read + write, then the validation pass (read + paint)
    // every inserted row and cell went in one sync (one undo step), and none of it counted as the officer's edit
    const writeSyncs = h.syncLog.slice(-pullSyncs).filter((x) => x.cellsWritten > 0);
    expect(writeSyncs).toHaveLength(1);
    await h.settle();
    await c.flush();
    expect(seen.officerEdits).toBe(0);
    expect(c.lastStats?.kind).toBe('full');
    const idc = idColumn(h, sheet)!;
    expect(idc).toBeDefined();
    expect(idc.hidden).toBe(true);
    const report = c.report!;
    expect(report.stats.tasks).toBe(pulled.total);
    const tasks = report.sections.flatMap((s) => s.tasks.map((x) => ({ ...x, area: s.area })));
    expect(tasks.every((x) => /^NV-/.test(x.id ?? ''))).toBe(true);
    expect(tasks.every((x) => x.note?.startsWith('Nhiệm vụ tỉnh giao'))).toBe(true);
    // Each task sits in a section of the same area as in the plan.
    const assigned = await call(t.base, 'GET', `/api/rounds/${ctx.roundId}/assigned`, undefined, {
      token: ctx.lanToken,
    });
    for (const a of assigned.body.areas)
      for (const x of a.tasks) expect(tasks.find((y) => y.id === x.id)?.area).toBe(a.area);
    // the add-in's writes did not count as the officer's edits, but the sheet now differs from the server
    expect(sync.state().dirty).toBe(true);
    // pulling again inserts nothing
    const again = await sync.pull();
    expect(again.inserted).toBe(0);
    expect(again.present).toBe(pulled.total);

    // --- first push: version 1, base stored in the document settings
    const first = await sync.push();
    expect(first.kind).toBe('stored');
    if (first.kind !== 'stored') return;
    expect(first.result.version).toBe(1);
    expect(sync.state()).toMatchObject({ baseVersion: 1, dirty: false, submissionId: first.result.submissionId });
    expect((h.settings.get('phuluc.sync') as any)[ctx.roundId].baseVersion).toBe(1);
    expect((await sync.status()).state).toBe('in-sync');

    // --- a colleague (hung) changes the first task's timeline from version 1 and pushes: version 2
    const v1 = await latest(ctx.hung);
    const g = structuredClone(v1.grids[0]);
    const target = tasks[0];
    const cols = report.meta.columns!;
    const colOf = (f: string) => cols.find((x) => x.field === f)!.index;
    g.rows.find((r) => r.index === target.source.row)!.cells[colOf('timeline') - 1] = { text: 'Quý II/2023' };
    const hungPush = await call(
      t.base,
      'POST',
      `/api/rounds/${ctx.roundId}/sync`,
      { grids: [g], baseVersion: 1, source: 'api' },
      { cookie: ctx.hung },
    );
    expect(hungPush.status, JSON.stringify(hungPush.body).slice(0, 300)).toBe(201);
    expect(hungPush.body.version).toBe(2);
    const behind = await sync.status();
    expect(behind.state).toBe('behind');
    expect(behind.newer.map((n) => n.by)).toEqual(['Trần Văn Hùng']);

    // --- lan edits the same task: another timeline and a product; push → conflict, nothing stored
    const row = target.source.row;
    const L = (f: string) => String.fromCharCode(64 + colOf(f));
    h.userEdit(sheet, `${L('timeline')}${row}`, 'Tháng 6/2023');
    h.userEdit(sheet, `${L('product')}${row}`, 'Báo cáo kết quả thực hiện');
    await h.settle();
    await c.flush();
    expect(sync.state().dirty).toBe(true);
    expect((await sync.status()).state).toBe('diverged');
    const second = await sync.push();
    expect(second.kind).toBe('conflict');
    if (second.kind !== 'conflict') return;
    expect(second.stale.latestVersion).toBe(2);
    const entry = second.stale.merge.entries.find((e) => e.id === target.id)!;
    expect(entry.status).toBe('conflict');
    expect(entry.conflicts).toEqual(['timeline']);
    expect(entry.fields.timeline).toMatchObject({ mine: 'Tháng 6/2023', theirs: 'Quý II/2023' });
    expect(entry.fields.products?.conflict).toBe(false);
    expect((await latest(ctx.hung)).version).toBe(2); // nothing overwritten

    // a resolution that leaves the conflict open is refused, in Vietnamese, and changes nothing
    await expect(sync.resolve({})).rejects.toThrow(/xung đột chưa chọn/);
    expect(h.text(sheet, `${L('timeline')}${row}`)).toBe('Tháng 6/2023');

    // --- resolve per field: their timeline, my product → version 3 holds both
    const resolved = await sync.resolve({ [entry.key]: { fields: { timeline: 'theirs' } } });
    expect(resolved.kind).toBe('stored');
    if (resolved.kind !== 'stored') return;
    expect(resolved.result.version).toBe(3);
    expect(sync.state()).toMatchObject({ baseVersion: 3, dirty: false });
    const v3 = await latest(ctx.lan);
    expect(v3.version).toBe(3);
    const annex3 = readAnnex(v3.grids).annex;
    const t3 = annex3.sections.flatMap((s) => s.tasks).find((x) => x.id === target.id)!;
    expect(t3.timeline.text).toBe('Quý II/2023');
    expect(t3.products[0]?.text).toContain('Báo cáo kết quả thực hiện');
    expect(annex3.sections.flatMap((s) => s.tasks)).toHaveLength(pulled.total);
    // the sheet shows the merged version, title rows kept, id column still hidden
    expect(
      h.text(
        sheet,
        `${L('timeline')}${c.report!.sections.flatMap((s) => s.tasks).find((x) => x.id === target.id)!.source.row}`,
      ),
    ).toBe('Quý II/2023');
    expect(h.text(sheet, 'A1')).not.toBe('');
    expect(idColumn(h, sheet)!.hidden).toBe(true);
    expect((await sync.status()).state).toBe('in-sync');

    // --- the audit log shows both officers pushing
    const audit = await call(t.base, 'GET', `/api/audit?roundId=${ctx.roundId}`, undefined, { cookie: ctx.reviewer });
    const actors = new Set(
      (audit.body.entries as { actor: string; action: string }[])
        .filter((e) => e.action.startsWith('submission'))
        .map((e) => e.actor),
    );
    expect([...actors].join(' | ')).toMatch(/lan|Lan/);
    expect([...actors].join(' | ')).toMatch(/hung|Hùng/);

    // --- reviewer comments come down as notes on the task's row, and clear when resolved
    const secondTask = c.report!.sections.flatMap((s) => s.tasks)[1];
    const ret = await call(
      t.base,
      'POST',
      `/api/submissions/${v3.submissionId}/return`,
      {
        comment: 'Bổ sung sản phẩm',
        comments: [{ row: secondTask.source.row, text: 'Ghi rõ sản phẩm cụ thể' }],
        version: 3,
      },
      { cookie: ctx.reviewer },
    );
    expect(ret.status, JSON.stringify(ret.body)).toBe(200);
    // the officer inserts a row above: the comment follows the task by its id
    h.userInsertRows(sheet, 7);
    await h.settle();
    await c.flush();
    const moved = c.report!.sections.flatMap((s) => s.tasks).find((x) => x.id === secondTask.id)!;
    expect(moved.source.row).toBe(secondTask.source.row + 1);
    const shown = await sync.refreshComments();
    expect(shown.shown).toBe(1);
    const note = h.sheet(sheet).notes.get(`A${moved.source.row}`);
    expect(note?.content).toBe(`${COMMENT_PREFIX}Chuyên viên thẩm định: Ghi rõ sản phẩm cụ thể`);
    const commentId = shown.comments.find((x) => x.text === 'Ghi rõ sản phẩm cụ thể')!.id;
    await sync.resolveComment(commentId);
    const after = await sync.refreshComments();
    expect(after.cleared).toBe(1);
    expect(h.sheet(sheet).notes.has(`A${moved.source.row}`)).toBe(false);
  }, 120_000);

  it('refuses to pull into a sheet without an annex table, saying where and what to do', async () => {
    const h = new FakeExcelHost();
    (globalThis as any).Excel = h.Excel;
    h.addSheet('Trống', [['Ghi chép riêng']]);
    const c = new AddinController(envFor(h), { debounceMs: 5 });
    const client = () => new ApiClient({ server: t.base, token: ctx.lanToken });
    const sync = new SyncController({
      controller: c,
      client,
      server: () => t.base,
      roundId: () => ctx.roundId,
      queue: new SubmitQueue(new MemoryStore(), client),
    });
    await c.start();
    await expect(sync.pull()).rejects.toThrow(/Trang tính "Trống" không có bảng phụ lục/);
    expect(h.text('Trống', 'A1')).toBe('Ghi chép riêng');
    expect(h.sheet('Trống').cells.size).toBe(1);
  });

  it('queues a push made offline and settles it when the server is back', async () => {
    let online = false;
    const o = await officer((i, init) => (online ? fetch(i, init) : Promise.reject(new TypeError('Failed to fetch'))));
    // the workbook of lan, synced at version 3 (the first test), edited offline
    o.sync.store.update(ctx.roundId, { baseVersion: 3, dirty: false });
    online = true;
    await o.sync.pull();
    online = false;
    const before = await latest(ctx.lan);
    const out = await o.sync.push();
    expect(out.kind).toBe('queued');
    expect(o.queue.items()).toHaveLength(1);
    expect(o.queue.items()[0].baseVersion).toBe(3);
    expect((await o.sync.status()).offline).toBe(true);
    online = true;
    const [sent] = await o.queue.flush();
    const settled = await o.sync.settle(ctx.roundId, sent, sent.kind === 'sent' ? sent.item!.grids : []);
    // The sheet was rebuilt from the template, so it differs: stored as version 4 (or a conflict if not from base 3).
    expect(settled.kind).toBe('stored');
    if (settled.kind === 'stored') expect(settled.result.version).toBe(before.version + 1);
    expect(o.queue.items()).toHaveLength(0);
    expect(o.sync.state().baseVersion).toBe(before.version + 1);
  }, 60_000);
});
