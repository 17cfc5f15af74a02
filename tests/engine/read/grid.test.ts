// The reader on spreadsheet-like grids: sheet choice, unknown and missing columns, merged cells,
// formulas, header repeats, truncation, no header at all.
import { describe, expect, it } from 'vitest';
import type { Grid, GridCell } from '../../../engine/model.js';
import { readAnnex, textToGrid } from '../../../engine/read/index.js';

const HEAD = ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'];

function sheet(name: string, rows: (string | GridCell)[][], merges?: string[], start = 1): Grid {
  return {
    sheet: name,
    kind: 'sheet',
    rows: rows.map((cells, i) => ({
      index: start + i,
      cells: cells.map((c) => (typeof c === 'string' ? { text: c } : c)),
    })),
    ...(merges ? { merges } : {}),
  };
}
const codes = (r: ReturnType<typeof readAnnex>, code: string) => r.diagnostics.filter((d) => d.code === code);

describe('finding the annex', () => {
  it('picks the sheet whose header matches and reports it', () => {
    const cover = sheet('Bìa', [['ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA'], ['Kế hoạch cải cách hành chính năm 2025']]);
    const annex = sheet('Phụ lục', [
      ['PHỤ LỤC NHIỆM VỤ'],
      HEAD,
      ['I', 'Cải cách thể chế', '', '', '', ''],
      ['1', 'Rà soát văn bản', 'Báo cáo rà soát', 'Sở Tư pháp', 'Các sở, ngành', 'Quý II/2025'],
    ]);
    const r = readAnnex([cover, annex], { planYear: 2025 });
    expect(r.annex.meta.sheet).toBe('Phụ lục');
    expect(r.annex.meta.headerRow).toBe(2);
    expect(r.annex.sections[0]).toMatchObject({
      numeral: 'I',
      area: 'institution',
      source: { sheet: 'Phụ lục', row: 3 },
    });
    expect(r.annex.sections[0].tasks[0]).toMatchObject({
      number: '1',
      task: 'Rà soát văn bản',
      source: { sheet: 'Phụ lục', row: 4, column: 2, cell: 'B4' },
    });
    expect(r.annex.sections[0].tasks[0].source.line).toBeUndefined();
    // Metadata from the cover sheet when the annex sheet has none.
    expect(r.annex.meta.province).toBe('khanh-hoa');
    expect(r.annex.meta.planYear).toBe(2025);
  });

  it('reports header.not-found and returns an empty annex when no header exists', () => {
    const r = readAnnex([
      sheet('Sheet1', [
        ['a', 'b'],
        ['1', '2'],
      ]),
      textToGrid('Chỉ có văn bản.\nKhông có bảng.', 'note.txt'),
    ]);
    expect(r.annex.sections).toEqual([]);
    const d = codes(r, 'header.not-found');
    expect(d).toHaveLength(1);
    expect(d[0].severity).toBe('error');
    expect(d[0].message).toContain('"Sheet1", "note.txt"');
    expect(r.rowRoles.every((x) => x.role === 'other' || x.role === 'blank')).toBe(true);
  });

  it('reports header.not-found for an empty input', () => {
    const r = readAnnex([]);
    expect(r.annex.sections).toEqual([]);
    expect(codes(r, 'header.not-found')).toHaveLength(1);
  });

  it('does not take a data row mentioning "Nội dung" for a header', () => {
    const r = readAnnex([
      sheet('S', [['Ghi chú', 'Nội dung được cập nhật hằng tháng theo báo cáo của các sở, ngành']]),
    ]);
    expect(codes(r, 'header.not-found')).toHaveLength(1);
  });
});

