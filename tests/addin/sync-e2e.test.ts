// End to end two-way sync: the built task pane in headless Chromium with the fake Excel host injected
// (Microsoft 365 cannot be reached) against the real server (temporary SQLite). An officer inserts the
// template, pulls the tasks the province assigned, submits; a colleague of the same agency submits through
// the API; the officer edits the same task and submits → the three-way comparison → resolves per field →
// the server holds the merged version and the audit log shows both officers; then reviewer comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildAddin } from '../../scripts/build-addin.js';
import { readAnnex, type Grid, type Task } from '../../engine/index.js';
import { call, seedRound, startSyncServer, type SyncTestServer } from './sync-server.js';

const OUT = 'test-output/addin';
let t: SyncTestServer;
let ctx: Awaited<ReturnType<typeof seedRound>>;
let browser: Browser;
let fakeBundle: string;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  t = await startSyncServer({ root: (dir) => dir });
  await buildAddin({ outDir: join(t.dir, 'dist', 'addin'), minify: false });
  fakeBundle = (
    await build({
      entryPoints: ['addin/testing/fake-browser.ts'],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      target: 'chrome100',
    })
  ).outputFiles[0].text;
  ctx = await seedRound(t, readFileSync('seeds/000_683635a77beddbc9.txt', 'utf8'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function openPane(): Promise<{ page: Page; errors: string[] }> {
  const bctx = await browser.newContext({ viewport: { width: 420, height: 1100 }, locale: 'vi-VN' });
  const page = await bctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(
    (url) => url.origin !== new URL(t.base).origin,
    (r) => r.abort('internetdisconnected'),
  );
  const init = { sheets: [{ name: 'Sheet1', rows: [] }], settings: { 'phuluc.province': 'nam-dinh' } };
  await page.addInitScript({ content: `window.__fakeInit = ${JSON.stringify(init)};` });
  await page.addInitScript({ content: fakeBundle });
  await page.goto(`${t.base}/addin/taskpane.html`);
  await page.waitForFunction(() => Boolean((window as any).__phuluc?.controller.report));
  return { page, errors };
}

const fake = <T>(page: Page, fn: string) => page.evaluate(fn) as Promise<T>;
const tasksIn = (page: Page) =>
  fake<(Task & { area: string | null })[]>(
    page,
    `window.__phuluc.controller.report.sections.flatMap((s) => s.tasks.map((t) => ({ ...t, area: s.area })))`,
  );

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

describe('two-way sync in the Excel task pane (Chromium, fake host, real server)', () => {
  it('pull → submit → colleague submits → edit → conflict view → resolve → merged version on the server', async () => {
    const { page, errors } = await openPane();

    // An empty workbook: the officer connects, inserts the template (for the round's year) and pulls.
    await page.fill('#in-server', t.base);
    await page.fill('#in-token', ctx.lanToken);
    await page.selectOption('#in-province', 'nam-dinh');
    await page.click('#btn-save-settings');
    await expect.poll(() => page.locator('#in-round option').count()).toBeGreaterThan(1);
    await page.selectOption('#in-round', ctx.roundId);
    await page.click('#btn-template');
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 30_000 })
      .toContain('Đã chèn mẫu');
    const sheet = await fake<string>(page, 'window.__fakeHost.activeSheet().name');
    expect(await fake<string>(page, `window.__fakeHost.text(${JSON.stringify(sheet)}, 'A2')`)).toContain('2023');
    await page.click('#btn-pull');
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/Đã chèn \d+ nhiệm vụ được giao/);
    const pulled = await tasksIn(page);
    const assigned = await call(t.base, 'GET', `/api/rounds/${ctx.roundId}/assigned`, undefined, {
      token: ctx.lanToken,
    });
    expect(pulled.map((x) => x.id).sort()).toEqual(
      assigned.body.areas.flatMap((a: { tasks: { id: string }[] }) => a.tasks.map((x) => x.id)).sort(),
    );
    const hidden = await fake<number[]>(page, `[...window.__fakeHost.sheet(${JSON.stringify(sheet)}).hiddenColumns]`);
    expect(hidden.length).toBe(1);
    await page.screenshot({ path: `${OUT}/sync-pulled.png` });

    // First submission: version 1; the pane says the sheet is in sync.
    await page.click('#btn-submit');
    await page.locator('#submit-result').filter({ hasText: 'phiên bản 1' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('#sync-status').getAttribute('data-state')).toBe('in-sync');
    expect(await page.locator('#sync-status').textContent()).toContain('Đồng bộ lần cuối');

    // A colleague of the same agency changes the first task's timeline from version 1: version 2.
    const target = pulled[0];
    const cols = await fake<{ index: number; field: string | null }[]>(
      page,
      'window.__phuluc.controller.report.meta.columns',
    );
    const colOf = (f: string) => cols.find((c) => c.field === f)!.index;
    const v1 = await latest(ctx.hung);
    const g = structuredClone(v1.grids[0]);
    g.rows.find((r) => r.index === target.source.row)!.cells[colOf('timeline') - 1] = { text: 'Quý II/2023' };
    const colleague = await call(
      t.base,
      'POST',
      `/api/rounds/${ctx.roundId}/sync`,
      { grids: [g], baseVersion: 1, source: 'api' },
      { cookie: ctx.hung },
    );
    expect(colleague.status).toBe(201);
    expect(colleague.body.version).toBe(2);

    // The officer edits the same task (timeline, product): the status says both sides changed.
    const L = (f: string) => String.fromCharCode(64 + colOf(f));
    await fake(
      page,
      `window.__fakeHost.userEdit(${JSON.stringify(sheet)}, '${L('timeline')}${target.source.row}', 'Tháng 6/2023')`,
    );
    await fake(
      page,
      `window.__fakeHost.userEdit(${JSON.stringify(sheet)}, '${L('product')}${target.source.row}', 'Báo cáo kết quả thực hiện')`,
    );
    await expect
      .poll(() => page.locator('#sync-status').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('diverged');
    expect(await page.locator('#sync-status').textContent()).toContain('Trần Văn Hùng');

    // Submit: nothing is overwritten, the three-way comparison opens.
    await page.click('#btn-submit');
    const view = page.locator('#conflict-view');
    await view.waitFor({ timeout: 30_000 });
    expect((await latest(ctx.lan)).version).toBe(2);
    const entry = view.locator('article.entry.needs');
    expect(await entry.count()).toBe(1);
    expect(await entry.locator('h3').textContent()).toContain(target.task.slice(0, 30));
    const row = entry.locator('tr.conflict');
    expect(await row.locator('td.mine').textContent()).toBe('Tháng 6/2023');
    expect(await row.locator('td.theirs').textContent()).toBe('Quý II/2023');
    await view.screenshot({ path: `${OUT}/sync-conflict.png` });
    await page.screenshot({ path: `${OUT}/sync-conflict-pane.png`, fullPage: true });

    // Applying without choosing is refused with the list of open conflicts; then per field: their timeline.
    await page.click('#btn-merge-apply');
    await expect.poll(async () => (await page.locator('#status').textContent()) ?? '').toContain('xung đột chưa chọn');
    await entry.locator('select.field-pick[data-field="timeline"]').selectOption('theirs');
    await page.click('#btn-merge-apply');
    await page.locator('#submit-result').filter({ hasText: 'phiên bản 3' }).waitFor({ timeout: 30_000 });
    expect(await view.count()).toBe(0);
    await expect.poll(() => page.locator('#sync-status').getAttribute('data-state')).toBe('in-sync');

    // The server holds the merged version: the colleague's timeline and the officer's product.
    const v3 = await latest(ctx.lan);
    expect(v3.version).toBe(3);
    const t3 = readAnnex(v3.grids)
      .annex.sections.flatMap((s) => s.tasks)
      .find((x) => x.id === target.id)!;
    expect(t3.timeline.text).toBe('Quý II/2023');
    expect(t3.products[0].text).toContain('Báo cáo kết quả thực hiện');
    // …and so does the sheet.
    const now = (await tasksIn(page)).find((x) => x.id === target.id)!;
    expect(
      await fake(page, `window.__fakeHost.text(${JSON.stringify(sheet)}, '${L('timeline')}${now.source.row}')`),
    ).toBe('Quý II/2023');

    // The audit log shows both officers' submissions.
    const audit = await call(t.base, 'GET', `/api/audit?roundId=${ctx.roundId}`, undefined, { cookie: ctx.reviewer });
    const pushes = (audit.body.entries as { actor: string; action: string }[]).filter((e) =>
      e.action.startsWith('submission'),
    );
    const actors = pushes.map((e) => e.actor).join(' | ');
    expect(actors).toMatch(/lan|Lan/);
    expect(actors).toMatch(/hung|Hùng/);

    // Reviewer comments come down as notes on the task's row, and clear when resolved.
    const second = (await tasksIn(page))[1];
    const ret = await call(
      t.base,
      'POST',
      `/api/submissions/${v3.submissionId}/return`,
      {
        comment: 'Bổ sung sản phẩm',
        comments: [{ row: second.source.row, text: 'Ghi rõ sản phẩm cụ thể' }],
        version: 3,
      },
      { cookie: ctx.reviewer },
    );
    expect(ret.status).toBe(200);
    await page.click('#btn-comments');
    await page.locator('#comment-list li[data-comment]').first().waitFor({ timeout: 15_000 });
    const noteAt = `A${second.source.row}`;
    expect(
      await fake(page, `window.__fakeHost.sheet(${JSON.stringify(sheet)}).notes.get('${noteAt}')?.content`),
    ).toContain('Ghi rõ sản phẩm cụ thể');
    await page.locator('#submit-panel').screenshot({ path: `${OUT}/sync-comments.png` });
    expect(await page.locator('#comment-list li').count()).toBe(2); // the general comment and the row's
    await page
      .locator('#comment-list li:not(.resolved)', { hasText: 'Ghi rõ sản phẩm cụ thể' })
      .locator('button.resolve')
      .click();
    // The comment's note is gone (an issue note of the add-in may take the cell back, never the comment).
    await expect
      .poll(
        () =>
          fake<string>(page, `window.__fakeHost.sheet(${JSON.stringify(sheet)}).notes.get('${noteAt}')?.content ?? ''`),
        { timeout: 15_000 },
      )
      .not.toContain('Ghi rõ sản phẩm cụ thể');
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '')
      .toMatch(/Có 1 ý kiến chưa xử lý.*xóa 1 ghi chú.*1 ý kiến chung/);
    expect(await page.locator('#comment-list li.resolved').count()).toBe(1);

    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);
});
