// Re-uploading unchanged content makes no version, whatever form it comes in: the seed annex submitted as xlsx, then
// the same annex as CSV without and with a BOM, in UTF-16 and in Windows-1258, the xlsx re-saved and the Word export
// each answer "no change" (200, duplicate, version 1). One edited task then makes version 2, once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readAnnex, type Annex } from '../../../engine/index.js';
import { annexToCsv, readFileToGrids, writeAnnexXlsx } from '../../../io/index.js';
import { writeAnnexDocx } from '../../../io/docx-write.js';
import { addUser, Client, pickAgencies, startServer, type TestServer } from './harness.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const SEED = '004_065c492f3d915851.txt';

/** Windows-1258 writes Vietnamese tones as combining marks after a precomposed vowel ("ệ" = "ê" + U+0323). */
function toneMarksApart(text: string): string {
  return text.normalize('NFD').replace(/(\P{M})(\p{M}*)/gu, (_, base: string, marks: string) => {
    const tones = marks.replace(/[^\u0300\u0301\u0303\u0309\u0323]/g, '');
    return `${(base + marks.replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '')).normalize('NFC')}${tones}`;
  });
}

for (const target of [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
]) {
  describe.skipIf(target.skip)(`unchanged content on ${target.name}`, () => {
    let t: TestServer;
    let officer: Client;
    let roundId: string;
    let annex: Annex;

    beforeAll(async () => {
      t = await startServer({ pgUrl: target.url });
      await addUser(t, 'admin', 'admin', null);
      const admin = new Client(t.base);
      await admin.login('admin');
      const [agency] = await pickAgencies(admin, 1);
      await addUser(t, 'officer', 'agency', agency);
      officer = new Client(t.base);
      await officer.login('officer');
      const r = await admin.post('/api/rounds', {
        title: 'Kế hoạch CCHC năm 2023',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2099-01-05',
        expectedAgencyIds: [agency.id],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      roundId = r.body.round.id;
      annex = readAnnex(await readFileToGrids(readFileSync(`seeds/${SEED}`), SEED)).annex;
    }, 60_000);

    afterAll(async () => {
      await t?.close();
    });

    const csv = () => annexToCsv(annex);
    const versions = async (submissionId: string) =>
      (await officer.get(`/api/submissions/${submissionId}`)).body.versions.length;

    it('the xlsx export, then its CSV with and without BOM, in UTF-16 and Windows-1258, re-saved and as docx: one version', async () => {
      const xlsx = await writeAnnexXlsx(annex);
      const first = await officer.upload(roundId, xlsx, 'phu-luc.xlsx');
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body).toMatchObject({ version: 1, duplicate: false });
      const id = first.body.submissionId;

      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
      wb.creator = 'Người khác';
      wb.worksheets[0].getColumn(2).width = 70; // opened, widened a column, saved: the content is the same
      const resaved = new Uint8Array(await wb.xlsx.writeBuffer());
      expect(Buffer.from(resaved).equals(Buffer.from(xlsx))).toBe(false);

      const forms: [string, Uint8Array][] = [
        // a CSV carries no plan number or date: the same table without them is no change
        ['khong-bom.csv', new TextEncoder().encode(csv())],
        ['bom.csv', new TextEncoder().encode(`\uFEFF${csv()}`)],
        ['utf16.csv', new Uint8Array(iconv.encode(csv(), 'utf-16le', { addBOM: true }))],
        ['cp1258.csv', new Uint8Array(iconv.encode(toneMarksApart(csv()), 'windows-1258'))],
        ['crlf.csv', new TextEncoder().encode(csv().replace(/\r?\n/g, '\r\n'))],
        ['luu-lai.xlsx', resaved],
        ['xuat.docx', new Uint8Array(await writeAnnexDocx(annex))],
      ];
      for (const [name, bytes] of forms) {
        const again = await officer.upload(roundId, bytes, name);
        expect(again.status, `${name}: ${JSON.stringify(again.body).slice(0, 300)}`).toBe(200);
        expect(again.body, name).toMatchObject({ submissionId: id, version: 1, duplicate: true });
      }
      expect(await versions(id)).toBe(1);

      // A real change is a new version, and the same change again in another form is not a third one.
      const edited = structuredClone(annex);
      edited.sections[0].tasks[0].task += ' (sửa đổi)';
      const changed = await officer.upload(roundId, await writeAnnexXlsx(edited), 'sua.xlsx');
      expect(changed.status).toBe(201);
      expect(changed.body).toMatchObject({ submissionId: id, version: 2, duplicate: false });
      const sameChange = await officer.upload(
        roundId,
        new TextEncoder().encode(`\uFEFF${annexToCsv(edited)}`),
        'sua.csv',
      );
      expect(sameChange.body).toMatchObject({ version: 2, duplicate: true });
      expect(await versions(id)).toBe(2);
    }, 120_000);
  });
}