describe('columns', () => {
  it('keeps an unknown column in task.extra and reports it', () => {
    const r = readAnnex([
      sheet('S', [
        [...HEAD, 'Kinh phí (triệu đồng)'],
        ['1', 'Số hóa hồ sơ', 'Hồ sơ được số hóa', 'Sở Nội vụ', '', 'Năm 2025', '500'],
      ]),
    ]);
    const d = codes(r, 'header.unknown-column');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      severity: 'info',
      location: { row: 1, cell: 'G1' },
      params: { header: 'Kinh phí (triệu đồng)' },
    });
    const t = r.annex.sections[0].tasks[0];
    expect(t.extra).toEqual({ 'Kinh phí (triệu đồng)': '500' });
    expect(r.annex.meta.columns?.[6]).toEqual({ index: 7, header: 'Kinh phí (triệu đồng)', field: null });
    // Tasks before any section row land in an untitled section.
    expect(r.annex.sections[0]).toMatchObject({ numeral: '', title: '', area: null });
  });

  it('reports missing required columns (error) and a missing product column (warning)', () => {
    const r = readAnnex([
      sheet('S', [
        ['STT', 'Nhiệm vụ', 'Ghi chú'],
        ['1', 'Tập huấn', 'x'],
      ]),
    ]);
    const d = codes(r, 'header.missing-column');
    expect(d.map((x) => [x.params?.column, x.severity])).toEqual([
      ['Cơ quan chủ trì', 'error'],
      ['Thời gian thực hiện', 'error'],
      ['Sản phẩm', 'warning'],
    ]);
    expect(r.annex.sections[0].tasks[0].note).toBe('x');
  });

  it('maps header variants by meaning (diacritics, case, HTML, prefixes)', () => {
    const r = readAnnex([
      sheet('S', [
        [
          '<b>TT</b>',
          'NHIỆM VỤ CỤ THỂ',
          'Kết quả/ sản phẩm đạt được',
          'Đơn vị chủ trì',
          'Phối hợp thực hiện',
          'Tiến độ hoàn thành',
          'Mã nhiệm vụ',
          'Theo dõi, kiểm tra, đôn đốc',
        ],
        ['1', 'Việc', 'SP', 'Sở Nội vụ', '', 'Quý I/2025', 'T-001', 'Sở Nội vụ'],
      ]),
    ]);
    expect(r.annex.meta.columns?.map((c) => c.field)).toEqual([
      'number',
      'task',
      'product',
      'lead',
      'support',
      'timeline',
      'id',
      'monitor',
    ]);
    expect(r.annex.sections[0].tasks[0].id).toBe('T-001');
    expect(codes(r, 'header.unknown-column')).toHaveLength(0);
  });
});

