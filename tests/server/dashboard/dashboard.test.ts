// The dashboard in real headless Chromium against the real server (SQLite): sign-in, an agency
// uploads a seed annex as xlsx, Sở Nội vụ returns it with a comment, the agency resubmits, Sở Nội vụ
// compares versions, accepts, builds the consolidated report and downloads it; then the audit trail.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { ensureDashboard } from '../../../scripts/build-dashboard.js';
import { addUser, Client, PASSWORD, startServer, type TestServer } from '../api/harness.js';

const OUT = join(ROOT, 'test-output', 'dashboard');
const SEED = '000_683635a77beddbc9.txt';

let t: TestServer;
let browser: Browser;
let agency: { id: string; name: string };
let others: { id: string; name: string }[] = [];

/** The seed's annex table as an xlsx, one text line per row; `edit` changes lines before writing. */
async function seedXlsx(file: string, edit: (lines: string[]) => string[] = (l) => l): Promise<string> {
  const text = readFileSync(join(ROOT, 'seeds', SEED), 'utf8');
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((l) => l.startsWith('STT\tNhiệm vụ cụ thể'));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Phụ lục');
  ws.addRow(['Phụ lục']);
  ws.addRow(['NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026']);
  for (const line of edit(lines.slice(header))) ws.addRow(line.split('\t'));
  const path = join(OUT, file);
  await wb.xlsx.writeFile(path);
  return path;
}

