// The reviewer's merge / keep-apart panel in real headless Chromium against the real server (SQLite) with the demo
// round's four seed annexes: the report keeps all 196 tasks, the reviewer merges one candidate group through the
// dashboard, splits it again ("Giữ riêng"), undoes that, and the audit page shows each step.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { DEMO_PASSWORD, DEMO_ROUND_TITLE, loadDemo } from '../../../server/demo.js';
import { ensureDashboard } from '../../../scripts/build-dashboard.js';
import type { Grid } from '../../../engine/index.js';
import { Client, startServer, type TestServer } from '../api/harness.js';

const OUT = join(ROOT, 'test-output', 'dashboard');

let t: TestServer;
let browser: Browser;

async function shot(page: Page, name: string) {
  expect(await page.locator('body').innerText(), name).not.toMatch(/\[object |\bundefined\b|\bnull\b|NaN/);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/** A reviewer of the demo province signed in, on the demo round's page (downloads allowed). */
async function reviewerOnDemoRound() {
  const ctx = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'vi-VN',
    acceptDownloads: true,
  });
  const page = await ctx.newPage();
  await page.goto(t.base + '/#/login');
  await page.getByLabel('Tên đăng nhập').fill('chuyenvien');
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('link', { name: DEMO_ROUND_TITLE }).click();
  await page.getByRole('heading', { name: DEMO_ROUND_TITLE }).waitFor();
  return { ctx, page };
}

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

