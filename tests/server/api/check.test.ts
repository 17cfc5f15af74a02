// POST /api/check/marked.xlsx: an officer uploads their own workbook and gets it back marked (io/xlsx-mark.ts),
// nothing stored; other formats and strangers are refused with a clear answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { DEMO_PASSWORD, loadDemo } from '../../../server/demo.js';
import { readFileToGrids } from '../../../io/index.js';
import { writeGridsXlsx } from '../../../io/xlsx-write.js';
import { Client, startServer, type TestServer } from './harness.js';

let t: TestServer;
let officer: Client;
let workbook: Uint8Array;

beforeAll(async () => {
  t = await startServer();
  await loadDemo(t.services, ROOT);
  officer = new Client(t.base);
  await officer.login('tuphap', DEMO_PASSWORD);
  const grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', '000_683635a77beddbc9.txt')), 'Phụ lục.txt');
  workbook = await writeGridsXlsx(grids);
});
afterAll(async () => {
  await t?.close();
});

const form = (bytes: Uint8Array, name: string, fields: Record<string, string> = {}) => {
  const f = new FormData();
  f.append('file', new Blob([new Uint8Array(bytes)]), name);
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

describe('POST /api/check/marked.xlsx', () => {
  it('returns the uploaded workbook with a Kiểm tra sheet, notes and the issue counts', async () => {
    const r = await officer.req(
      'POST',
      '/api/check/marked.xlsx',
      form(workbook, 'Phụ lục 2023.xlsx', { year: '2023' }),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(r.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('Phụ lục 2023 - kiểm tra.xlsx')}`,
    );
    const [errors, warnings, infos] = r.headers.get('x-phuluc-issues')!.split(',').map(Number);
    expect(errors + warnings + infos).toBeGreaterThan(0);
    const parts = unzipSync(new Uint8Array(r.bytes));
    const workbookXml = Buffer.from(parts['xl/workbook.xml']).toString();
    expect(workbookXml).toContain('name="Kiểm tra"');
    expect(Object.keys(parts).some((n) => /^xl\/comments\d+\.xml$/.test(n))).toBe(true);
    // The officer's sheet keeps its cells exactly.
    const before = unzipSync(workbook)['xl/worksheets/sheet1.xml'];
    const cells = (b: Uint8Array) => Buffer.from(b).toString().split('</sheetData>')[0];
    expect(cells(parts['xl/worksheets/sheet1.xml'])).toBe(cells(before));
  });

  it('refuses a text file with a Vietnamese reason, and a request without a session', async () => {
    const txt = await officer.req(
      'POST',
      '/api/check/marked.xlsx',
      form(readFileSync(join(ROOT, 'seeds', '000_683635a77beddbc9.txt')), 'phu-luc.txt'),
    );
    expect(txt.status).toBe(400);
    expect(txt.body.error.code).toBe('check.not-xlsx');
    expect(txt.body.error.message).toMatch(/Chỉ tạo được bản đánh dấu cho tệp Excel/);
    const none = await officer.req('POST', '/api/check/marked.xlsx', new FormData());
    expect(none.status).toBe(400);
    const stranger = new Client(t.base);
    const anon = await stranger.req('POST', '/api/check/marked.xlsx', form(workbook, 'a.xlsx'));
    expect(anon.status).toBe(401);
  });
});
