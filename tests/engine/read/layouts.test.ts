// Layouts the seeds do not show, recognised from evidence: a targets table, an A/I/1.1 outline whose decimal
// items are tasks with their own agencies, section and part titles in any cell, and no row dropped silently.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Grid, GridCell } from '../../../engine/model.js';
import { readAnnex, textToGrid } from '../../../engine/read/index.js';
import { validate } from '../../../engine/rules/validate.js';
import { defaultDirectory } from '../../../data/index.js';

const shapes = fileURLToPath(new URL('./shapes/', import.meta.url));
const shape = (name: string): Grid => textToGrid(readFileSync(shapes + name, 'utf8'), name);
const directory = defaultDirectory();
const tasksOf = (r: ReturnType<typeof readAnnex>) => r.annex.sections.flatMap((s) => s.tasks);
const codes = (r: { diagnostics: Diagnostic[] }, code: string) => r.diagnostics.filter((d) => d.code === code);

function sheet(rows: (string | GridCell)[][], merges?: string[]): Grid {
  return {
    sheet: 'Phụ lục',
    kind: 'sheet',
    rows: rows.map((cells, i) => ({
      index: i + 1,
      cells: cells.map((c) => (typeof c === 'string' ? { text: c } : c)),
    })),
    ...(merges ? { merges } : {}),
  };
}

describe('a targets table (TT | Chỉ tiêu | Chủ trì)', () => {
  const grid = shape('targets.tsv');
  const r = readAnnex([grid], { directory });

  it('gives every numbered target with its lead agency, under its themed sections', () => {
    expect(r.annex.meta.kind).toBe('targets');
    expect(r.annex.sections.map((s) => `${s.numeral}. ${s.title}`)).toEqual([
      'I. Kinh tế số',
      'II. Xã hội số',
      'III. Chính quyền số',
    ]);
    const tasks = tasksOf(r);
    expect(tasks.map((t) => t.number)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    for (const t of tasks) expect(t.lead.length).toBeGreaterThan(0);
    expect(tasks[4]).toMatchObject({
      task: expect.stringContaining('định danh điện tử mức 2'),
      lead: [{ text: 'Công an tỉnh' }],
    });
    expect(tasks[8].lead.map((a) => a.text)).toEqual(['Sở Khoa học và Công nghệ', 'UBND các xã, phường, đặc khu']);
  });

  it('asks for no product or timeline column and no reform areas', () => {
    const report = validate(r, { directory });
    const found = report.diagnostics.map((d) => d.code);
    expect(found).not.toContain('header.missing-column');
    expect(found).not.toContain('section.unknown-area');
    expect(found).not.toContain('timeline.missing');
  });

  it('a task table without a timeline column is still told it misses one', () => {
    const t = readAnnex([
      sheet([
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì'],
        ['1', 'Rà soát văn bản', 'Sở Tư pháp'],
      ]),
    ]);
    expect(t.annex.meta.kind).toBeUndefined();
    expect(codes(t, 'header.missing-column').map((d) => d.message)).toContain('Bảng thiếu cột "Thời gian thực hiện".');
  });
});

describe('an outline: letter parts, Roman sections, decimal tasks', () => {
  const r = readAnnex([shape('outline.tsv')], { directory });

  it('gives every decimal item as a task with its own agencies, under its part and section', () => {
    const tasks = tasksOf(r);
    expect(tasks.map((t) => t.number)).toEqual([
      '1.1',
      '1.2',
      '2.1',
      '2.2',
      '1.1',
      '1.2',
      '1.3',
      '1',
      '2',
      '1.1',
      '1.2',
    ]);
    expect(tasks[2]).toMatchObject({
      task: 'Kiểm tra việc thực hiện pháp luật về xử lý vi phạm hành chính',
      lead: [{ text: 'Sở Tư pháp' }],
      support: [{ text: 'Công an tỉnh' }],
      timeline: { text: 'Quý III/2026' },
      group: '2. Tổ chức thi hành pháp luật',
    });
    expect(tasks[2].products.map((p) => p.text)).toEqual(['Báo cáo kiểm tra']);
    expect(r.annex.sections.map((s) => [s.part?.numeral, s.numeral, s.area])).toEqual([
      ['A', 'I', 'institution'],
      ['A', 'II', 'procedure'],
      ['B', 'I', 'direction'],
      ['B', 'II', 'civil-service'],
    ]);
    expect(r.annex.sections[2].part?.title).toBe('NHIỆM VỤ THƯỜNG XUYÊN');
  });

  it('says which numbered rows are group headings, and what follows the table', () => {
    expect(codes(r, 'row.group-heading').map((d) => d.location.row)).toEqual([9, 12, 16, 25]);
    expect(codes(r, 'document.after-table')).toHaveLength(1);
    const roles = new Map(r.rowRoles.map((x) => [x.row, x.role]));
    expect([roles.get(7), roles.get(8), roles.get(9), roles.get(10)]).toEqual(['section', 'section', 'other', 'task']);
  });

  it('reads decimal rows without agencies or timeline as products of the task above', () => {
    const t = readAnnex([
      sheet([
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian thực hiện'],
        ['I', 'Cải cách thể chế', '', ''],
        ['1', 'Rà soát văn bản quy phạm pháp luật', 'Sở Tư pháp', 'Năm 2026'],
        ['1.1', 'Báo cáo rà soát', '', ''],
        ['1.2', 'Danh mục văn bản đề nghị sửa đổi', '', ''],
      ]),
    ]);
    const tasks = tasksOf(t);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].products.map((p) => [p.number, p.text])).toEqual([
      ['1.1', 'Báo cáo rà soát'],
      ['1.2', 'Danh mục văn bản đề nghị sửa đổi'],
    ]);
    expect(codes(t, 'row.outline-mixed')).toHaveLength(0);
  });

  it('reports siblings with mixed evidence at the row, reading a sibling of a task as a task', () => {
    const t = readAnnex([
      sheet([
        ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian thực hiện'],
        ['I', 'Cải cách thể chế', '', ''],
        ['1', 'Hoàn thiện thể chế', '', ''],
        ['1.1', 'Rà soát văn bản', 'Sở Tư pháp', 'Quý II/2026'],
        ['1.2', 'Theo dõi thi hành pháp luật', '', ''],
      ]),
    ]);
    expect(tasksOf(t).map((x) => x.number)).toEqual(['1.1', '1.2']);
    const mixed = codes(t, 'row.outline-mixed');
    expect(mixed).toHaveLength(1);
    expect(mixed[0]).toMatchObject({ severity: 'warning', location: { row: 5, cell: 'A5' } });
    expect(mixed[0].message).toContain('1.2');
  });
});

