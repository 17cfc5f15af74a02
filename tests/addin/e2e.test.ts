// End to end: the built task pane in headless Chromium, the fake Excel host injected as the
// Excel/Office globals (Microsoft 365 cannot be reached), seed 002 in the fake workbook, and the
// real server (createApp over a temporary SQLite file) receiving the submission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildAddin } from '../../scripts/build-addin.js';
import { startSyncServer, type SyncTestServer } from './sync-server.js';
import { createUser } from '../../server/domain/users.js';

const SHEET = 'Phụ lục';
const OUT = 'test-output/addin';
const PASSWORD = 'mật-khẩu-thử-2026';

let dir: string;
let srv: SyncTestServer;
let base: string;
let browser: Browser;
let fakeBundle: string;
let token: string;
let roundId: string;
let reviewerCookie: string;

async function api(method: string, path: string, body?: unknown, auth: { cookie?: string; token?: string } = {}) {
  const r = await fetch(base + path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return {
    status: r.status,
    body: text ? JSON.parse(text) : undefined,
    cookie: r.headers.get('set-cookie')?.split(';')[0],
  };
}

async function login(username: string) {
  const r = await api('POST', '/api/auth/login', { username, password: PASSWORD });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.cookie!;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phuluc-addin-e2e-'));
  mkdirSync(OUT, { recursive: true });
  // The server serves <root>/dist/addin: build the real pane there.
  await buildAddin({ outDir: join(dir, 'dist', 'addin'), minify: false });
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

  // The real app over temporary SQLite, serving the pane built into <dir>/dist/addin.
  srv = await startSyncServer({ root: () => dir });
  base = srv.base;
  const s = srv.services;
  await createUser(s, {
    username: 'admin',
    password: PASSWORD,
    displayName: 'Quản trị',
    role: 'admin',
    agencyId: null,
    agencyName: null,
    province: 'binh-thuan',
  });
  const admin = await login('admin');
  // The agency comes from the server's own directory of the province.
  const dirRes = await api('GET', '/api/directory?province=binh-thuan&date=2024-01-01', undefined, { cookie: admin });
  const found = (dirRes.body.agencies as { id: string; name: string; kind: string }[]).find(
    (a) => a.name === 'Sở Nội vụ',
  );
  if (!found) throw new Error(`directory: no Sở Nội vụ in ${JSON.stringify(dirRes.body).slice(0, 300)}`);
  const agency = { id: found.id, name: found.name };
  await createUser(s, {
    username: 'snv',
    password: PASSWORD,
    displayName: 'Cán bộ Sở Nội vụ',
    role: 'agency',
    agencyId: agency.id,
    agencyName: agency.name,
    province: 'binh-thuan',
  });
  reviewerCookie = admin;
  const round = await api(
    'POST',
    '/api/rounds',
    {
      title: 'Kế hoạch CCHC năm 2024',
      year: 2024,
      province: 'binh-thuan',
      deadline: '2099-12-31',
      expectedAgencyIds: [agency.id],
    },
    { cookie: admin },
  );
  if (round.status !== 201) throw new Error(`round: ${round.status} ${JSON.stringify(round.body)}`);
  roundId = round.body.round.id;
  const officer = await login('snv');
  const t = await api('POST', '/api/tokens', { label: 'Excel' }, { cookie: officer });
  if (!t.body?.token) throw new Error(`token: ${t.status} ${JSON.stringify(t.body)}`);
  token = t.body.token;

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
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPane(opts: {
  withFake: boolean;
  settings?: Record<string, unknown>;
}): Promise<{ page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 380, height: 900 }, locale: 'vi-VN' });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Microsoft's CDN is unreachable here, as in a closed government network.
  await page.route(
    (url) => url.origin !== new URL(base).origin,
    (r) => r.abort('internetdisconnected'),
  );
  if (opts.withFake) {
    const lines = readFileSync('seeds/002_2bb1168879fd1a86.txt', 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    const init = { sheets: [{ name: SHEET, rows: lines.map((l) => l.split('\t')) }], settings: opts.settings ?? {} };
    await page.addInitScript({ content: `window.__fakeInit = ${JSON.stringify(init)};` });
    await page.addInitScript({ content: fakeBundle });
  }
  await page.goto(`${base}/addin/taskpane.html`);
  return { page, errors };
}