describe('rows', () => {
  it('skips repeated headers and reads sub-numbered products in the STT column', () => {
    const r = readAnnex([
      sheet('S', [
        HEAD,
        ['II', 'Cải cách thủ tục hành chính', '', '', '', ''],
        ['1', 'Công bố TTHC', '', 'Văn phòng UBND tỉnh', '', 'Thường xuyên'],
        ['1.1', '', 'Quyết định công bố', 'Văn phòng UBND tỉnh', 'Các sở', 'Quý I/2025'],
        HEAD,
        ['1.2', '', 'Báo cáo', 'Văn phòng UBND tỉnh', '', 'Quý IV/2025'],
        ['2', 'Số hóa', 'Hồ sơ số', 'Sở TT&TT', '', 'Năm 2025'],
      ]),
    ]);
    const [t1, t2] = r.annex.sections[0].tasks;
    expect(t1.products.map((p) => [p.number, p.text])).toEqual([
      ['1.1', 'Quyết định công bố'],
      ['1.2', 'Báo cáo'],
    ]);
    expect(t1.rows).toEqual([3, 4, 6]);
    expect(t2.number).toBe('2');
    expect(r.rowRoles.map((x) => x.role)).toEqual([
      'header',
      'section',
      'task',
      'product',
      'header',
      'product',
      'task',
    ]);
  });

  it('a row without STT whose task text starts in capitals is a new task without number', () => {
    const r = readAnnex([
      sheet('S', [
        HEAD,
        ['1', 'Việc một', 'SP1', 'Sở A', '', 'Quý I/2025'],
        ['', 'Việc hai chưa đánh số', 'SP2', 'Sở B', '', 'Quý II/2025'],
        ['', 'và phần còn lại của việc hai', '', '', '', ''],
      ]),
    ]);
    const tasks = r.annex.sections[0].tasks;
    expect(tasks.map((t) => t.number)).toEqual(['1', '']);
    expect(tasks[1].task).toBe('Việc hai chưa đánh số và phần còn lại của việc hai');
    expect(codes(r, 'row.rejoined')).toHaveLength(1);
  });

  it('applies a vertically merged task cell to the rows it covers and reports the range once', () => {
    const r = readAnnex([
      sheet(
        'S',
        [
          HEAD,
          ['1', 'Đào tạo, bồi dưỡng', '1.1. Kế hoạch', 'Sở Nội vụ', '', 'Quý I/2025'],
          [{ text: '', mergedInto: 'A2' }, { text: '', mergedInto: 'B2' }, '1.2. Lớp bồi dưỡng', '', '', 'Năm 2025'],
          [{ text: '', mergedInto: 'A2' }, { text: '', mergedInto: 'B2' }, '1.3. Báo cáo', '', '', 'Quý IV/2025'],
          ['2', 'Kiểm tra', 'Kế hoạch kiểm tra', 'Sở Nội vụ', '', 'Quý II/2025'],
        ],
        ['A2:A4', 'B2:B4', 'D2:D4'],
      ),
    ]);
    const [t1, t2] = r.annex.sections[0].tasks;
    expect(t1.products.map((p) => p.number)).toEqual(['1.1.', '1.2.', '1.3.']);
    // The merged lead applies to the covered product rows.
    expect(t1.products.map((p) => p.lead.map((x) => x.text))).toEqual([['Sở Nội vụ'], ['Sở Nội vụ'], ['Sở Nội vụ']]);
    expect(t2.number).toBe('2');
    const merged = codes(r, 'cell.merged');
    expect(merged.map((d) => d.params?.range)).toEqual(['A2:A4', 'B2:B4', 'D2:D4']);
    expect(merged[0]).toMatchObject({ severity: 'info', location: { row: 2, cell: 'A2' } });
  });

  it('rebuilds merge ranges from mergedInto when the adapter gives no list', () => {
    const r = readAnnex([
      sheet('S', [
        HEAD,
        ['1', 'Việc', '1.1. A', 'Sở Nội vụ', '', 'Quý I/2025'],
        [{ text: '', mergedInto: 'A2' }, { text: '', mergedInto: 'B2' }, '1.2. B', '', '', ''],
      ]),
    ]);
    expect(r.annex.sections[0].tasks).toHaveLength(1);
    expect(codes(r, 'cell.merged').map((d) => d.params?.range)).toEqual(['A2:A3', 'B2:B3']);
  });

  it('reports formula cells with the value used', () => {
    const r = readAnnex([
      sheet('S', [
        HEAD,
        [
          { text: '1', formula: 'ROW()-1' },
          'Việc',
          'SP',
          'Sở Nội vụ',
          '',
          { text: 'Quý I/2025', formula: 'Sheet2!A1' },
        ],
      ]),
    ]);
    const d = codes(r, 'cell.formula');
    expect(d.map((x) => x.location.cell)).toEqual(['A2', 'F2']);
    expect(d[0].params).toMatchObject({ formula: 'ROW()-1', text: '1' });
    expect(r.annex.sections[0].tasks[0].number).toBe('1');
  });

  it('does not report merges outside the table (title block)', () => {
    const r = readAnnex([
      sheet('S', [['PHỤ LỤC'], HEAD, ['1', 'Việc', 'SP', 'Sở Nội vụ', '', 'Quý I/2025']], ['A1:F1']),
    ]);
    expect(codes(r, 'cell.merged')).toHaveLength(0);
  });

  it('reports an orphan row before the first task', () => {
    const r = readAnnex([
      sheet('S', [HEAD, ['', '', 'sản phẩm lạc', 'Sở A', '', ''], ['1', 'Việc', 'SP', 'Sở A', '', 'Quý I/2025']]),
    ]);
    expect(codes(r, 'row.orphan').map((d) => d.location.row)).toEqual([2]);
    expect(r.annex.sections[0].tasks).toHaveLength(1);
  });
});

