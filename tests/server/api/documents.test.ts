// Official documents from the server: an agency's annex as Word/Excel, the consolidated report as Word,
// the annex template, and the directory answer for a province merged in 2025. Each file is read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { DEMO_PASSWORD, loadDemo, type DemoResult } from '../../../server/demo.js';
import { readFileToGrids } from '../../../io/index.js';
import { readAnnex } from '../../../engine/index.js';
import { Client, startServer, type TestServer } from './harness.js';

let t: TestServer;
let demo: DemoResult;
let admin: Client;

const taskCount = (grids: Awaited<ReturnType<typeof readFileToGrids>>) =>
  readAnnex(grids).annex.sections.reduce((n, s) => n + s.tasks.length, 0);

beforeAll(async () => {
  t = await startServer();
  demo = await loadDemo(t.services, ROOT);
  admin = new Client(t.base);
  await admin.login('admin', DEMO_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

describe('documents served by the backend', () => {
  it("serves a submitted version's annex as .docx and .xlsx that read back to the same tasks", async () => {
    const subs = await admin.get(`/api/rounds/${demo.roundId}/submissions`);
    const first = subs.body.submissions[0];
    const version = await admin.get(`/api/submissions/${first.id}/versions/1`);
    const want = version.body.annex.sections.reduce((n: number, s: { tasks: unknown[] }) => n + s.tasks.length, 0);
    expect(want).toBeGreaterThan(10);
    for (const format of ['docx', 'xlsx']) {
      const r = await admin.get(`/api/submissions/${first.id}/versions/1/annex.${format}`);
      expect(r.status, format).toBe(200);
      expect(r.headers.get('content-disposition')).toMatch(new RegExp(`attachment.*\\.${format}`));
      expect(taskCount(await readFileToGrids(r.bytes, `annex.${format}`)), format).toBe(want);
    }
    // Each diagnostic's line of the uploaded text is matched to the download row showing its task.
    const xlsx = await readFileToGrids(
      (await admin.get(`/api/submissions/${first.id}/versions/1/annex.xlsx`)).bytes,
      'a.xlsx',
    );
    const rows = version.body.xlsxRows as { sheet: string; row: number; xlsxRow: number }[];
    const tasks = version.body.annex.sections.flatMap(
      (s: { tasks: { task: string; source: { row: number } }[] }) => s.tasks,
    );
    expect(rows.length).toBeGreaterThanOrEqual(tasks.length);
    for (const t of tasks) {
      const at = rows.find((x) => x.row === t.source.row)!.xlsxRow;
      const cell = xlsx[0].rows.find((r) => r.index === at)!.cells[1].text;
      expect(cell.normalize('NFC').replace(/\s+/g, ' ').trim()).toBe(t.task);
    }
    const bad = await admin.get(`/api/submissions/${first.id}/versions/1/annex.pdf`);
    expect(bad.status).toBe(404);
  });

  it('an officer of another agency cannot download the annex (403)', async () => {
    const subs = await admin.get(`/api/rounds/${demo.roundId}/submissions`);
    const other = subs.body.submissions.find((s: { agencyName: string }) => !/Tư pháp/.test(s.agencyName));
    const officer = new Client(t.base);
    await officer.login('tuphap', DEMO_PASSWORD);
    const r = await officer.get(`/api/submissions/${other.id}/versions/1/annex.docx`);
    expect(r.status).toBe(403);
  });

  it('serves the consolidated report as .docx with every consolidated task', async () => {
    const built = await admin.post(`/api/rounds/${demo.roundId}/report`, { include: 'latest' });
    expect(built.status).toBe(201);
    const json = await admin.get(`/api/rounds/${demo.roundId}/report.json`);
    const kept = json.body.sections.reduce((n: number, s: { tasks: unknown[] }) => n + s.tasks.length, 0);
    const r = await admin.get(`/api/rounds/${demo.roundId}/report.docx`);
    expect(r.status).toBe(200);
    expect(r.bytes.subarray(0, 2).toString()).toBe('PK');
    expect(taskCount(await readFileToGrids(r.bytes, 'report.docx'))).toBe(kept);
  });

  it('adds the NĐ 30 cover block to the report only when asked (?cover=1), with the number and date given', async () => {
    await admin.post(`/api/rounds/${demo.roundId}/report`, { include: 'latest' });
    const JSZip = (await import('jszip')).default;
    const docText = async (bytes: Buffer) => {
      const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
      return [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n');
    };
    expect(await docText((await admin.get(`/api/rounds/${demo.roundId}/report.docx`)).bytes)).not.toContain(
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    );
    const r = await admin.get(`/api/rounds/${demo.roundId}/report.docx?cover=1&number=20/KH-UBND&date=2026-01-15`);
    expect(r.status).toBe(200);
    const text = await docText(r.bytes);
    for (const s of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 20/KH-UBND',
      'ngày 15 tháng 01 năm 2026',
      'Nơi nhận:',
    ])
      expect(text, s).toContain(s);
    const x = await admin.get(`/api/rounds/${demo.roundId}/report.xlsx?cover=1`);
    expect(x.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.bytes as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Phụ lục')!.getCell('C1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    // The issuing body, the body above it and "Nơi nhận" as the reviewer typed them (one recipient per line).
    const own = await docText(
      (
        await admin.get(
          `/api/rounds/${demo.roundId}/report.docx?cover=1&parent=${encodeURIComponent('UBND tỉnh Ninh Bình')}` +
            `&issuer=${encodeURIComponent('Sở Nội vụ')}&recipients=${encodeURIComponent('Bộ Nội vụ;\nThường trực Tỉnh ủy;')}`,
        )
      ).bytes,
    );
    for (const s of ['UBND TỈNH NINH BÌNH', 'SỞ NỘI VỤ', 'Bộ Nội vụ;', 'Thường trực Tỉnh ủy;'])
      expect(own, s).toContain(s);
    expect(own).not.toContain('Như trên;');
    const bad = await admin.get(`/api/rounds/${demo.roundId}/report.docx?cover=1&date=15/01/2026`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('request.invalid');
  });

  it('stores the consolidated report compressed, still serves one stored as text, and rebuilds with a new version', async () => {
    const built = await admin.post(`/api/rounds/${demo.roundId}/report`, { include: 'latest' });
    expect(built.status).toBe(201);
    const row = await t.services.db
      .selectFrom('reports')
      .selectAll()
      .where('id', '=', built.body.reportId)
      .executeTakeFirstOrThrow();
    // Stored as what it was built from; its packed form is written when it is first read.
    expect(row.consolidated_json).toBe('');
    expect(row.consolidated_gz).toBeNull();
    expect(JSON.parse(row.inputs_json!).inputs.length).toBeGreaterThan(0);
    const json = (await admin.get(`/api/rounds/${demo.roundId}/report.json`)).body;
    const text = JSON.stringify(json);
    Object.assign(
      row,
      await t.services.db.selectFrom('reports').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow(),
    );
    // A tenth or so of the JSON: what keeps storing a 100-agency report short.
    expect(row.consolidated_gz!.length).toBeLessThan(text.length / 4);
    // A report built before compression (its JSON as text) is served as it was.
    const { gunzipSync } = await import('node:zlib');
    const stored = gunzipSync(row.consolidated_gz!).toString('utf8');
    await t.services.db
      .updateTable('reports')
      .set({ consolidated_json: stored, consolidated_gz: null })
      .where('id', '=', row.id)
      .execute();
    expect((await admin.get(`/api/rounds/${demo.roundId}/report.json`)).body).toEqual(json);

    // A new version of one agency: the rebuild reads it, not the annex it parsed for the last build.
    const subs = (await admin.get(`/api/rounds/${demo.roundId}/submissions`)).body.submissions;
    const sub = subs.find((x: { agencyName: string }) => /Tư pháp/.test(x.agencyName));
    const officer = new Client(t.base);
    await officer.login('tuphap', DEMO_PASSWORD);
    const v = (await officer.get(`/api/submissions/${sub.id}/versions/${sub.latestVersion}`)).body;
    const first = v.annex.sections[0].tasks[0];
    const cell = v.grids[0].rows.find((r: { index: number }) => r.index === first.source.row).cells[1];
    cell.text = `${cell.text} (bản sửa kiểm tra)`;
    expect((await officer.post(`/api/rounds/${demo.roundId}/submissions`, { grids: v.grids })).status).toBe(201);
    await admin.post(`/api/rounds/${demo.roundId}/report`, { include: 'latest' });
    const after = JSON.stringify((await admin.get(`/api/rounds/${demo.roundId}/report.json`)).body);
    expect(after).toContain('(bản sửa kiểm tra)');
  });

  it('answers the directory of a province merged in 2025 with its successor for later dates', async () => {
    const before = await admin.get('/api/directory?province=nam-dinh&date=2024-01-01');
    expect(before.body.province).toBe('nam-dinh');
    expect(before.body.mergedFrom).toEqual([]);
    const after = await admin.get('/api/directory?province=nam-dinh&date=2026-01-01');
    expect(after.body.province).toBe('ninh-binh');
    expect(after.body.mergedFrom[0]).toMatchObject({ from: 'nam-dinh', since: '2025-07-01' });
    expect(after.body.agencies.length).toBeGreaterThan(5);
  });
});