describe('dashboard: candidate groups', () => {
  it('merges one group, splits it again and undoes; the report and the audit follow', async () => {
    const { ctx, page } = await reviewerOnDemoRound();

    await page.getByLabel('Tổng hợp từ').selectOption('latest');
    await page.getByRole('button', { name: 'Tổng hợp báo cáo' }).click();
    const headline = page.locator('#report-headline');
    await expect.poll(() => headline.textContent()).toMatch(/^196 nhiệm vụ của 4 cơ quan, \d+ nhóm cần xem xét$/);
    const pending = Number(/, (\d+) nhóm/.exec((await headline.textContent())!)![1]);
    expect(pending).toBeGreaterThan(0);
    const groups = page.locator('article.candidate');
    // The panel renders after the headline: wait for it rather than count at once.
    await expect.poll(() => groups.count()).toBe(pending);

    // The first group: its members with agency, number in the report, text with the differing words marked.
    const group = groups.first();
    const groupId = (await group.getAttribute('data-group'))!;
    const byId = () => page.locator(`article.candidate[data-group="${groupId}"]`);
    expect(await group.locator('h4').innerText()).toMatch(/độ tương đồng \d+%/);
    const members = await group.locator('tbody tr').count();
    expect(members).toBeGreaterThanOrEqual(2);
    const firstRow = await group.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(firstRow[0]).toMatch(/^[IVX]+\.\d+$/);
    expect(firstRow[1]).toMatch(/^Sở /);
    expect(await group.locator('mark').count()).toBeGreaterThan(0);
    await shot(page, '30-candidates');

    // Merge: one row fewer per merged task, the group says so, the headline counts one group less.
    await group.getByRole('button', { name: 'Gộp', exact: true }).click();
    await expect.poll(() => byId().getAttribute('data-decision')).toBe('merge');
    await expect.poll(() => page.locator('#flash').textContent()).toMatch(/Đã gộp \d+ nhiệm vụ .* thành một dòng/);
    expect(await headline.textContent()).toBe(`196 nhiệm vụ của 4 cơ quan, ${pending - 1} nhóm cần xem xét`);
    expect(await page.locator('#report-result').innerText()).toMatch(
      new RegExp(`${196 - (members - 1)}\\s*dòng trong phụ lục tổng hợp`),
    );
    expect(await byId().locator('h4').innerText()).toContain('Đã gộp thành một dòng');
    await shot(page, '31-merged');

    // Split it again: keep apart replaces the merge; every task has its own row again.
    await byId().getByRole('button', { name: 'Giữ riêng' }).click();
    await expect.poll(() => byId().getAttribute('data-decision')).toBe('apart');
    expect(await page.locator('#report-result').innerText()).toMatch(/196\s*dòng trong phụ lục tổng hợp/);
    expect(await headline.textContent()).toBe(`196 nhiệm vụ của 4 cơ quan, ${pending - 1} nhóm cần xem xét`);

    // Undo: the group waits for a decision again.
    await byId().getByRole('button', { name: 'Hủy quyết định' }).click();
    await expect.poll(() => byId().getAttribute('data-decision')).toBe('pending');
    expect(await headline.textContent()).toBe(`196 nhiệm vụ của 4 cơ quan, ${pending} nhóm cần xem xét`);

    await page.getByRole('link', { name: 'Nhật ký hoạt động của đợt này' }).click();
    const audit = page.locator('#audit');
    await audit.waitFor();
    const rows = (await audit.locator('tbody tr').allInnerTexts()).filter((r) =>
      /nhóm nhiệm vụ|Hủy quyết định/.test(r),
    );
    expect(rows.map((r) => r.split('\t')[2])).toEqual([
      'Gộp nhóm nhiệm vụ',
      'Giữ riêng nhóm nhiệm vụ',
      'Hủy quyết định gộp / giữ riêng',
    ]);
    for (const r of rows) expect(r).toContain(firstRow[1]);
    await shot(page, '32-audit-decisions');

    // A merge whose member's text then changes: the rebuilt report shows the decision as not applied; it can be undone.
    const roundId = decodeURIComponent(/roundId=([^&]+)/.exec(page.url())![1]);
    const api = new Client(t.base);
    await api.login('chuyenvien', DEMO_PASSWORD);
    const merged = await api.post(`/api/rounds/${roundId}/decisions`, { group: groupId, action: 'merge' });
    expect(merged.status).toBe(201);
    const member = merged.body.decision.members[0] as { agencyId: string; task: string };
    const subs = (await api.get(`/api/rounds/${roundId}/submissions`)).body.submissions as {
      id: string;
      agencyId: string;
      latestVersion: number;
    }[];
    const sub = subs.find((x) => x.agencyId === member.agencyId)!;
    const grids = (await api.get(`/api/submissions/${sub.id}/versions/${sub.latestVersion}`)).body.grids as Grid[];
    const cells = grids
      .flatMap((g) => g.rows.flatMap((r) => r.cells))
      .filter((c) => c.text.normalize('NFC').replace(/\s+/g, ' ').includes(member.task));
    expect(cells).toHaveLength(1);
    cells[0].text += ' và báo cáo kết quả';
    expect((await api.post(`/api/rounds/${roundId}/submissions`, { grids, agencyId: member.agencyId })).status).toBe(
      201,
    );
    await page.getByRole('link', { name: '← Về đợt báo cáo' }).click();
    await page.getByRole('button', { name: 'Tổng hợp báo cáo' }).click();
    const stale = page.locator('#stale-decisions');
    await expect.poll(() => stale.count()).toBe(1);
    expect(await stale.innerText()).toContain(`Đã đổi: “${member.task}”`);
    expect(await page.locator('#report-result').innerText()).toMatch(/196\s*dòng trong phụ lục tổng hợp/);
    await shot(page, '33-stale-decision');
    await stale.getByRole('button', { name: 'Hủy quyết định cũ' }).click();
    await expect.poll(() => page.locator('#stale-decisions').count()).toBe(0);
    await ctx.close();
  });

  it('adds the NĐ 30 cover block to the Word and Excel downloads as typed, and keeps it for the next visit', async () => {
    const { ctx, page } = await reviewerOnDemoRound();
    await page.getByRole('button', { name: 'Tổng hợp báo cáo' }).click();
    await page.locator('#report-headline').waitFor();
    const docxLink = page.locator('#report-docx');
    expect(await docxLink.getAttribute('href')).toMatch(/report\.docx$/);
    expect(await page.getByLabel('Số, ký hiệu').isVisible()).toBe(false);

    await page.getByLabel(/Thêm phần đầu văn bản và Nơi nhận/).check();
    await page.getByLabel('Cơ quan ban hành').fill('Sở Nội vụ');
    await page.getByLabel('Số, ký hiệu').fill('15/BC-SNV');
    await page.getByLabel(/Ngày ban hành/).fill('2026-12-01');
    await page.getByLabel(/^Nơi nhận/).fill('Bộ Nội vụ;\nUBND tỉnh;');
    expect(await page.locator('#report-xlsx').getAttribute('href')).toContain('cover=1');
    await shot(page, '34-cover-block');

    const [download] = await Promise.all([page.waitForEvent('download'), docxLink.click()]);
    const JSZip = (await import('jszip')).default;
    const xml = await (
      await JSZip.loadAsync(await readFile((await download.path())!))
    )
      .file('word/document.xml')!
      .async('string');
    const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n');
    for (const want of ['SỞ NỘI VỤ', 'Số: 15/BC-SNV', 'ngày 01 tháng 12 năm 2026', 'Bộ Nội vụ;', 'UBND tỉnh;'])
      expect(text, want).toContain(want);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');

    // The next visit finds the cover as it was left.
    await page.reload();
    await page.locator('#report-headline').waitFor();
    expect(await page.getByLabel('Số, ký hiệu').inputValue()).toBe('15/BC-SNV');
    expect(await page.getByLabel(/Thêm phần đầu văn bản/).isChecked()).toBe(true);
    // Off again: the downloads carry no cover.
    await page.getByLabel(/Thêm phần đầu văn bản/).uncheck();
    expect(await docxLink.getAttribute('href')).toMatch(/report\.docx$/);
    await ctx.close();
  });
});