describe('text documents', () => {
  const doc = (rows: string[]) =>
    textToGrid(
      ['KẾ HOẠCH', 'Cải cách hành chính tỉnh Tiền Giang năm 2024', '', HEAD.join('\t'), ...rows].join('\n'),
      'kh.txt',
    );

  it('detects a last row cut short', () => {
    const r = readAnnex([
      doc(['I\tCải cách thể chế\t\t\t\t', '1\tRà soát\tBáo cáo\tSở Tư pháp\t\tQuý I/2024', '2\tTuyên truyền pháp']),
    ]);
    const d = r.diagnostics.find((x) => x.code === 'document.truncated');
    expect(d).toMatchObject({ location: { row: 7, line: 7 }, params: { row: 7, missing: 4 } });
    expect(r.annex.meta).toMatchObject({ province: 'tien-giang', planYear: 2024, docType: 'KH' });
  });

  it('detects a last cell ending mid-sentence', () => {
    const r = readAnnex([doc(['1\tRà soát\tBáo cáo\tSở Tư pháp\tCác sở,\tQuý I/2024 và'])]);
    expect(codes(r, 'document.truncated')).toHaveLength(1);
  });

  it('does not flag a complete table followed by a line end', () => {
    const r = readAnnex([doc(['1\tRà soát\tBáo cáo\tSở Tư pháp\t\tQuý I/2024', ''])]);
    expect(codes(r, 'document.truncated')).toHaveLength(0);
    expect(r.annex.sections[0].tasks[0].timeline.text).toBe('Quý I/2024');
  });

  it('cleans HTML and keeps the raw text', () => {
    const r = readAnnex([
      doc(['<b>1</b>\t<p>Rà soát</p><p>văn bản</p>\t<ul><li>- Báo cáo</li></ul>\t<b>Sở Tư pháp</b>\t\tQuý I/2024', '']),
    ]);
    const t = r.annex.sections[0].tasks[0];
    expect(t.number).toBe('1');
    expect(t.task).toBe('Rà soát\nvăn bản');
    expect(t.products[0].text).toBe('- Báo cáo');
    expect(t.lead.map((x) => x.text)).toEqual(['Sở Tư pháp']);
    expect(t.raw).toMatchObject({
      number: '<b>1</b>',
      task: '<p>Rà soát</p><p>văn bản</p>',
      lead: '<b>Sở Tư pháp</b>',
    });
  });
});

describe('header layouts', () => {
  it('reads a two-level header ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp") and skips the column numbering row', () => {
    const r = readAnnex([
      sheet(
        'S',
        [
          ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan thực hiện', '', 'Thời gian'],
          [
            { text: '', mergedInto: 'A1' },
            { text: '', mergedInto: 'B1' },
            { text: '', mergedInto: 'C1' },
            'Chủ trì',
            'Phối hợp',
            { text: '', mergedInto: 'F1' },
          ],
          ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)'],
          ['I', 'Cải cách thể chế', '', '', '', ''],
          ['1', 'Rà soát văn bản', 'Báo cáo', 'Sở Tư pháp', 'Các sở, ngành', 'Quý II/2025'],
          ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan thực hiện', '', 'Thời gian'],
          ['', '', '', 'Chủ trì', 'Phối hợp', ''],
          ['2', 'Tuyên truyền', 'Tin bài', 'Sở Tư pháp', '', 'Năm 2025'],
        ],
        ['A1:A2', 'B1:B2', 'C1:C2', 'D1:E1', 'F1:F2'],
      ),
    ]);
    expect(r.annex.meta.columns?.map((c) => [c.header, c.field])).toEqual([
      ['STT', 'number'],
      ['Nhiệm vụ', 'task'],
      ['Sản phẩm', 'product'],
      ['Cơ quan thực hiện - Chủ trì', 'lead'],
      ['Cơ quan thực hiện - Phối hợp', 'support'],
      ['Thời gian', 'timeline'],
    ]);
    const tasks = r.annex.sections[0].tasks;
    expect(tasks.map((t) => [t.number, t.lead.map((x) => x.text), t.support.map((x) => x.text)])).toEqual([
      ['1', ['Sở Tư pháp'], ['Các sở, ngành']],
      ['2', ['Sở Tư pháp'], []],
    ]);
    expect(r.rowRoles.filter((x) => x.role === 'header').map((x) => x.row)).toEqual([1, 2, 3, 6, 7]);
    // Merges of the header block are layout, not data.
    expect(codes(r, 'cell.merged')).toHaveLength(0);
    expect(codes(r, 'header.missing-column')).toHaveLength(0);
  });
});

