// Dashboard fixes in real headless Chromium against the real server (SQLite) with the demo round: locations said
// the way the officer finds them ("dòng 258" in a text file, "bảng 2, hàng 14" in Word), a fix button for every
// fix a diagnostic offers (applied as a new version by the agency's officer), accepting a version with errors asks
// first, undated tasks counted in the quarter chart, and the build choice kept after a build and a reload.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { DEMO_PASSWORD, DEMO_ROUND_TITLE, loadDemo } from '../../../server/demo.js';
import { ensureDashboard } from '../../../scripts/build-dashboard.js';
import { seedToDocx } from '../../io/docx-seed.js';
import { startServer, type TestServer } from '../api/harness.js';

const OUT = join(ROOT, 'test-output', 'dashboard');
const TEXT_SEED = '002_2bb1168879fd1a86.txt';

let t: TestServer;
let browser: Browser;

async function signIn(username: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
  const page = await ctx.newPage();
  await page.goto(t.base + '/#/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Các đợt báo cáo' }).waitFor();
  return page;
}

async function openOwnSubmission(page: Page, agencyName: string) {
  await page.getByRole('link', { name: DEMO_ROUND_TITLE }).click();
  await page.getByRole('link', { name: agencyName }).click();
  await page.getByRole('heading', { name: agencyName }).waitFor();
  await page.locator('#diagnostics').waitFor();
}

const rowsOf = (page: Page, code: string) => page.locator(`#diagnostics tr[data-code="${code}"]`);

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureDashboard();
  t = await startServer();
  await loadDemo(t.services, ROOT);
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

