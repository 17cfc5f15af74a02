import { describe, expect, it } from 'vitest';
import { TimelineSchema, type Timeline } from '../../../engine/model.js';
import { looksLikeTimeline, parseTimeline } from '../../../engine/normalize/timeline.js';
import { seedColumn } from './seeds.js';

type Expect = Partial<Omit<Timeline, 'text'>>;

// Every case is a string written in a seed (000–004) or named in the product brief.
const CASES: [string, Expect, number?][] = [
  ['Quý I/2023', { kind: 'period', start: '2023-01-01', due: '2023-03-31' }],
  ['Quý 1-Năm 2023', { kind: 'period', start: '2023-01-01', due: '2023-03-31' }],
  ['Quý IV- Năm 2023', { kind: 'period', start: '2023-10-01', due: '2023-12-31' }],
  ['Quý I Năm 2023', { kind: 'period', start: '2023-01-01', due: '2023-03-31' }],
  ['Quý IV năm 2023', { kind: 'period', start: '2023-10-01', due: '2023-12-31' }],
  ['Quý I, II năm 2023', { kind: 'period', start: '2023-01-01', due: '2023-06-30' }],
  ['Quý IV', { kind: 'period', start: '2024-10-01', due: '2024-12-31' }, 2024],
  ['Quý IV', { kind: 'period', start: undefined, due: undefined }],
  ['Tháng 6/2023', { kind: 'period', start: '2023-06-01', due: '2023-06-30' }],
  ['Tháng 02 năm 2023', { kind: 'period', start: '2023-02-01', due: '2023-02-28' }],
  ['Tháng 02/2024', { kind: 'period', start: '2024-02-01', due: '2024-02-29' }],
  ['Tháng 01 - 03/2023', { kind: 'period', start: '2023-01-01', due: '2023-03-31' }],
  ['Tháng 6', { kind: 'period', start: undefined, due: undefined }],
  ['Tháng 6', { kind: 'period', start: '2023-06-01', due: '2023-06-30' }, 2023],
  ['Trước 19/01/2023', { kind: 'date', due: '2023-01-19', start: undefined }],
  ['Trước ngày 15/12/2023', { kind: 'date', due: '2023-12-15' }],
  ['Hoàn thành trước ngày 15/11/2022', { kind: 'date', due: '2022-11-15' }],
  ['30/06/2023', { kind: 'date', due: '2023-06-30' }],
  ['Trước ngày 15/12', { kind: 'date', due: undefined }],
  ['Trước ngày 15/12', { kind: 'date', due: '2023-12-15' }, 2023],
  ['Ban hành kế hoạch chậm nhất là ngày 15/01/2024 và tổ chức thực hiện', { kind: 'date', due: '2024-01-15' }],
  ['Năm 2023', { kind: 'period', start: '2023-01-01', due: '2023-12-31' }],
  ['Trong năm 2024', { kind: 'period', start: '2024-01-01', due: '2024-12-31' }],
  ['2023 - 2024', { kind: 'period', start: '2023-01-01', due: '2024-12-31' }],
  ['Năm 2023 - 2024', { kind: 'period', start: '2023-01-01', due: '2024-12-31' }],
  ['Từ Quý II đến cuối năm 2023', { kind: 'period', start: '2023-04-01', due: '2023-12-31' }],
  ['Từ Quý I/2023', { kind: 'period', start: '2023-01-01', due: undefined }],
  ['Ngay từ đầu năm 2023', { kind: 'period', start: '2023-01-01', due: undefined }],
  [
    'Ban hành kế hoạch trong tháng 01/2024 và tổ chức thực hiện',
    { kind: 'period', start: '2024-01-01', due: '2024-01-31' },
  ],
  ['Quý I/2023 hoàn chỉnh Đề án trình', { kind: 'period', start: '2023-01-01', due: '2023-03-31' }],
  ['6 tháng đầu năm 2023', { kind: 'period', start: '2023-01-01', due: '2023-06-30' }],
  // Ranges written with "từ … đến", dashes or lists
  ['15/3/2023 - 30/6/2023', { kind: 'period', start: '2023-03-15', due: '2023-06-30' }],
  ['Từ ngày 01/3/2023 đến ngày 30/6/2023', { kind: 'period', start: '2023-03-01', due: '2023-06-30' }],
  ['Từ tháng 3 đến tháng 6/2023', { kind: 'period', start: '2023-03-01', due: '2023-06-30' }],
  ['Quý II/2023 - Quý III/2023', { kind: 'period', start: '2023-04-01', due: '2023-09-30' }],
  ['Từ năm 2023', { kind: 'period', start: '2023-01-01', due: undefined }],
  ['Năm 2023, 2024', { kind: 'period', start: '2023-01-01', due: '2024-12-31' }],
  ['Cuối năm 2023', { kind: 'date', due: '2023-12-31' }],
  ['6 tháng/lần', { kind: 'recurring', recurrence: 'half-yearly' }],
  ['Quý I hằng năm', { kind: 'recurring', recurrence: 'yearly', start: '2023-01-01', due: '2023-03-31' }, 2023],
  ['Thường xuyên', { kind: 'recurring', recurrence: 'continuous' }],
  ['Thường xuyên trong năm', { kind: 'recurring', recurrence: 'continuous' }],
  ['Thường xuyên/định kỳ', { kind: 'recurring', recurrence: 'continuous' }],
  ['Hằng năm', { kind: 'recurring', recurrence: 'yearly' }],
  ['Hàng năm', { kind: 'recurring', recurrence: 'yearly' }],
  ['Năm 2022 và những năm tiếp theo', { kind: 'recurring', recurrence: 'yearly', start: '2022-01-01', due: undefined }],
  ['Định kỳ 6 tháng', { kind: 'recurring', recurrence: 'half-yearly' }],
  ['Hằng quý', { kind: 'recurring', recurrence: 'quarterly' }],
  ['Hàng tháng', { kind: 'recurring', recurrence: 'monthly' }],
  ['Định kỳ theo quy định', { kind: 'recurring', recurrence: 'periodic', condition: 'quy định' }],
  ['Thường xuyên; báo cáo trước 15/12/2023', { kind: 'recurring', recurrence: 'continuous', due: '2023-12-15' }],
  [
    'Xây dựng Kế hoạch kiểm tra trong tháng 01/2024, định kỳ hàng tháng tổ chức ít nhất 01 cuộc',
    { kind: 'recurring', recurrence: 'monthly', start: '2024-01-01', due: '2024-01-31' },
  ],
  [
    'Ban hành kế hoạch trong tháng 02/2024 và tổ chức thực hiện (báo cáo lồng ghép vào chế độ báo cáo định kỳ về cải cách hành chính)',
    { kind: 'period', start: '2024-02-01', due: '2024-02-29', recurrence: undefined },
  ],
  [
    'Sau 02 tháng kể từ khi có văn bản hướng dẫn của Trung ương',
    { kind: 'conditional', offset: 'P2M', condition: 'văn bản hướng dẫn của Trung ương' },
  ],
  [
    'Sau 03 tháng kể từ khi có văn bản hướng dẫn của Trung ương',
    { kind: 'conditional', offset: 'P3M', condition: 'văn bản hướng dẫn của Trung ương' },
  ],
  [
    'Trong thời hạn 40 ngày kể từ ngày nhận đủ hồ sơ',
    { kind: 'conditional', offset: 'P40D', condition: 'nhận đủ hồ sơ' },
  ],
  [
    'Sau 01 tháng kể từ ngày bộ, ngành trung ương công bố',
    { kind: 'conditional', offset: 'P1M', condition: 'bộ, ngành trung ương công bố' },
  ],
  [
    'Tham mưu Chủ tịch UBND tỉnh công bố trong vòng 03 ngày làm việc kể từ ngày sở, ngành có tờ trình. Cập nhật vào hệ thống cơ sở dữ liệu quốc gia về thủ tục hành chính trong vòng 05 ngày làm việc',
    { kind: 'conditional', offset: 'P3D', condition: 'sở, ngành có tờ trình' },
  ],
  [
    'Khi có văn bản hướng dẫn của Bộ Nội vụ',
    { kind: 'conditional', condition: 'văn bản hướng dẫn của Bộ Nội vụ', offset: undefined },
  ],
  [
    'Khi có hướng dẫn của các bộ, ngành Trung ương',
    { kind: 'conditional', condition: 'hướng dẫn của các bộ, ngành Trung ương' },
  ],
  ['Sau khi Đề án được phê duyệt', { kind: 'conditional', condition: 'Đề án được phê duyệt' }],
  ['Theo lộ trình đã được phê duyệt', { kind: 'conditional', condition: 'lộ trình đã được phê duyệt' }],
  ['Theo tiến độ triển khai của Trung ương', { kind: 'conditional', condition: 'tiến độ triển khai của Trung ương' }],
  ['Theo hướng dẫn của Bộ Nội vụ', { kind: 'conditional', condition: 'hướng dẫn của Bộ Nội vụ' }],
  [
    'Trong năm 2023 (sau khi có hướng dẫn của Trung ương)',
    { kind: 'period', start: '2023-01-01', due: '2023-12-31', condition: 'hướng dẫn của Trung ương' },
  ],
  ['31/02/2023', { kind: 'unknown', due: undefined }],
  ['Trước ngày 31/04/2024', { kind: 'unknown' }],
  ['Tháng 13/2023', { kind: 'unknown' }],
  ['Kế hoạch', { kind: 'unknown' }],
  ['Thời gian thực hiện', { kind: 'unknown' }],
  ['', { kind: 'empty' }],
  ['   ', { kind: 'empty' }],
];