async function signIn(ctx: BrowserContext, username: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(t.base + '/');
  await page.waitForURL(/#\/login$/);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Các đợt báo cáo' }).waitFor();
  return page;
}

/** Screenshot, after checking that no placeholder leaked into the page ("null", "[object …]", "undefined"). */
async function shot(page: Page, name: string) {
  expect(await page.locator('body').innerText(), name).not.toMatch(/\[object |\bundefined\b|\bnull\b|NaN/);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureDashboard();
  t = await startServer();
  const admin = new Client(t.base);
  await addUser(t, 'admin', 'admin', null, 'ninh-binh');
  await admin.login('admin');
  // Sở Nội vụ and one agency of the province's directory after the 2025 mergers.
  const dir = await admin.get('/api/directory?province=ninh-binh&date=2026-01-01');
  const agencies = ((dir.body?.agencies ?? []) as { id: string; name: string; kind: string }[]).filter(
    (a) => a.kind === 'agency',
  );
  const find = (name: string, i: number) =>
    agencies.find((a) => a.name === name) ?? agencies[i] ?? { id: `ninh-binh.test-${i}`, name: `Cơ quan thử ${i}` };
  const noiVu = find('Sở Nội vụ', 0);
  agency = find('Sở Tư pháp', 1);
  const other = find('Sở Tài chính', 2);
  await t.handle.db
    .updateTable('users')
    .set({ agency_id: noiVu.id, agency_name: noiVu.name })
    .where('username', '=', 'admin')
    .execute();
  await addUser(t, 'tuphap', 'agency', agency, 'ninh-binh');
  others = [other];
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

describe('dashboard', () => {
  it('goes from upload through return, resubmission, acceptance and the consolidated report', async () => {
    const v1 = await seedXlsx('seed-v1.xlsx');
    const v2 = await seedXlsx('seed-v2.xlsx', (lines) =>
      lines.map((l) =>
        l.startsWith('1\tRà soát, hệ thống hóa VBQPPL\t') ? l.replace(/Thường xuyên$/, 'Quý IV/2026') : l,
      ),
    );
    const agencyCtx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    const adminCtx = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'vi-VN',
      acceptDownloads: true,
    });

    // Sở Nội vụ opens the round from the dashboard, expecting two agencies.
    const admin = await signIn(adminCtx, 'admin');
    await admin.locator('#round-agencies input').first().waitFor();
    await admin.getByLabel('Tên đợt báo cáo').fill('Kế hoạch CCHC năm 2026');
    await admin.getByLabel('Năm kế hoạch').fill('2026');
    await admin.getByLabel('Hạn nộp').fill('2026-12-31');
    const wanted = [agency.id, ...others.map((o) => o.id)];
    for (const box of await admin.locator('#round-agencies input[name=agency]').all()) {
      if (wanted.includes((await box.getAttribute('value'))!)) await box.check();
      else await box.uncheck();
    }
    await shot(admin, '02-open-round');
    await admin.getByRole('button', { name: 'Mở đợt báo cáo' }).click();
    await admin.getByRole('heading', { name: 'Kế hoạch CCHC năm 2026' }).waitFor();
    await expect.poll(() => admin.locator('#status-table tbody tr').count()).toBe(2);

    // Agency officer: sign in, open the round, upload the annex.
    const officer = await signIn(agencyCtx, 'tuphap');
    await officer.getByRole('link', { name: 'Kế hoạch CCHC năm 2026' }).click();
    await officer.getByRole('heading', { name: 'Kế hoạch CCHC năm 2026' }).waitFor();
    await officer.locator('#upload-file').setInputFiles(v1);
    await officer.getByRole('button', { name: 'Nộp phụ lục' }).click();
    // The first upload starts the parse pool's thread, which compiles the engine from its sources under tsx.
    await expect
      .poll(() => officer.locator('#flash').textContent(), { timeout: 30_000 })
      .toMatch(/Đã nộp phiên bản 1: \d+ nhiệm vụ/);
    await shot(officer, '01-agency-uploaded');

    // Sở Nội vụ: the status table shows the submission; two SVG charts are drawn.
    await admin.getByRole('link', { name: 'Đợt báo cáo', exact: true }).click();
    await admin.getByRole('link', { name: 'Kế hoạch CCHC năm 2026' }).click();
    const row = admin.locator(`#status-table tr[data-agency="${agency.id}"]`);
    await expect.poll(() => row.textContent()).toContain('Đã nộp, chờ xem xét');
    expect(await admin.locator('#status-table tbody tr').count()).toBe(2);
    expect(await admin.locator('#status-table tbody').textContent()).toContain('Chưa nộp');
    expect(await admin.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(2);
    const areaChart = admin.locator('figure.chart').nth(1);
    expect(await areaChart.textContent()).toContain('Cải cách thể chế');
    await shot(admin, '03-round-status');

    // Detail: diagnostics list, then return with a comment.
    await row.getByRole('link', { name: agency.name }).click();
    await admin.getByRole('heading', { name: agency.name }).waitFor();
    await admin.getByRole('heading', { name: 'Kết quả kiểm tra phiên bản 1' }).waitFor();
    const diagnostics = await admin.locator('#diagnostics tbody tr').count();
    if (diagnostics)
      expect(await admin.locator('#diagnostics tbody tr').first().locator('td').nth(2).textContent()).not.toBe('');
    await admin.getByRole('button', { name: 'Trả lại' }).click();
    await expect.poll(() => admin.locator('#flash').textContent()).toContain('Nhập ý kiến trả lại');
    await admin.getByLabel('Ý kiến khi trả lại').fill('Đề nghị ghi rõ thời hạn hoàn thành của nhiệm vụ I.1.');
    await admin.getByRole('button', { name: 'Trả lại' }).click();
    await expect.poll(() => admin.locator('main .badge').first().textContent()).toBe('Đã trả lại');
    await shot(admin, '04-returned');

    // Agency sees the comment and resubmits the corrected file.
    await officer.reload();
    await officer.getByRole('link', { name: agency.name }).click();
    await expect.poll(() => officer.locator('#comments').textContent()).toContain('Đề nghị ghi rõ thời hạn hoàn thành');
    await officer.locator('#upload-file').setInputFiles(v2);
    await officer.getByRole('button', { name: 'Nộp phụ lục' }).click();
    await expect.poll(() => officer.locator('#flash').textContent()).toMatch(/Đã nộp phiên bản 2/);
    await officer.getByRole('heading', { name: 'Kết quả kiểm tra phiên bản 2' }).waitFor();
    await shot(officer, '05-agency-resubmitted');

    // Sở Nội vụ compares versions 1 → 2 and accepts.
    await admin.reload();
    await admin.getByRole('heading', { name: 'Kết quả kiểm tra phiên bản 2' }).waitFor();
    await admin.getByRole('button', { name: 'So sánh' }).click();
    const diff = admin.locator('#diff-result');
    await expect.poll(() => diff.textContent()).toContain('Phiên bản 1 → 2');
    expect(await diff.textContent()).toContain('Quý IV/2026');
    await shot(admin, '06-diff');
    await admin.getByRole('button', { name: 'Chấp nhận' }).click();
    // A version that still has errors is accepted only after the reviewer confirms it.
    if (await admin.locator('#diagnostics tr.sev-row-error').count())
      await admin.locator('#accept-confirm').getByRole('button', { name: 'Vẫn chấp nhận' }).click();
    await expect.poll(() => admin.locator('main .badge').first().textContent()).toBe('Đã chấp nhận');

    // Consolidated report: build, then download the xlsx and the csv.
    await admin.getByRole('link', { name: '← Về đợt báo cáo' }).click();
    await admin.getByRole('button', { name: 'Tổng hợp báo cáo' }).click();
    await expect.poll(() => admin.locator('#flash').textContent()).toMatch(/Đã tổng hợp báo cáo: \d+ nhiệm vụ/);
    await admin.getByRole('link', { name: 'Excel (.xlsx)' }).waitFor();
    await shot(admin, '07-report');
    const [xlsxDownload] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Excel (.xlsx)' }).click(),
    ]);
    const xlsxPath = join(OUT, 'tong-hop.xlsx');
    await xlsxDownload.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Phụ lục', 'Tổng hợp', 'Trùng lặp, xung đột']);
    const sheet = wb.getWorksheet('Phụ lục')!;
    expect(sheet.getCell('A1').value).toBe('Phụ lục');
    // One title for the xlsx and the docx of the report (templates/official-style.ts consolidatedTitle).
    expect(sheet.getCell('A2').value).toBe('NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA TỈNH NINH BÌNH');
    expect(sheet.pageSetup.printTitlesRow).toBe('5:6');
    const sources: string[] = [];
    sheet.eachRow((r, n) => {
      if (n > 6 && /^\d+$/.test(String(r.getCell(1).value))) sources.push(String(r.getCell(7).value));
    });
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.every((x) => x.startsWith(agency.name))).toBe(true);
    const [csvDownload] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'CSV' }).click(),
    ]);
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toContain('Nhiệm vụ');
    expect(csv.split('\r\n').filter(Boolean).length).toBe(sources.length + 1);
    const [docxDownload] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Word (.docx)' }).click(),
    ]);
    const docx = readFileSync(await docxDownload.path());
    expect(docx.subarray(0, 2).toString()).toBe('PK');
    expect(docxDownload.suggestedFilename()).toMatch(/\.docx$/);
    // The round page offers the annex template of the round's province and year.
    const [templateDownload] = await Promise.all([
      admin.waitForEvent('download'),
      admin.locator('#template-link').click(),
    ]);
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(readFileSync(await templateDownload.path()) as unknown as ArrayBuffer);
    expect(template.worksheets.map((w) => w.name)).toContain('Hướng dẫn');

    // Audit trail of the round.
    await admin.getByRole('link', { name: 'Nhật ký hoạt động của đợt này' }).click();
    const audit = admin.locator('#audit');
    await audit.waitFor();
    const auditText = await audit.textContent();
    for (const action of ['Nộp phụ lục', 'Trả lại phụ lục', 'Chấp nhận phụ lục', 'Tổng hợp báo cáo'])
      expect(auditText).toContain(action);
    await shot(admin, '08-audit');

    await agencyCtx.close();
    await adminCtx.close();
  });

  it('refuses a wrong password with a Vietnamese message and stays on the sign-in page', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    // Outside the API (whose 401s are answers), nothing the page loads may fail: the icon included.
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/')) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(t.base + '/#/login');
    const icon = await page.request.get(
      new URL((await page.locator('link[rel=icon]').getAttribute('href'))!, t.base + '/').href,
    );
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/svg/);
    await page.getByLabel('Tên đăng nhập').fill('admin');
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => page.locator('#flash .msg.error').textContent()).toMatch(/\p{L}/u);
    expect(page.url()).toMatch(/#\/login$/);
    expect(failed).toEqual([]);
    await shot(page, '00-login-refused');
    await ctx.close();
  });

  it('an officer makes an add-in token, sees it once, and revokes it; the audit names people', async () => {
    const ctx = await browser.newContext();
    const page = await signIn(ctx, 'tuphap');
    await page.getByRole('link', { name: 'Mã truy cập' }).click();
    await page.getByRole('heading', { name: 'Mã truy cập của phần bổ trợ' }).waitFor();
    await page.getByLabel('Tên gợi nhớ').fill('Máy phòng Tổng hợp');
    await page.getByLabel('Số ngày dùng được').fill('30');
    await page.getByRole('button', { name: 'Tạo mã truy cập' }).click();
    const value = await page.locator('#token-value').inputValue();
    expect(value).toMatch(/^plt_/);
    const tok = new Client(t.base);
    tok.token = value;
    expect((await tok.get('/api/me')).status).toBe(200);
    const row = page.locator('#tokens tbody tr', { hasText: 'Máy phòng Tổng hợp' });
    await expect.poll(() => row.innerText()).toMatch(/Đang dùng được/);
    await shot(page, '20-tokens');
    await row.getByRole('button', { name: 'Thu hồi' }).click();
    await expect.poll(() => row.innerText()).toMatch(/Đã thu hồi/);
    expect((await tok.get('/api/me')).status).toBe(401);
    await page.getByRole('link', { name: 'Nhật ký' }).click();
    await page.locator('#audit').waitFor();
    expect(await page.locator('#audit').innerText()).toMatch(
      /Người dùng tuphap\tThu hồi mã truy cập\tMáy phòng Tổng hợp/,
    );
    await ctx.close();
  });

  it('after an admin reset the officer must change the password before anything else', async () => {
    const admin = new Client(t.base);
    await admin.login('admin');
    const id = (await admin.get('/api/users')).body.users.find((u: { username: string }) => u.username === 'tuphap').id;
    expect((await admin.post(`/api/users/${id}/reset-password`, { password: 'tam-thoi-2026' })).status).toBe(200);
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(t.base + '/#/login');
    await page.getByLabel('Tên đăng nhập').fill('tuphap');
    await page.getByLabel('Mật khẩu').fill('tam-thoi-2026');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Đổi mật khẩu' }).waitFor();
    await shot(page, '21-password-change');
    await page.getByLabel('Mật khẩu hiện tại').fill('tam-thoi-2026');
    await page.getByLabel('Mật khẩu mới').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL(/#\/login$/);
    await page.getByLabel('Tên đăng nhập').fill('tuphap');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Các đợt báo cáo' }).waitFor();
    await ctx.close();
  });
  it('an admin disables and re-enables an account and sets a temporary password from the Tài khoản page', async () => {
    await addUser(t, 'taichinh', 'agency', others[0], 'ninh-binh');
    const adminCtx = await browser.newContext();
    const admin = await signIn(adminCtx, 'admin');
    await admin.getByRole('link', { name: 'Tài khoản' }).click();
    await admin.getByRole('heading', { name: 'Tài khoản' }).waitFor();
    const row = admin.locator('#users tr[data-username="taichinh"]');
    await expect.poll(() => row.locator('td.state').textContent()).toBe('Đang dùng');
    // The admin's own row has no buttons: nobody locks themselves out.
    expect(await admin.locator('#users tr[data-username="admin"] button').count()).toBe(0);

    await row.getByRole('button', { name: 'Khoá' }).click();
    await expect.poll(() => admin.locator('#flash').textContent()).toMatch(/Đã khoá tài khoản "taichinh"/);
    await expect.poll(() => row.locator('td.state').textContent()).toBe('Đã khoá');
    const locked = new Client(t.base);
    const refused = await locked.post('/api/auth/login', { username: 'taichinh', password: PASSWORD });
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({
      status: 403,
      code: 'auth.account-disabled',
    });

    await row.getByRole('button', { name: 'Mở khoá' }).click();
    await expect.poll(() => row.locator('td.state').textContent()).toBe('Đang dùng');
    await row.getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
    const temp = row.getByLabel('Mật khẩu tạm cho taichinh');
    expect(await temp.inputValue()).toMatch(/^[A-Za-z0-9]{12}$/);
    await temp.fill('tam-thoi-taichinh');
    await row.getByRole('button', { name: 'Lưu mật khẩu tạm' }).click();
    await expect.poll(() => admin.locator('#flash').textContent()).toMatch(/Đã đặt mật khẩu tạm "tam-thoi-taichinh"/);
    await expect.poll(() => row.locator('td.state').textContent()).toBe('Phải đổi mật khẩu khi đăng nhập');
    await shot(admin, '22-accounts');

    // The officer's old password no longer works; the temporary one leads to the forced change.
    const officer = new Client(t.base);
    expect((await officer.post('/api/auth/login', { username: 'taichinh', password: PASSWORD })).status).toBe(401);
    const temporary = await officer.post('/api/auth/login', { username: 'taichinh', password: 'tam-thoi-taichinh' });
    expect(temporary.body.user.mustChangePassword).toBe(true);

    // The audit names each step.
    const reader = new Client(t.base);
    await reader.login('admin');
    const actions = ((await reader.get('/api/audit')).body.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disable', 'user.enable', 'user.password-reset']));
    // An agency officer is shown no such page.
    const tp = await signIn(await browser.newContext(), 'tuphap');
    expect(await tp.getByRole('link', { name: 'Tài khoản' }).isVisible()).toBe(false);
    await adminCtx.close();
  });
});