describe('metadata of a sheet made from the template', () => {
  it('takes the title row and the plan year from the sheet itself', () => {
    const r = readAnnex([
      sheet('Phụ lục', [
        ['Phụ lục'],
        ['NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026'],
        ['(Kèm theo Kế hoạch số 12/KH-UBND ngày 05/01/2026 của UBND tỉnh Ninh Bình)'],
        [],
        HEAD,
        ['I', 'Công tác chỉ đạo, điều hành', '', '', '', ''],
        ['', '1.Ban hành kế hoạch', '', '', '', ''],
      ]),
    ]);
    expect(r.annex.meta).toMatchObject({
      title: 'NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026',
      planYear: 2026,
      docNumber: '12/KH-UBND',
      docType: 'KH',
      docDate: '2026-01-05',
      province: 'ninh-binh',
      headerRow: 5,
    });
    // "1.Ban hành…" without a space after the number still carries the task number.
    expect(r.annex.sections[0].tasks[0]).toMatchObject({ number: '1', task: 'Ban hành kế hoạch' });
  });
});

describe('Word and trimmed spreadsheet rows', () => {
  it('treats one-cell paragraphs after the table as prose, and a one-cell area title as a section', () => {
    const r = readAnnex([
      sheet('kh.docx', [
        ['KẾ HOẠCH'],
        ['Cải cách hành chính năm 2025'],
        HEAD,
        ['I. CẢI CÁCH THỂ CHẾ'],
        ['1', 'Rà soát', 'Báo cáo', 'Sở Tư pháp', '', 'Quý I/2025'],
        ['II. Cải cách thủ tục hành chính'],
        ['1', 'Công bố', 'Quyết định', 'Văn phòng UBND tỉnh', '', 'Quý I/2025'],
        ['III. TỔ CHỨC THỰC HIỆN'],
        ['Nơi nhận:'],
        ['- Như trên;'],
      ]),
    ]);
    expect(r.annex.sections.map((s) => [s.numeral, s.area, s.tasks.length])).toEqual([
      ['I', 'institution', 1],
      ['II', 'procedure', 1],
    ]);
    expect(r.annex.sections[1].tasks[0].task).toBe('Công bố');
    expect(r.rowRoles.slice(-3).map((x) => x.role)).toEqual(['other', 'other', 'other']);
    expect(r.diagnostics.filter((d) => d.code === 'row.rejoined')).toHaveLength(0);
  });
});