describe('parseTimeline', () => {
  it.each(CASES)('%j', (text, expected, planYear) => {
    const t = parseTimeline(text, planYear ? { planYear } : {});
    expect(TimelineSchema.parse(t)).toEqual(t);
    expect(t.text).toBe(text); // the officer's text is kept exactly
    for (const [k, v] of Object.entries(expected)) expect(t[k as keyof Timeline], k).toBe(v);
  });

  it('keeps text unchanged, including HTML and odd spacing', () => {
    const raw = '<b>Quý  I/2023</b>';
    const t = parseTimeline(raw);
    expect(t.text).toBe(raw);
    expect(t.kind).toBe('period');
    expect(t.due).toBe('2023-03-31');
  });

  it('parses NFD text the same as NFC', () => {
    const s = 'Thường xuyên; báo cáo trước 15/12/2023';
    expect({ ...parseTimeline(s.normalize('NFD')), text: '' }).toEqual({ ...parseTimeline(s), text: '' });
  });

  it('a year written in the cell wins over the plan year', () => {
    expect(parseTimeline('Quý IV/2022', { planYear: 2023 }).due).toBe('2022-12-31');
  });

  it('never invents a date for year-less phrases without a plan year', () => {
    for (const s of ['Quý IV', 'Tháng 6', 'Trước ngày 15/12', 'Quý I, II']) {
      const t = parseTimeline(s);
      expect(t.start, s).toBeUndefined();
      expect(t.due, s).toBeUndefined();
      expect(t.kind, s).not.toBe('unknown');
    }
  });

  it('reads the common timelines of every seed table', () => {
    // Column of "Thời gian" per seed (0-based); header repeats and page-break fragments are excluded.
    const columns: [string, number, number][] = [
      ['000', 5, 2023],
      ['001', 3, 2023],
      ['002', 3, 2024],
      ['004', 4, 2023],
    ];
    const unknown: string[] = [];
    let n = 0;
    for (const [seed, col, planYear] of columns) {
      for (const cell of seedColumn(seed, [col])) {
        if (/^(?:<b>)?(Thời gian|Tiến độ)/u.test(cell)) continue;
        n++;
        if (parseTimeline(cell, { planYear }).kind === 'unknown') unknown.push(cell);
      }
    }
    expect(n).toBeGreaterThan(90);
    // Only fragments of rows split by a page break, and the bare word "Kế hoạch", stay unknown.
    expect(unknown.sort()).toEqual(
      ['Kế hoạch', 'Theo quy', 'Thực hiện theo', 'có nhu cầu', 'tiến độ được phê duyệt', 'định'].sort(),
    );
  });
});

