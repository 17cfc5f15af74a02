// Column roles from cell content (engine/read/column-roles.ts): a header word the vocabulary does not know takes a
// role when the cells under it show one, and says so; named columns, and columns whose cells show nothing, stay.
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../../engine/model.js';
import { readAnnex } from '../../../engine/read/index.js';
import { createSession, validate } from '../../../engine/rules/validate.js';
import { defaultDirectory } from '../../../data/index.js';

const directory = defaultDirectory();

function sheet(rows: string[][]): Grid {
  return {
    sheet: 'Phụ lục',
    kind: 'sheet',
    rows: rows.map((cells, i) => ({ index: i + 1, cells: cells.map((text) => ({ text })) })),
  };
}

const HEADER = ['STT', 'Nội dung', 'Sản phẩm', 'Đơn vị', 'Cơ quan', 'Mốc thời gian', 'Kinh phí'];
const DATA = [
  ['I', 'CẢI CÁCH THỂ CHẾ', '', '', '', '', ''],
  ['1', 'Rà soát văn bản quy phạm pháp luật', 'Báo cáo', 'Sở Tư pháp', 'Các sở, ban, ngành', 'Quý II/2026', '50 triệu'],
  ['2', 'Kiểm tra công tác văn bản', 'Kết luận', 'Sở Tư pháp', 'Văn phòng UBND tỉnh', 'Quý III/2026', '20 triệu'],
  ['II', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH', '', '', '', '', ''],
  ['1', 'Công bố danh mục thủ tục hành chính', 'Quyết định', 'Văn phòng UBND tỉnh', 'Sở Tư pháp', 'Tháng 6/2026', ''],
  ['2', 'Số hóa hồ sơ thủ tục', 'Hồ sơ số hóa', 'Sở Khoa học và Công nghệ', 'UBND các xã, phường', 'Năm 2026', '1 tỷ'],
];
const read = (rows: string[][]) => readAnnex([sheet(rows)], { directory, province: 'ninh-binh', planYear: 2026 });
const tasks = (r: ReturnType<typeof read>) => r.annex.sections.flatMap((s) => s.tasks);

describe('column roles from cell content', () => {
  it('reads "Đơn vị" of agency names as lead, "Cơ quan" next to it as support, "Mốc thời gian" as timeline', () => {
    const r = read([HEADER, ...DATA]);
    const cols = r.annex.meta.columns!;
    expect(cols.map((c) => c.field)).toEqual(['number', 'task', 'product', 'lead', 'support', 'timeline', null]);
    expect(tasks(r).map((t) => [t.lead.map((a) => a.text), t.support.map((a) => a.text), t.timeline?.text])).toEqual([
      [['Sở Tư pháp'], ['Các sở, ban, ngành'], 'Quý II/2026'],
      [['Sở Tư pháp'], ['Văn phòng UBND tỉnh'], 'Quý III/2026'],
      [['Văn phòng UBND tỉnh'], ['Sở Tư pháp'], 'Tháng 6/2026'],
      [['Sở Khoa học và Công nghệ'], ['UBND các xã, phường'], 'Năm 2026'],
    ]);
    // Each guess is said at its header cell, in Vietnamese, with the share of cells behind it; "Kinh phí" (amounts)
    // stays an unknown column, kept as it is.
    const said = r.diagnostics.filter((d) => d.code === 'header.column-by-content');
    expect(said.map((d) => [d.location.cell, d.params?.field, d.params?.percent])).toEqual([
      ['D1', 'lead', 100],
      ['E1', 'support', 100],
      ['F1', 'timeline', 100],
    ]);
    expect(said[0].severity).toBe('info');
    expect(said[0].message).toContain('Đơn vị');
    expect(said[0].message).toContain('Cơ quan chủ trì');
    expect(r.diagnostics.filter((d) => d.code === 'header.unknown-column').map((d) => d.location.cell)).toEqual(['G1']);
    expect(r.diagnostics.some((d) => d.code === 'header.missing-column')).toBe(false);
  });

  it('never changes a named column, and takes no role from a column that does not show one', () => {
    // The lead is named: the first agency column under an unknown word becomes support, the second stays unknown.
    const named = read([['STT', 'Nội dung', 'Sản phẩm', 'Chủ trì', 'Đơn vị', 'Cơ quan', 'Thời gian'], ...DATA]);
    expect(named.annex.meta.columns!.map((c) => c.field)).toEqual([
      'number',
      'task',
      'product',
      'lead',
      'support',
      null,
      'timeline',
    ]);
    // Sentences under "Đơn vị" are not agency names: no guess, the lead is missing and said so.
    const prose = DATA.map((r) =>
      r[0] === '1' || r[0] === '2' ? [...r.slice(0, 3), `Ghi nhận: ${r[1]}`] : r.slice(0, 4),
    );
    const r = read([HEADER.slice(0, 4), ...prose]);
    expect(r.annex.meta.columns!.map((c) => c.field)).toEqual(['number', 'task', 'product', null]);
    expect(r.diagnostics.some((d) => d.code === 'header.column-by-content')).toBe(false);
    expect(r.diagnostics.some((d) => d.code === 'header.missing-column' && d.params?.field === 'lead')).toBe(true);
  });

  it('without a directory, names of bodies are told from sentences that start with the same words', () => {
    const plain = (cells: string[]) =>
      readAnnex(
        [
          sheet([
            ['STT', 'Nội dung', 'Sản phẩm', 'Đơn vị'],
            ...cells.map((c, i) => [String(i + 1), `Nhiệm vụ ${i + 1}`, 'Báo cáo', c]),
          ]),
        ],
        {},
      );
    const field = (r: ReturnType<typeof readAnnex>) => r.annex.meta.columns!.find((c) => c.header === 'Đơn vị')?.field;
    expect(
      field(plain(['Sở Tư pháp', 'UBND tỉnh', 'Văn phòng UBND tỉnh', 'Các sở, ban, ngành', 'Ban Quản lý KKT'])),
    ).toBe('lead');
    expect(
      field(
        plain([
          'Ban hành kế hoạch',
          'Báo cáo kết quả',
          'Hội nghị sơ kết',
          'Phòng chống tham nhũng',
          'Ban hành quy chế',
        ]),
      ),
    ).toBeNull();
  });

  it('an edit in the cells that gave a column its role is re-read whole: the session equals a fresh read', () => {
    // Four named columns ("Ghi chú" for "Kinh phí"): a full header, whose edits below are otherwise re-read in part.
    const grid = sheet([[...HEADER.slice(0, 6), 'Ghi chú'], ...DATA]);
    const session = createSession([grid], { directory, province: 'ninh-binh', planYear: 2026 });
    const fresh = (g: Grid[]) =>
      validate(readAnnex(g, { directory, province: 'ninh-binh', planYear: 2026 }), {
        grids: g,
        directory,
        province: 'ninh-binh',
        planYear: 2026,
      });
    // Three of the four "Đơn vị" cells become sentences: the column no longer reads as lead.
    const edits = [3, 6, 7].map((row) => ({ sheet: 'Phụ lục', row, column: 4, text: 'Đang xem xét phân công' }));
    const after = session.update(edits);
    expect(after).toEqual(fresh(session.grids()));
    expect(after.diagnostics.filter((d) => d.code === 'header.column-by-content').map((d) => d.location.cell)).toEqual([
      'E1',
      'F1',
    ]);
  });
});