describe('titles in any cell, nothing dropped', () => {
  it('reads a section title across merged cells and a part title alone in column A', () => {
    const t = readAnnex([
      sheet(
        [
          ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian thực hiện', 'Kinh phí'],
          ['A. NHIỆM VỤ TRỌNG TÂM'],
          [
            { text: 'I. Chuyển đổi số trong cơ quan nhà nước' },
            { text: '', mergedInto: 'A3' },
            { text: '', mergedInto: 'A3' },
            { text: '', mergedInto: 'A3' },
          ],
          ['1', 'Triển khai nền tảng họp không giấy', 'Văn phòng UBND tỉnh', 'Quý I/2026', '500 triệu đồng'],
          ['Ghi chú: kinh phí từ nguồn ngân sách tỉnh'],
          ['2', 'Nâng cấp hệ thống quản lý văn bản', 'Sở Khoa học và Công nghệ', 'Quý III/2026', ''],
        ],
        ['A3:D3'],
      ),
    ]);
    expect(t.annex.sections).toHaveLength(1);
    expect(t.annex.sections[0]).toMatchObject({
      numeral: 'I',
      title: 'Chuyển đổi số trong cơ quan nhà nước',
      part: { numeral: 'A' },
    });
    const tasks = tasksOf(t);
    expect(tasks.map((x) => x.number)).toEqual(['1', '2']);
    expect(tasks[0].extra).toEqual({ 'Kinh phí': '500 triệu đồng' });
    const lost = codes(t, 'row.not-placed');
    expect(lost).toHaveLength(1);
    expect(lost[0].location.row).toBe(5);
    expect(lost[0].message).toContain('Ghi chú: kinh phí');
  });
});

describe('a header row split by a page break (a PDF printed from Word)', () => {
  const HEADER = [
    'STT',
    'Nội dung công việc',
    'Cơ quan chủ trì đề xuất/ tham mưu/thực hiện',
    'Cơ quan phối hợp',
    'Thời gian',
  ];
  const rows = (tail: string[]) => [
    HEADER,
    ['I', 'CẢI CÁCH THỂ CHẾ', '', '', ''],
    ['1', 'Rà soát văn bản quy phạm pháp luật', 'Sở Tư pháp', 'Các sở, ban, ngành', 'Quý II/2026'],
    // The page ends inside a repeated header row; the next page repeats the header, then prints the rest.
    ['STT', 'Nội dung công việc', 'Cơ quan chủ trì đề', 'Cơ quan phối hợp', 'Thời gian'],
    HEADER,
    tail,
    ['2', 'Kiểm tra công tác văn bản', 'Văn phòng UBND tỉnh', 'Sở Tư pháp', 'Quý III/2026'],
  ];

  it('reads the rest of the split header as header, not as the open task’s lead', () => {
    const r = readAnnex([sheet(rows(['', '', 'xuất/ tham mưu/thực hiện', '', '']))], { directory });
    expect(tasksOf(r).map((t) => [t.number, t.lead.map((a) => a.text)])).toEqual([
      ['1', ['Sở Tư pháp']],
      ['2', ['Văn phòng UBND tỉnh']],
    ]);
    expect(r.rowRoles.filter((x) => x.role === 'header' && x.row > 1).map((x) => x.row)).toEqual([4, 5, 6]);
  });

  it('a row that is not the rest of the header text is read as before', () => {
    const r = readAnnex([sheet(rows(['', '', 'Sở Tài chính', '', '']))], { directory });
    // The page-break continuation of task 1, as any row after a repeated header.
    expect(r.rowRoles.find((x) => x.row === 6)?.role).toBe('continuation');
    expect(
      tasksOf(r)[0]
        .lead.map((a) => a.text)
        .join(' '),
    ).toContain('Sở Tài chính');
    expect(r.rowRoles.filter((x) => x.role === 'header' && x.row > 1).map((x) => x.row)).toEqual([4, 5]);
  });
});