describe('trailing empty cells', () => {
  // Seed 004's layout: no STT column, the number inside the task text, sections as "I. …" rows.
  const HEAD_004 = [
    'Nội dung công việc',
    'Cơ quan chủ trì',
    'Cơ quan phối hợp',
    'Cấp ban hành/phê duyệt',
    'Thời gian thực hiện',
  ];
  const rows004 = [
    ['QUYẾT ĐỊNH'],
    ['Kế hoạch cải cách hành chính tỉnh Tiền Giang năm 2025'],
    HEAD_004,
    ['I. Cải cách thể chế', '', '', '', ''],
    ['1. Rà soát văn bản quy phạm pháp luật', 'Sở Tư pháp', '', 'UBND tỉnh', 'Quý II/2025'],
    // A page break: the header again, then the rest of task 1's text alone in column A.
    HEAD_004,
    ['do HĐND, UBND tỉnh ban hành', '', '', '', ''],
    ['II. Cải cách thủ tục hành chính', '', '', '', ''],
    ['1. Công bố thủ tục hành chính', 'Văn phòng UBND tỉnh', 'Các sở, ngành', '', ''],
    ['III. TỔ CHỨC THỰC HIỆN', '', '', '', ''],
  ];
  const rowsStt = [
    ['PHỤ LỤC'],
    HEAD,
    ['I. Cải cách thể chế', '', '', '', '', ''],
    ['1', 'Rà soát', 'Báo cáo', 'Sở Tư pháp', '', ''],
    ['2', '', '', '', '', ''],
    ['II', '', '', '', '', ''],
    ['1', 'Công bố', 'Quyết định', 'Văn phòng UBND tỉnh', '', 'Quý I/2025'],
  ];
  /** The same rows as a spreadsheet file stores them (xlsx, Sheets API): trailing empty cells dropped. */
  const trimmed = (rows: string[][]) =>
    rows.map((r) =>
      r.slice(
        0,
        r.reduce((n, t, i) => (t.trim() ? i + 1 : n), 0),
      ),
    );

  it('reads a row the same with or without trailing empty cells (a lone section title stays in column A)', () => {
    for (const rows of [rows004, rowsStt]) {
      const padded = readAnnex([sheet('Phụ lục', rows)]);
      const short = readAnnex([sheet('Phụ lục', trimmed(rows))]);
      expect(short.annex).toEqual(padded.annex);
      expect(short.rowRoles).toEqual(padded.rowRoles);
      expect(short.diagnostics).toEqual(padded.diagnostics);
    }
    const r = readAnnex([sheet('Phụ lục', trimmed(rows004))]);
    expect(r.annex.sections.map((x) => [x.numeral, x.area, x.source.cell, x.tasks.length])).toEqual([
      ['I', 'institution', 'A4', 1],
      ['II', 'procedure', 'A8', 1],
    ]);
    expect(r.rowRoles.find((x) => x.row === 4)!.role).toBe('section');
    // The rest of a task after a page break is joined to it, with or without trailing cells.
    expect(r.annex.sections[0].tasks[0]).toMatchObject({
      task: 'Rà soát văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành',
      rows: [5, 7],
    });
    // The Word-style paragraph after the table stays prose either way.
    expect(r.rowRoles.find((x) => x.row === 10)!.role).toBe('other');
    // A bare number alone in its row is a task being filled in, not a paragraph.
    const stt = readAnnex([sheet('Phụ lục', trimmed(rowsStt))]);
    expect(stt.annex.sections.map((x) => [x.numeral, x.source.cell, x.tasks.map((t) => t.number)])).toEqual([
      ['I', 'A3', ['1', '2']],
      ['II', 'B6', ['1']], // an empty title: the section points at the title cell
    ]);
  });
});

describe('metadata variants', () => {
  it('reads a number with a year, a city and a leading-zero task number', () => {
    const r = readAnnex([
      textToGrid(
        [
          'ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH',
          'Số: 12/2026/QĐ-UBND',
          'TP. Hồ Chí Minh, ngày 02 tháng 3 năm 2026',
          'QUYẾT ĐỊNH',
          'Ban hành Kế hoạch cải cách hành chính năm 2026',
          '',
          HEAD.join('\t'),
          '01.\tRà soát\tBáo cáo\tSở Nội vụ\t\tQuý II/2026',
          '',
        ].join('\n'),
        'qd.txt',
      ),
    ]);
    expect(r.annex.meta).toMatchObject({
      docNumber: '12/2026/QĐ-UBND',
      docType: 'QĐ',
      docDate: '2026-03-02',
      province: 'ho-chi-minh',
      issuer: 'UBND thành phố Hồ Chí Minh',
      planYear: 2026,
    });
    expect(r.annex.sections[0].tasks[0].number).toBe('1');
  });
});

describe('data under no header', () => {
  it('keeps it as an unknown column named by its letter and reports it', () => {
    const r = readAnnex([sheet('S', [HEAD, ['1', 'Việc', 'SP', 'Sở Nội vụ', '', 'Quý I/2025', '', 'ghi tay']])]);
    expect(r.annex.sections[0].tasks[0].extra).toEqual({ 'Cột H': 'ghi tay' });
    expect(r.diagnostics.filter((d) => d.code === 'header.unknown-column').map((d) => d.location.cell)).toEqual(['H1']);
    expect(r.annex.meta.columns?.at(-1)).toEqual({ index: 8, header: '', field: null });
  });
});