describe('dashboard fixes', () => {
  it('a text upload reads "dòng N"; the fix a diagnostic offers is a button that makes a new version', async () => {
    const lines = readFileSync(join(ROOT, 'seeds', TEXT_SEED), 'utf8').split(/\r?\n/);
    const page = await signIn('khdt');
    await openOwnSubmission(page, 'Sở Kế hoạch và Đầu tư');
    const html = rowsOf(page, 'text.html');
    const before = await html.count();
    expect(before).toBeGreaterThan(0);
    let downloads = 0;
    for (const cells of await Promise.all((await html.all()).map((r) => r.locator('td').allInnerTexts()))) {
      // The place, then the row of the version's Excel download that shows the same task.
      const [place, download] = cells[0].split('\n');
      const m = /^dòng (\d+)(, ô thứ \d+)?$/.exec(place);
      expect(m, cells[0]).not.toBeNull();
      // A repeated header line (a page break in the source) is in no row of the download: it says nothing then.
      if (download !== undefined) expect(download).toMatch(/^hàng \d+ trong tệp Excel tải về$/);
      downloads += download === undefined ? 0 : 1;
      // The line the officer opens in their file holds the tag; the message says the same place, not a cell.
      expect(lines[Number(m![1]) - 1]).toMatch(/<\/?[a-z]/i);
      expect(cells[2]).toMatch(new RegExp(`^Dòng ${m![1]}(, ô thứ \\d+)? chứa thẻ HTML`));
      expect(cells[3]).not.toMatch(/Bấm/);
    }
    expect(downloads).toBeGreaterThan(0);
    expect(
      (await page.locator('#diagnostics td.cell').allInnerTexts()).filter((x) => /^[A-Z]{1,3}\d+$|!/.test(x)),
    ).toEqual([]);
    await page.screenshot({ path: join(OUT, '40-text-places.png'), fullPage: true });

    const first = html.first();
    const where = (await first.locator('td').first().innerText()).split('\n')[0];
    await first.getByRole('button', { name: 'Sửa: Bỏ thẻ HTML' }).click();
    await page.getByRole('heading', { name: 'Kết quả kiểm tra phiên bản 2' }).waitFor();
    await expect
      .poll(() => page.locator('#flash').textContent())
      .toMatch(/^Đã sửa \(Bỏ thẻ HTML\) và lưu thành phiên bản 2/);
    expect(await rowsOf(page, 'text.html').count()).toBe(before - 1);
    expect(await page.locator('#versions').innerText()).toContain('Sửa trên bảng điều khiển');
    expect(
      (await rowsOf(page, 'text.html').locator('td.cell').allInnerTexts()).map((x) => x.split('\n')[0]),
    ).not.toContain(where);
    await page.context().close();
  });

  it('a Word upload reads "bảng K, hàng J" of the table the officer sees', async () => {
    const { bytes } = await seedToDocx(readFileSync(join(ROOT, 'seeds', TEXT_SEED), 'utf8'));
    const path = join(OUT, 'seed-002.docx');
    writeFileSync(path, bytes);
    // The places of the cells holding a tag, counted in the document itself.
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    const expected = new Set<string>();
    [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].forEach((tbl, k) =>
      [...tbl[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].forEach((tr, j) =>
        [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].forEach((tc, c) => {
          if (/&lt;\/?[a-z]/i.test(tc[0])) expected.add(`bảng ${k + 1}, hàng ${j + 1}, ô thứ ${c + 1}`);
        }),
      ),
    );
    expect([...expected].some((p) => p.startsWith('bảng 2,'))).toBe(true);

    const page = await signIn('yte');
    await page.getByRole('link', { name: DEMO_ROUND_TITLE }).click();
    await page.locator('#upload-file').setInputFiles(path);
    await page.getByRole('button', { name: 'Nộp phụ lục' }).click();
    await expect.poll(() => page.locator('#flash').textContent()).toMatch(/Đã nộp phiên bản 1/);
    await page.locator('#status-table').getByRole('link', { name: 'Sở Y tế' }).click();
    await page.locator('#diagnostics').waitFor();
    const places = (await rowsOf(page, 'text.html').locator('td.cell').allInnerTexts()).map((x) => x.split('\n')[0]);
    expect(places.length).toBeGreaterThan(0);
    for (const p of places) expect(expected, p).toContain(p);
    expect(places.some((p) => p.startsWith('bảng 2,'))).toBe(true);
    const message = await rowsOf(page, 'text.html').first().locator('td').nth(2).innerText();
    expect(message).toMatch(/^Bảng \d+, hàng \d+, ô thứ \d+ chứa thẻ HTML/);
    await page.screenshot({ path: join(OUT, '41-word-places.png'), fullPage: true });
    await page.context().close();
  });

  it('accepting a version that still has errors asks first; the reviewer gets no fix button', async () => {
    const page = await signIn('chuyenvien');
    await openOwnSubmission(page, 'Sở Tư pháp');
    const errors = await page.locator('#diagnostics tr.sev-row-error').count();
    expect(errors).toBeGreaterThan(0);
    expect(await page.locator('#diagnostics button').count()).toBe(0);
    expect(await page.locator('#diagnostics').innerText()).not.toMatch(/Bấm/);
    const badge = page.locator('main .badge').first();
    await page.getByRole('button', { name: 'Chấp nhận' }).click();
    const confirm = page.locator('#accept-confirm');
    await expect.poll(() => confirm.isVisible()).toBe(true);
    expect(await confirm.innerText()).toContain(`còn ${errors} lỗi`);
    expect(await badge.textContent()).toBe('Đã nộp, chờ xem xét');
    await page.screenshot({ path: join(OUT, '42-accept-confirm.png'), fullPage: true });
    await confirm.getByRole('button', { name: 'Không chấp nhận' }).click();
    expect(await confirm.isVisible()).toBe(false);
    expect(await badge.textContent()).toBe('Đã nộp, chờ xem xét');
    await page.getByRole('button', { name: 'Chấp nhận' }).click();
    await confirm.getByRole('button', { name: 'Vẫn chấp nhận' }).click();
    await expect.poll(() => badge.textContent()).toBe('Đã chấp nhận');
    await page.context().close();
  });

  it('the quarter chart counts every row, undated ones as "chưa xác định thời gian"; the build choice stays', async () => {
    const page = await signIn('chuyenvien');
    await page.getByRole('link', { name: DEMO_ROUND_TITLE }).click();
    await page.getByLabel('Tổng hợp từ').selectOption('latest');
    await page.getByRole('button', { name: 'Tổng hợp báo cáo' }).click();
    await expect.poll(() => page.locator('#report-headline').textContent()).toMatch(/nhóm cần xem xét/);
    const rows = Number(
      /(\d+)\s*dòng trong phụ lục tổng hợp/.exec(await page.locator('#report-result').innerText())![1],
    );
    const chart = page.locator('figure.chart', { hasText: 'Nhiệm vụ theo quý' });
    const desc = (await chart.locator('desc').textContent())!;
    const items = desc.split('; ').map((x) => /^(.*): (\d+)$/.exec(x)!);
    const undated = items.find((m) => m[1] === 'Chưa xác định thời gian');
    expect(undated, desc).toBeTruthy();
    expect(Number(undated![2])).toBeGreaterThan(0);
    expect(items.reduce((n, m) => n + Number(m[2]), 0)).toBe(rows);
    await page.screenshot({ path: join(OUT, '43-quarters.png'), fullPage: true });
    await page.reload();
    await page.getByRole('heading', { name: DEMO_ROUND_TITLE }).waitFor();
    expect(await page.getByLabel('Tổng hợp từ').inputValue()).toBe('latest');
    await page.context().close();
  });
});
