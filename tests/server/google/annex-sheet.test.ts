// An agency annex written to a Google Sheet the way the Sheets export writes (RAW values, the official columns and
// the task ids) and read back through the intake (the fake Sheets API behind googleapis) is the same annex: numbers,
// task text, products, agencies as lists (groups included), multi-line cells, "- " bullets, formula-like text and
// task ids, task by task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnnex, type Annex } from '../../../engine/index.js';
import { readFileToGrids } from '../../../io/index.js';
import { annexHeaders, annexRows } from '../../../io/annex-rows.js';
import { fetchSheetGrid, googleClients, parseServiceAccountKey } from '../../../server/google/index.js';
import { seeds } from '../../io/helpers.js';
import { FakeGoogle } from './fake-sheets.js';

const HARD = [
  'STT\tNhiệm vụ\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành',
  'I\tCải cách thể chế\t\t\t\t',
  '1\t- Rà soát văn bản quy phạm pháp luật\t=Báo cáo kết quả\tCác sở: Tài chính, Tư pháp\tUBND huyện A; UBND huyện B\tQuý I/2024',
  '2\t"Xây dựng Kế hoạch kiểm tra CCHC năm 2024\n- Ban hành kế hoạch\n- Tổ chức thực hiện"\t@Kế hoạch\tSở Nội vụ\tCác sở, ban, ngành\t"Năm 2024\n(theo hướng dẫn)"',
  'II\tCải cách thủ tục hành chính\t\t\t\t',
  '1\t+ Số hóa hồ sơ thủ tục hành chính\tKho dữ liệu\tVăn phòng UBND tỉnh\tSở Thông tin và Truyền thông\tThường xuyên',
].join('\r\n');

describe('an annex through a Google Sheet', () => {
  let fake: FakeGoogle;
  let g: Awaited<ReturnType<typeof googleClients>>;
  let email: string;

  beforeAll(async () => {
    fake = await new FakeGoogle().start();
    const key = fake.serviceAccount();
    email = key.client_email;
    g = await googleClients({
      key: parseServiceAccountKey(JSON.stringify(key)),
      rootUrl: fake.rootUrl,
      retryDelaysMs: [],
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  async function throughSheet(annex: Annex): Promise<Annex> {
    const id = fake.addSpreadsheet({ title: 'Phụ lục', sharedWith: [email], sheets: [{ title: 'Phụ lục', rows: [] }] });
    const values = [annexHeaders(annex), ...annexRows(annex).map((r) => r.values)];
    await g.sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Phụ lục'!A1",
      valueInputOption: 'RAW',
      requestBody: { values },
    });
    const { grids } = await fetchSheetGrid(g, id);
    return readAnnex(grids).annex;
  }

  const withIds = (annex: Annex) => {
    annex.sections.forEach((s, si) => s.tasks.forEach((t, ti) => (t.id = `nv-${si + 1}-${ti + 1}`)));
    return annex;
  };
  const names = (refs: { text: string; name?: string }[] | undefined) => (refs ?? []).map((r) => r.name ?? r.text);
  /** What an officer reads, task by task (the contract of tests/io/annex-roundtrip.test.ts). */
  const content = (annex: Annex) =>
    annex.sections.map((s) => ({
      title: s.title,
      tasks: s.tasks.map((t) => ({
        number: t.number,
        task: t.task,
        products: t.products.map((p) => ({
          text: p.text,
          lead: names(p.lead),
          support: names(p.support),
          timeline: p.timeline?.text ?? '',
        })),
        lead: names(t.lead),
        support: names(t.support),
        timeline: t.timeline.text,
      })),
    }));
  const ids = (annex: Annex) => annex.sections.flatMap((s) => s.tasks.map((t) => t.id));

  for (const [name, bytes] of [
    ['hard cases', new TextEncoder().encode(HARD)],
    ...seeds.filter((s) => /^00[0124]_/.test(s.name)).map((s) => [s.name, s.bytes] as const),
  ] as const) {
    it(`${name}: the same annex and task ids come back`, async () => {
      const annex = withIds(readAnnex(await readFileToGrids(bytes, name === 'hard cases' ? 'a.tsv' : name)).annex);
      expect(annex.sections.flatMap((s) => s.tasks).length).toBeGreaterThan(2);
      const back = await throughSheet(annex);
      expect(content(back)).toEqual(content(annex));
      expect(ids(back)).toEqual(ids(annex));
    });
  }
});
