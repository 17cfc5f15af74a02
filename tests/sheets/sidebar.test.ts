// The sidebar HTML that showSidebar hands to HtmlService, rendered in headless Chromium. google.script.run is
// stubbed to call the bundled add-on running over the fake spreadsheet (asynchronously, arguments and results
// through JSON, as the real bridge does), so clicks in the page reach the add-on and the sheet.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textToGrid } from '../../engine/index.js';
import { FakeSpreadsheet } from './fake-apps-script.js';
import { loadAddon, OUT, type LoadedAddon } from './run-addon.js';

const SHEET = 'Phụ lục';
const SHOTS = join(OUT);

// Runs in the page: google.script.run with withSuccessHandler/withFailureHandler chains over window.__gas.
const BRIDGE = `
  window.google = { script: { run: (function make(ok, fail) {
    return new Proxy({}, { get(_t, name) {
      if (name === 'withSuccessHandler') return (f) => make(f, fail);
      if (name === 'withFailureHandler') return (f) => make(ok, f);
      return (...args) => {
        window.__gas(String(name), JSON.stringify(args)).then((raw) => {
          const r = JSON.parse(raw);
          if (r.error) { if (fail) fail(new Error(r.error)); }
          else if (ok) ok(r.value);
        });
      };
    } });
  })(null, null) } };
`;

describe('the sidebar in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let addon: LoadedAddon;
  let ss: FakeSpreadsheet;
  const calls: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ss = new FakeSpreadsheet('Kế hoạch CCHC Bình Thuận 2024');
    ss.addSheetFromTexts(
      SHEET,
      textToGrid(readFileSync(join('seeds', '002_2bb1168879fd1a86.txt'), 'utf8'), SHEET).rows.map((r) =>
        r.cells.map((c) => c.text),
      ),
    );
    addon = await loadAddon(ss);
    addon.fn.showSidebar('check');
    const html = addon.env.ui.sidebars[0].html;
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
    page = await browser.newPage({ viewport: { width: 300, height: 900 } });
    await page.exposeFunction('__gas', (name: string, args: string) => {
      calls.push(name);
      try {
        return JSON.stringify({ value: addon.run(name, ...(JSON.parse(args) as unknown[])) ?? null });
      } catch (e) {
        return JSON.stringify({ error: (e as Error).message });
      }
    });
    page.on('pageerror', (e) => calls.push(`pageerror: ${e.message}`));
    // The bridge goes in before the sidebar's own script, as Apps Script's iframe provides it before the page runs.
    await page.setContent(html.replace('<script>', `<script>${BRIDGE}</script><script>`), { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('runs the check on open and lists the issues in Vietnamese', async () => {
    await page.waitForSelector('#issues li[data-k]');
    expect(calls[0]).toBe('check');
    const expected = addon.run('check');
    await expect.poll(() => page.locator('#issues li[data-k]').count()).toBe(expected.issues.length);
    expect(await page.locator('#status').textContent()).toBe(
      `Đã kiểm tra ${expected.stats.tasks} nhiệm vụ trên trang "${SHEET}".`,
    );
    expect(await page.locator('#stats').textContent()).toContain(`${expected.stats.warnings} cảnh báo`);
    const first = page.locator('#issues li', { hasText: 'Sản phẩm' }).first();
    expect(await first.locator('.where').textContent()).toMatch(/^Phụ lục!C\d+$/);
    expect(await first.locator('button.fix').textContent()).toBe('Chuyển sang cột Thời gian');
    await page.screenshot({ path: join(SHOTS, 'sidebar-issues.png'), fullPage: true });
  });

  it('clicking an issue jumps to its cell', async () => {
    const item = page.locator('#issues li', { hasText: 'Sản phẩm' }).first();
    const where = (await item.locator('.where').textContent())!;
    await item.locator('.msg').click();
    await expect.poll(() => ss.getActiveRange()?.getA1Notation()).toBe(where.split('!')[1]);
    expect(ss.getActiveSheet().getName()).toBe(SHEET);
  });

  it('"Chuẩn hóa" fixes the sheet and the list shrinks', async () => {
    const before = await page.locator('#issues li[data-k]').count();
    expect(await page.locator('#issues button.fix', { hasText: 'Chuyển sang cột Thời gian' }).count()).toBeGreaterThan(
      0,
    );
    await page.click('#btn-normalize');
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Đã sửa \d+ ô/);
    const after = await page.locator('#issues li[data-k]').count();
    expect(after).toBeLessThan(before);
    expect(await page.locator('#issues button.fix', { hasText: 'Chuyển sang cột Thời gian' }).count()).toBe(0);
    expect(ss.log.setValues).toHaveLength(1);
    await page.screenshot({ path: join(SHOTS, 'sidebar-normalized.png'), fullPage: true });
  });

  it('shows server errors in the status line and the settings form', async () => {
    await page.click('#btn-submit');
    await expect.poll(() => page.locator('#status').getAttribute('class')).toBe('error');
    expect(await page.locator('#status').textContent()).toMatch(/Chưa chọn đợt báo cáo/);
    await page.click('#tab-settings');
    await expect.poll(() => page.locator('#province option').count()).toBeGreaterThan(3);
    expect(await page.locator('#token-state').textContent()).toBe('Chưa có mã truy cập.');
    await page.fill('#serverUrl', 'https://phuluc.binhthuan.gov.vn');
    await page.fill('#token', 'ma-bi-mat');
    await page.selectOption('#province', 'binh-thuan');
    await page.click('form button[type=submit]');
    await expect.poll(() => page.locator('#status').textContent()).toBe('Đã lưu cài đặt.');
    expect(await page.locator('#status').isVisible()).toBe(true);
    expect(addon.env.userProperties.getProperty('phuluc.token')).toBe('ma-bi-mat');
    expect(await page.locator('#token').inputValue()).toBe('');
    expect(await page.locator('#token-state').textContent()).toMatch(/Đã lưu mã truy cập/);
    await page.screenshot({ path: join(SHOTS, 'sidebar-settings.png'), fullPage: true });
  });
});