describe('looksLikeTimeline', () => {
  it.each([
    ['Quý I/2024', true],
    ['Tháng 6', true],
    ['Thường xuyên', true],
    ['Năm 2024', true],
    ['Trong năm 2024', true],
    ['Trước ngày 30/10/2024', true],
    // seed 002 section III: product cells holding the timeline while the timeline cell is empty
    ['Theo lộ trình đã được phê duyệt', true],
    ['Tổ chức thực hiện theo lộ trình đề ra', true],
    ['Kế hoạch được ban hành trong quý I', false],
    ['Kế hoạch được UBND tỉnh ban hành', false],
    ['Kế hoạch năm 2025 của cơ quan, đơn vị, địa phương', false],
    ['Báo cáo theo quy định', false],
    ['Quyết định ban hành trước 15/3/2023', false],
    ['Văn bản được ban hành sau khi có hướng dẫn của Trung ương', false],
    ['Kết quả thẩm định', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeTimeline(text)).toBe(expected);
  });

  it('finds the timelines written in the product column of seed 002 and no product of seed 000', () => {
    const lines = seedColumn('002', [2]).filter((c) => looksLikeTimeline(c));
    expect(lines.sort()).toEqual(['Theo lộ trình đã được phê duyệt', 'Tổ chức thực hiện theo lộ trình đề ra']);
    const products000 = seedColumn('000', [2]).filter((c) => c !== 'Sản phẩm');
    expect(products000.length).toBeGreaterThan(40);
    expect(products000.filter((c) => looksLikeTimeline(c))).toEqual([]);
  });
});