const fake = <T>(page: Page, fn: string) => page.evaluate(fn) as Promise<T>;

describe('Excel task pane in Chromium', () => {
  it('validates, reacts to typing, selects cells, normalises seed 002 and submits to the real server', async () => {
    const { page, errors } = await openPane({ withFake: true });
    await page.locator('#summary').filter({ hasText: 'nhiệm vụ' }).waitFor({ timeout: 30_000 });
    const summary = await page.locator('#summary').textContent();
    expect(summary).toMatch(/\d+ lỗi, \d+ cảnh báo/);
    const inProduct = page.locator('li.issue[data-code="timeline.in-product"]');
    expect(await inProduct.count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${OUT}/pane-seed002.png` });

    // typing into a cell: the issue list follows
    const leadMissing = page.locator('li.issue[data-code="lead.missing"]');
    const before = await leadMissing.count();
    await fake(page, `window.__fakeHost.userEdit('${SHEET}', 'E263', '')`);
    await expect.poll(() => leadMissing.count(), { timeout: 10_000 }).toBe(before + 1);
    await fake(page, `window.__fakeHost.userEdit('${SHEET}', 'E263', 'Sở Tư pháp')`);
    await expect.poll(() => leadMissing.count(), { timeout: 10_000 }).toBe(before);

    // clicking an issue selects its cell in the workbook
    await page.locator('li.issue[data-cell="C290"] button.cell').first().click();
    await expect
      .poll(() => fake<{ rect: { r1: number; c1: number } }>(page, 'window.__fakeHost.selection'))
      .toMatchObject({ rect: { r1: 289, c1: 2 } });

    // "Chuẩn hóa": preview (cell, from → to), then one batch
    await page.click('#btn-normalize');
    const preview = page.locator('#preview');
    await preview.waitFor();
    const previewText = (await preview.textContent()) ?? '';
    expect(previewText).toContain('D290: (trống) → “Theo lộ trình đã được phê duyệt”');
    expect(previewText).toContain('C290: “Theo lộ trình đã được phê duyệt” → (trống)');
    await preview.screenshot({ path: `${OUT}/pane-preview.png` });
    const syncsBefore = await fake<number>(page, 'window.__fakeHost.syncCount');
    await page.click('#btn-apply');
    await page.locator('#status').filter({ hasText: 'Đã chuẩn hóa' }).waitFor();
    expect((await fake<number>(page, 'window.__fakeHost.syncCount')) - syncsBefore).toBe(2); // probe, then writes + marks
    for (const r of [290, 291, 294]) {
      expect(await fake(page, `window.__fakeHost.text('${SHEET}', 'D${r}')`)).toBe('Theo lộ trình đã được phê duyệt');
      expect(await fake(page, `window.__fakeHost.text('${SHEET}', 'C${r}')`)).toBe('');
    }
    await expect
      .poll(() => page.locator('li.issue[data-code="timeline.in-product"][data-cell="C290"]').count())
      .toBe(0);

    // submit as the agency, with the token entered once
    await page.fill('#in-server', base);
    await page.fill('#in-token', token);
    await page.selectOption('#in-province', 'binh-thuan');
    await page.click('#btn-save-settings');
    await expect.poll(() => page.locator('#in-round option').count()).toBeGreaterThan(1);
    await page.selectOption('#in-round', roundId);
    await page.click('#btn-submit');
    await page.locator('#submit-result').filter({ hasText: 'phiên bản 1' }).waitFor({ timeout: 30_000 });
    await page.locator('#submit-panel').screenshot({ path: `${OUT}/pane-submitted.png` });

    const list = await api('GET', `/api/rounds/${roundId}/submissions`, undefined, { cookie: reviewerCookie });
    expect(list.status).toBe(200);
    const subs = (list.body.submissions ?? list.body) as {
      id?: string;
      submissionId?: string;
      latestVersion?: number;
      version?: number;
    }[];
    expect(subs).toHaveLength(1);
    const subId = subs[0].id ?? subs[0].submissionId;
    const v1 = await api('GET', `/api/submissions/${subId}/versions/1`, undefined, { token });
    expect(v1.status).toBe(200);
    const row290 = v1.body.grids[0].rows.find((r: { index: number }) => r.index === 290);
    expect(row290.cells[3].text).toBe('Theo lộ trình đã được phê duyệt');
    expect(row290.cells[2].text).toBe('');

    // offline: the submission waits in the queue, the pane says so, and it goes out when back online
    await fake(page, `window.__fakeHost.userEdit('${SHEET}', 'F263', 'Các cơ quan, đơn vị')`);
    await page.waitForTimeout(600);
    await page.route(`${base}/api/rounds/*/sync`, (r) => r.abort('internetdisconnected'));
    await page.click('#btn-submit');
    await page.locator('#submit-result').filter({ hasText: 'sẽ tự gửi lại' }).waitFor();
    expect(await page.locator('#queue-status').textContent()).toContain('1 bài nộp đang chờ');
    await page.locator('#submit-panel').screenshot({ path: `${OUT}/pane-queued.png` });
    await page.unroute(`${base}/api/rounds/*/sync`);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.locator('#submit-result').filter({ hasText: 'phiên bản 2' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#queue-status').textContent()).toBe('');
    const sub = await api('GET', `/api/submissions/${subId}`, undefined, { token });
    expect((sub.body.versions ?? sub.body.submission?.versions)?.length).toBe(2);

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fixes one issue, adds agency drop-downs and inserts the template from the pane', async () => {
    const { page, errors } = await openPane({ withFake: true, settings: { 'phuluc.province': 'binh-thuan' } });
    await page.locator('#summary').filter({ hasText: 'nhiệm vụ' }).waitFor({ timeout: 30_000 });
    // one fix button: the HTML tags of the section title in A258
    expect(await fake(page, `window.__fakeHost.text('${SHEET}', 'A258')`)).toBe('<b>I</b>');
    await page.locator('li.issue[data-code="text.html"][data-cell="A258"] button.fix').click();
    await expect.poll(() => fake(page, `window.__fakeHost.text('${SHEET}', 'A258')`)).toBe('I');
    await expect.poll(() => page.locator('li.issue[data-code="text.html"][data-cell="A258"]').count()).toBe(0);

    await page.click('#btn-dropdowns');
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 15_000 })
      .toContain('Đã gắn danh sách chọn');
    const rules = await fake<{ rule: { list: { source: string } }; rect: { c1: number } }[]>(
      page,
      `window.__fakeHost.sheet('${SHEET}').validations`,
    );
    expect(rules.some((r) => r.rect.c1 === 4 && r.rule.list.source.startsWith('=PhuLuc_DanhMuc!$A$1'))).toBe(true); // lead column E

    await page.click('#btn-template');
    await expect
      .poll(async () => (await page.locator('#status').textContent()) ?? '', { timeout: 30_000 })
      .toContain('Đã chèn mẫu');
    const active = await fake<string>(page, 'window.__fakeHost.activeSheet().name');
    expect(active).toBe('Phụ lục (2)');
    expect(await fake(page, `window.__fakeHost.text('Phụ lục (2)', 'A5')`)).toBe('STT');
    await expect.poll(async () => (await page.locator('#summary').textContent()) ?? '').toContain('7 mục');
    await page.screenshot({ path: `${OUT}/pane-template.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('says clearly that it must be opened in Excel when loaded in a plain browser', async () => {
    const { page } = await openPane({ withFake: false });
    const msg = page.locator('#not-excel');
    await msg.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await msg.textContent()).toContain('phần bổ trợ của Excel');
    expect(await page.locator('#app').isHidden()).toBe(true);
    // Links to install it: the manifest served by this server and the dashboard's install guide.
    const manifest = await page.locator('#manifest-link').evaluate((a) => (a as HTMLAnchorElement).href);
    expect(manifest).toMatch(/\/manifest\.xml$/);
    expect(await page.locator('#install-guide').evaluate((a) => (a as HTMLAnchorElement).href)).toMatch(/\/#\/addin$/);
    // the local copy of Office.js was used (the CDN is blocked)
    expect(await page.evaluate(() => typeof (window as unknown as { Office?: unknown }).Office)).toBe('object');
    await page.screenshot({ path: `${OUT}/pane-not-in-excel.png` });
    await page.context().close();
  });
});
