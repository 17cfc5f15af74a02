// Google Sheets intake and export against the local fake of Google's endpoints: googleapis signs a real JWT
// with the service account's key, exchanges it at the fake token endpoint and calls the fake Sheets API.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textToGrid } from '../../../engine/index.js';
import { createApp } from '../../../server/app.js';
import { openDatabase, type DatabaseHandle } from '../../../server/db/index.js';
import {
  fetchSheetGrid,
  googleClients,
  googleOptionsFromEnv,
  parseServiceAccountKey,
  parseSheetUrl,
  GoogleConfigError,
  type GoogleOptions,
} from '../../../server/google/index.js';
import { addUser, Client, pickAgencies, type TestServer } from '../api/harness.js';
import { FakeGoogle, applyMask, parseFieldMask, type ServiceAccountKeyJson } from './fake-sheets.js';

const SHEET = 'Phụ lục';

function seedRows(file: string): (string | number)[][] {
  // As an officer would have it in a sheet: numbers typed as numbers, everything else as text.
  return textToGrid(readFileSync(join('seeds', file), 'utf8'), SHEET).rows.map((r) =>
    r.cells.map((c) => (/^\d+$/.test(c.text) ? Number(c.text) : c.text)),
  );
}

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  rows.forEach((r) => ws.addRow(r.map((v) => (v === '' ? null : v))));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function start(google: GoogleOptions | null | undefined): Promise<TestServer & { server: Server }> {
  const dir = mkdtempSync(join(tmpdir(), 'phuluc-google-'));
  const handle: DatabaseHandle = await openDatabase({ file: join(dir, 'test.sqlite') });
  const app = createApp({ db: handle, bcryptCost: 4, google, log: () => undefined });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handle,
    services: app.locals.services,
    logged: [],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('Google Sheets intake and export', () => {
  let fake: FakeGoogle;
  let key: ServiceAccountKeyJson;
  let t: Awaited<ReturnType<typeof start>>;
  let admin: Client;
  let reviewer: Client;
  const officers: Client[] = [];
  let agencies: { id: string; name: string }[];
  let roundId: string;
  const rows = seedRows('000_683635a77beddbc9.txt');

  beforeAll(async () => {
    fake = await new FakeGoogle().start();
    key = fake.serviceAccount();
    t = await start({
      key: parseServiceAccountKey(JSON.stringify(key)),
      rootUrl: fake.rootUrl,
      retryDelaysMs: [20, 40, 80],
    });
    await addUser(t, 'admin', 'admin', null);
    await addUser(t, 'reviewer', 'reviewer', null);
    admin = new Client(t.base);
    await admin.login('admin');
    reviewer = new Client(t.base);
    await reviewer.login('reviewer');
    agencies = await pickAgencies(admin, 4);
    for (let i = 0; i < agencies.length; i++) {
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
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('a sheet link gives the same submission as uploading the same rows as xlsx', async () => {
    const uploaded = await officers[0].upload(roundId, await xlsxOf(rows), 'phu-luc.xlsx');
    expect(uploaded.status, JSON.stringify(uploaded.body).slice(0, 300)).toBe(201);

    const id = fake.addSpreadsheet({
      title: 'Phụ lục Sở Nội vụ 2023',
      sharedWith: [key.client_email],
      sheets: [{ title: SHEET, rows }],
    });
    const link = `https://docs.google.com/spreadsheets/d/${id}/edit?usp=sharing`;
    const viaLink = await officers[1].post(`/api/rounds/${roundId}/submissions`, { googleSheetUrl: link });
    expect(viaLink.status, JSON.stringify(viaLink.body).slice(0, 300)).toBe(201);
    expect(viaLink.body.google).toEqual({ spreadsheetId: id, title: 'Phụ lục Sở Nội vụ 2023', sheet: SHEET });

    const a = uploaded.body.report;
    const b = viaLink.body.report;
    expect(b.stats).toEqual(a.stats);
    expect(b.stats.tasks).toBeGreaterThan(20);
    // Every stored version gets server-assigned task ids (two-way sync); they are unique per submission.
    type Sec = { tasks: { id?: string }[] };
    const withoutIds = (sections: Sec[]) =>
      sections.map((s) => ({ ...s, tasks: s.tasks.map(({ id: _id, ...t }) => t) }));
    expect((b.sections as Sec[]).every((s) => s.tasks.every((t) => typeof t.id === 'string'))).toBe(true);
    expect(withoutIds(b.sections)).toEqual(withoutIds(a.sections));
    expect(b.diagnostics).toEqual(a.diagnostics);

    // The stored version keeps the source and the grid it was read from.
    const detail = await officers[1].get(`/api/submissions/${viaLink.body.submissionId}`);
    expect(detail.body.versions[0]).toMatchObject({
      source: 'google-sheet',
      fileName: `Phụ lục Sở Nội vụ 2023 — ${SHEET}`,
    });
    const v1 = await officers[1].get(`/api/submissions/${viaLink.body.submissionId}/versions/1`);
    expect(v1.body.grids[0].sheet).toBe(SHEET);

    // Reads are field-limited: metadata first, then one sheet's grid data.
    const reads = fake.log.filter((l) => l.path === `/v4/spreadsheets/${id}`);
    expect(reads).toHaveLength(2);
    expect(reads[0].query.get('includeGridData')).toBeNull();
    expect(reads[1].query.get('includeGridData')).toBe('true');
    expect(reads[1].query.getAll('ranges')).toEqual([`'${SHEET}'`]);
    expect(reads[1].query.get('fields')).toMatch(/formattedValue/);
    expect(reads.every((r) => r.caller === key.client_email)).toBe(true);

    // Sending the same sheet again is the same version.
    const again = await officers[1].post(`/api/rounds/${roundId}/submissions`, { googleSheetUrl: link });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, version: 1 });
  });

  it('reads the sheet the link points at (#gid) or the one named, with merges and formulas', async () => {
    const cover = [['UBND TỈNH NAM ĐỊNH'], ['Số: 158/KH-UBND']];
    const annex = rows.slice();
    const id = fake.addSpreadsheet({
      title: 'Hồ sơ kế hoạch',
      sharedWith: [key.client_email],
      sheets: [
        { title: 'Bìa', rows: cover },
        { title: 'Bảng phụ lục', rows: annex, merges: ['A1:F1'] },
      ],
    });
    const gid = fake.docs.get(id)!.sheets[1].properties.sheetId;
    const r = await officers[2].post(`/api/rounds/${roundId}/submissions`, {
      googleSheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit#gid=${gid}`,
    });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
    expect(r.body.google.sheet).toBe('Bảng phụ lục');
    expect(r.body.report.stats.tasks).toBeGreaterThan(20);
    const v = await officers[2].get(`/api/submissions/${r.body.submissionId}/versions/1`);
    expect(v.body.grids[0].merges).toEqual(['A1:F1']);
    expect(v.body.grids[0].rows[0].cells[1].mergedInto).toBe('A1');

    const named = await officers[2].post(`/api/rounds/${roundId}/submissions`, {
      googleSheetUrl: id,
      sheet: 'Không có',
    });
    expect(named.status).toBe(422);
    expect(named.body.error.code).toBe('google.sheet-not-found');
    // The spreadsheet's tab names are not told to the caller.
    expect(JSON.stringify(named.body)).not.toMatch(/Bìa|Bảng phụ lục/);
  });

  it('explains a sheet that is not shared with the service account, a wrong link and a missing sheet', async () => {
    const id = fake.addSpreadsheet({ title: 'Chưa chia sẻ', sheets: [{ title: SHEET, rows }] });
    const denied = await officers[3].post(`/api/rounds/${roundId}/submissions`, {
      googleSheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('google.not-shared');
    expect(denied.body.error.message).toContain(key.client_email);
    expect(denied.body.error.hint).toMatch(new RegExp(`Chia sẻ.*${key.client_email.replace(/\./g, '\\.')}`));

    const missing = await officers[3].post(`/api/rounds/${roundId}/submissions`, {
      googleSheetUrl: 'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('google.not-found');
    expect(missing.body.error.hint).toMatch(/Sao chép đường liên kết/);

    const bad = await officers[3].post(`/api/rounds/${roundId}/submissions`, {
      googleSheetUrl: 'https://example.com/bang-tinh',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'google.invalid-url', where: { field: 'googleSheetUrl' } });

    const noRound = await officers[3].post(`/api/rounds/khong-co/submissions`, {
      googleSheetUrl: `https://docs.google.com/spreadsheets/d/${id}/edit`,
    });
    expect(noRound.status).toBe(404);
    expect(noRound.body.error.code).toBe('round.not-found');
    // Nothing was stored for the officer.
    const mine = await officers[3].get(`/api/rounds/${roundId}/submissions`);
    expect(mine.body.submissions).toEqual([]);
  });

  it('retries 429 quota answers with backoff, then gives a clear error', async () => {
    const id = fake.addSpreadsheet({
      title: 'Hạn mức',
      sharedWith: [key.client_email],
      sheets: [{ title: SHEET, rows }],
    });
    const link = `https://docs.google.com/spreadsheets/d/${id}/edit`;
    fake.quotaFailures = 2;
    const before = fake.log.length;
    const ok = await officers[3].post(`/api/rounds/${roundId}/submissions`, { googleSheetUrl: link });
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(201);
    expect(fake.log.slice(before).filter((l) => l.status === 429)).toHaveLength(2);

    fake.quotaFailures = 100;
    const failed = await officers[3].post(`/api/rounds/${roundId}/submissions`, { googleSheetUrl: link });
    fake.quotaFailures = 0;
    expect(failed.status).toBe(429);
    expect(failed.body.error.code).toBe('google.quota');
    expect(failed.body.error.message).toMatch(/hạn mức/);
    expect(failed.body.error.hint).toMatch(/thử lại/);
  });

  it('checks before any fetch: a sheet belongs to the agency that first submitted it, and a caller not expected fetches nothing', async () => {
    const id = fake.addSpreadsheet({
      title: 'Phụ lục của cơ quan A',
      sharedWith: [key.client_email],
      sheets: [{ title: SHEET, rows }],
    });
    const link = `https://docs.google.com/spreadsheets/d/${id}/edit`;
    const first = await officers[3].post(`/api/rounds/${roundId}/submissions`, { googleSheetUrl: link });
    expect([200, 201], JSON.stringify(first.body).slice(0, 300)).toContain(first.status); // 200: the same rows as before
    const before = fake.log.length;
    const other = await officers[2].post(`/api/rounds/${roundId}/submissions`, { googleSheetUrl: link });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('google.sheet-owned');
    expect(fake.log.length).toBe(before);
    // A round that does not expect the caller's agency: refused before Google is asked.
    const narrow = await admin.post('/api/rounds', {
      title: 'Đợt hẹp',
      year: 2023,
      province: 'nam-dinh',
      deadline: '2099-01-05',
      expectedAgencyIds: [agencies[0].id],
    });
    const own = fake.addSpreadsheet({
      title: 'Của cơ quan C',
      sharedWith: [key.client_email],
      sheets: [{ title: SHEET, rows }],
    });
    const refused = await officers[2].post(`/api/rounds/${narrow.body.round.id}/submissions`, { googleSheetUrl: own });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('round.not-expected');
    expect(fake.log.length).toBe(before);
  });

  it('exports the consolidated report to a new Google Sheet with the same rows as the xlsx report', async () => {
    const notBuilt = await reviewer.post(`/api/rounds/${roundId}/report/google-sheet`, {});
    expect(notBuilt.status).toBe(404);
    expect(notBuilt.body.error.code).toBe('report.not-built');
    const built = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
    expect(built.status, JSON.stringify(built.body).slice(0, 300)).toBe(201);

    expect((await officers[0].post(`/api/rounds/${roundId}/report/google-sheet`, {})).status).toBe(403);
    const out = await reviewer.post(`/api/rounds/${roundId}/report/google-sheet`, {
      shareWith: ['truong.phong@snv.namdinh.gov.vn'],
    });
    expect(out.status, JSON.stringify(out.body).slice(0, 300)).toBe(201);
    expect(out.body.url).toBe(`https://docs.google.com/spreadsheets/d/${out.body.spreadsheetId}/edit`);
    const doc = fake.docs.get(out.body.spreadsheetId)!;
    expect(doc.owner).toBe(key.client_email);
    expect([...doc.sharedWith]).toContain('truong.phong@snv.namdinh.gov.vn');
    expect(doc.properties.title).toBe('Tổng hợp nhiệm vụ CCHC — Kế hoạch CCHC năm 2023');

    // The xlsx download, read independently (SheetJS), row by row.
    const file = await reviewer.get(`/api/rounds/${roundId}/report.xlsx`);
    expect(file.status).toBe(200);
    const wb = XLSX.read(file.bytes, { type: 'buffer' });
    expect(doc.sheets.map((s) => s.properties.title)).toEqual(wb.SheetNames);
    for (const name of wb.SheetNames) {
      const expected = (
        XLSX.utils.sheet_to_json(wb.Sheets[name], { header: 1, raw: true, defval: '', blankrows: true }) as unknown[][]
      ).map((r) => {
        const line = r.map((v) => String(v).replace(/^'(?=[=+@])/, ''));
        while (line.length && line[line.length - 1] === '') line.pop();
        return line;
      });
      while (expected.length && expected[expected.length - 1].length === 0) expected.pop();
      const shown = fake.shown(out.body.spreadsheetId, name).map((l) => {
        const line = l.slice();
        while (line.length && line[line.length - 1] === '') line.pop();
        return line;
      });
      expect(shown, name).toEqual(expected);
      expect(doc.sheets.find((s) => s.properties.title === name)!.merges.length, name).toBe(
        (wb.Sheets[name]['!merges'] ?? []).length,
      );
    }
    const annex = doc.sheets.find((s) => s.properties.title === 'Phụ lục')!;
    expect(annex.properties.gridProperties.frozenRowCount).toBe(6);
    const headerRow = fake.shown(out.body.spreadsheetId, 'Phụ lục').findIndex((l) => l[0] === 'STT');
    expect(headerRow).toBeGreaterThan(0);
    expect(annex.cells[headerRow][1]?.userEnteredFormat?.textFormat?.bold).toBe(true);
    expect(annex.columnWidths.filter(Boolean).length).toBe(7);
    // One create, one values write, one format batch, one share.
    const calls = fake.log
      .filter((l) => l.caller === key.client_email && l.status === 200)
      .slice(-4)
      .map((l) => `${l.method} ${l.path.replace(out.body.spreadsheetId, 'ID')}`);
    expect(calls).toEqual([
      'POST /v4/spreadsheets',
      'POST /v4/spreadsheets/ID/values:batchUpdate',
      'POST /v4/spreadsheets/ID:batchUpdate',
      'POST /drive/v3/files/ID/permissions',
    ]);
    expect(fake.log.find((l) => l.path.endsWith('/values:batchUpdate'))!.body).toMatchObject({
      valueInputOption: 'RAW',
    });

    const audit = await reviewer.get(`/api/audit?roundId=${roundId}`);
    expect(audit.body.entries.some((e: { action: string }) => e.action === 'report.export-google-sheet')).toBe(true);
  });
});

describe('Google configuration', () => {
  it('reads the key from a path or inline JSON and says what is wrong', async () => {
    const fake = await new FakeGoogle().start();
    try {
      const key = fake.serviceAccount('doc-thu');
      const dir = mkdtempSync(join(tmpdir(), 'phuluc-key-'));
      const file = join(dir, 'key.json');
      writeFileSync(file, JSON.stringify(key));
      const fromPath = googleOptionsFromEnv({
        GOOGLE_SERVICE_ACCOUNT_KEY: file,
        GOOGLE_API_ROOT_URL: fake.rootUrl.slice(0, -1),
        GOOGLE_EXPORT_SHARE_WITH: 'a@x.vn, b@x.vn',
      })!;
      expect(fromPath.key.client_email).toBe(key.client_email);
      expect(fromPath.key.token_uri).toBe(fake.tokenUri);
      expect(fromPath.rootUrl).toBe(fake.rootUrl);
      expect(fromPath.shareWith).toEqual(['a@x.vn', 'b@x.vn']);
      expect(googleOptionsFromEnv({ GOOGLE_SERVICE_ACCOUNT_KEY: JSON.stringify(key) })!.key.private_key).toBe(
        key.private_key,
      );
      expect(googleOptionsFromEnv({})).toBeNull();
      expect(() => googleOptionsFromEnv({ GOOGLE_SERVICE_ACCOUNT_KEY: join(dir, 'khong-co.json') })).toThrow(
        /not a readable key file/,
      );
      // A value that is neither JSON nor a file may be the secret itself: it is never quoted back.
      const secret = '-----BEGIN PRIVATE KEY-----MIIEvQ-secret';
      expect(() => googleOptionsFromEnv({ GOOGLE_SERVICE_ACCOUNT_KEY: secret })).toThrow(GoogleConfigError);
      try {
        googleOptionsFromEnv({ GOOGLE_SERVICE_ACCOUNT_KEY: secret });
      } catch (e) {
        expect((e as Error).message).not.toContain('MIIEvQ');
      }
      expect(() => googleOptionsFromEnv({ GOOGLE_SERVICE_ACCOUNT_KEY: '{"type":"service_account"}' })).toThrow(
        GoogleConfigError,
      );
      expect(() => parseServiceAccountKey('{"type":"authorized_user","client_email":"x","private_key":"y"}')).toThrow(
        /expected "service_account"/,
      );
      rmSync(dir, { recursive: true, force: true });
    } finally {
      await fake.close();
    }
  });

  it('without a key the Sheets routes answer 503 with a hint, and grid submissions still work', async () => {
    const t = await start(null);
    try {
      await addUser(t, 'admin', 'admin', null);
      const admin = new Client(t.base);
      await admin.login('admin');
      const [agency] = await pickAgencies(admin, 1);
      await addUser(t, 'officer', 'agency', agency);
      const officer = new Client(t.base);
      await officer.login('officer');
      const round = await admin.post('/api/rounds', {
        title: 'Đợt thử',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2099-01-01',
        expectedAgencyIds: [agency.id],
      });
      const r = await officer.post(`/api/rounds/${round.body.round.id}/submissions`, {
        googleSheetUrl: 'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit',
      });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('google.not-configured');
      expect(r.body.error.hint).toMatch(/\.xlsx/);
      const grids = [textToGrid(readFileSync(join('seeds', '000_683635a77beddbc9.txt'), 'utf8'), SHEET)];
      const ok = await officer.post(`/api/rounds/${round.body.round.id}/submissions`, {
        grids,
        source: 'sheets-addon',
      });
      expect(ok.status).toBe(201);
    } finally {
      await t.close();
    }
  });

  it('parses the links officers paste', () => {
    expect(parseSheetUrl('https://docs.google.com/spreadsheets/d/1AbC-dEf_123456789012345/edit#gid=42')).toEqual({
      spreadsheetId: '1AbC-dEf_123456789012345',
      gid: 42,
    });
    expect(parseSheetUrl('https://docs.google.com/spreadsheets/u/0/d/1AbC-dEf_123456789012345/htmlview')).toEqual({
      spreadsheetId: '1AbC-dEf_123456789012345',
    });
    expect(parseSheetUrl(' 1AbC-dEf_1234567890123456789 ').spreadsheetId).toBe('1AbC-dEf_1234567890123456789');
    expect(() => parseSheetUrl('https://drive.google.com/file/d/abc')).toThrow(
      expect.objectContaining({
        code: 'google.invalid-url',
        messageVi: expect.stringMatching(/không phải đường liên kết bảng tính Google/),
      }),
    );
  });

  it('the fake answers values.update / get / batchGet through googleapis as documented', async () => {
    const fake = await new FakeGoogle().start();
    try {
      const key = fake.serviceAccount('gia-tri');
      const g = await googleClients({
        key: parseServiceAccountKey(JSON.stringify(key)),
        rootUrl: fake.rootUrl,
        retryDelaysMs: [],
      });
      const id = fake.addSpreadsheet({
        title: 'Thử',
        sharedWith: [key.client_email],
        sheets: [{ title: "Sở Y tế's", rows: [['STT', 'Nhiệm vụ']] }],
      });
      const put = await g.sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "'Sở Y tế''s'!A2",
        valueInputOption: 'USER_ENTERED',
        requestBody: { values: [[1, '=SUM(1,2)', 'Rà soát']] },
      });
      expect(put.data).toMatchObject({
        updatedRange: "'Sở Y tế''s'!A2:C2",
        updatedRows: 1,
        updatedColumns: 3,
        updatedCells: 3,
      });
      const got = await g.sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Sở Y tế''s'!A1:C2" });
      expect(got.data).toEqual({
        range: "'Sở Y tế''s'!A1:C2",
        majorDimension: 'ROWS',
        values: [
          ['STT', 'Nhiệm vụ'],
          ['1', '', 'Rà soát'],
        ],
      });
      const batch = await g.sheets.spreadsheets.values.batchGet({
        spreadsheetId: id,
        ranges: ["'Sở Y tế''s'!B1", "'Sở Y tế''s'!C2"],
      });
      expect(batch.data.valueRanges!.map((v) => v.values)).toEqual([[['Nhiệm vụ']], [['Rà soát']]]);
      await expect(
        g.sheets.spreadsheets.values.update({ spreadsheetId: id, range: 'A1', requestBody: { values: [['x']] } }),
      ).rejects.toMatchObject({ status: 400 });
      const other = fake.serviceAccount('nguoi-la');
      const stranger = await googleClients({
        key: parseServiceAccountKey(JSON.stringify(other)),
        rootUrl: fake.rootUrl,
        retryDelaysMs: [],
      });
      await expect(stranger.sheets.spreadsheets.values.get({ spreadsheetId: id, range: 'A1' })).rejects.toMatchObject({
        status: 403,
      });
      // A key the token endpoint does not know is refused at the JWT exchange.
      const forged = { ...other, client_email: 'gia-mao@phuluc-test.iam.gserviceaccount.com' };
      const bad = await googleClients({
        key: parseServiceAccountKey(JSON.stringify(forged)),
        rootUrl: fake.rootUrl,
        retryDelaysMs: [],
      });
      await expect(bad.sheets.spreadsheets.get({ spreadsheetId: id })).rejects.toThrow(/invalid_grant|Invalid JWT/);
      const refused = await fetchSheetGrid(bad, id).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'google.auth', status: 502 });
    } finally {
      await fake.close();
    }
  });

  it('the fake applies field masks as the API does', () => {
    const mask = parseFieldMask(
      'properties(title),sheets(properties(sheetId,title),data.rowData.values.formattedValue)',
    );
    const out = applyMask(
      {
        spreadsheetId: 'x',
        properties: { title: 'T', locale: 'vi' },
        sheets: [
          {
            properties: { sheetId: 1, title: 'A', index: 0 },
            merges: [],
            data: [{ rowData: [{ values: [{ formattedValue: '1', userEnteredValue: { numberValue: 1 } }] }] }],
          },
        ],
      },
      mask,
    );
    expect(out).toEqual({
      properties: { title: 'T' },
      sheets: [
        { properties: { sheetId: 1, title: 'A' }, data: [{ rowData: [{ values: [{ formattedValue: '1' }] }] }] },
      ],
    });
  });
});
