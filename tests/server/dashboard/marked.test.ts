// The dashboard pages for hosts without the add-in, in real headless Chromium against the real server:
// "Kiểm tra tệp Excel" uploads an officer's workbook and downloads the marked copy; "Cài phần bổ trợ" (public, so
// the task pane can link it before sign-in) offers the manifest and the install steps.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { ensureDashboard } from '../../../scripts/build-dashboard.js';
import { readFileToGrids } from '../../../io/index.js';
import { writeGridsXlsx } from '../../../io/xlsx-write.js';
import { addUser, PASSWORD, startServer, type TestServer } from '../api/harness.js';

const OUT = join(ROOT, 'test-output', 'dashboard');
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureDashboard();
  t = await startServer();
  await addUser(t, 'tuphap', 'agency', { id: 'ninh-binh.so-tu-phap', name: 'Sở Tư pháp' }, 'ninh-binh');
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
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('dashboard: marked copy and add-in install', () => {
  it('an officer uploads a workbook and downloads it marked, with the counts on the page', async () => {
    const grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', '002_2bb1168879fd1a86.txt')), 'Phụ lục.txt');
    const file = join(OUT, 'phu-luc-can-kiem-tra.xlsx');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, await writeGridsXlsx(grids));
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(t.base + '/#/login');
    await page.getByLabel('Tên đăng nhập').fill('tuphap');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Các đợt báo cáo' }).waitFor();
    await page.getByRole('link', { name: 'Kiểm tra tệp Excel' }).click();
    await page.getByRole('heading', { name: 'Kiểm tra tệp Excel' }).waitFor();
    await page.getByLabel('Tệp phụ lục (.xlsx)').setInputFiles(file);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Kiểm tra và tải bản đánh dấu' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('phu-luc-can-kiem-tra - kiểm tra.xlsx');
    const bytes = readFileSync(await download.path());
    expect(Buffer.from(unzipSync(new Uint8Array(bytes))['xl/workbook.xml']).toString()).toContain('name="Kiểm tra"');
    await expect.poll(() => page.locator('#check-result').innerText()).toMatch(/\d+ lỗi, \d+ cảnh báo, \d+ thông tin/);
    await page.screenshot({ path: join(OUT, '30-check-marked.png'), fullPage: true });
    await ctx.close();
  });

  it('"Cài phần bổ trợ" opens without signing in and links the manifest', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(t.base + '/#/addin');
    await page.getByRole('heading', { name: 'Cài phần bổ trợ' }).waitFor();
    const href = await page.getByRole('link', { name: 'Tải tệp cài đặt (manifest.xml)' }).getAttribute('href');
    const manifest = await fetch(new URL(href!, t.base));
    expect(manifest.status).toBe(200);
    expect(await manifest.text()).toMatch(/<OfficeApp/);
    expect(await page.locator('main').innerText()).toMatch(/Thư mục Dùng chung/);
    await page.screenshot({ path: join(OUT, '31-install.png'), fullPage: true });
    await ctx.close();
  });
});
