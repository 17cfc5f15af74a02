// The reader on the five real seed documents: whole plans with the annex somewhere inside.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnnexSchema, type Task } from '../../../engine/model.js';
import { readAnnex, textToGrid, type ReadResult } from '../../../engine/read/index.js';

const dir = join(process.cwd(), 'seeds');
const file = (prefix: string) => readdirSync(dir).find((f) => f.startsWith(prefix))!;
const cache = new Map<string, ReadResult>();
function read(prefix: string): ReadResult {
  let r = cache.get(prefix);
  if (!r) {
    const name = file(prefix);
    r = readAnnex([textToGrid(readFileSync(join(dir, name), 'utf8'), name)]);
    cache.set(prefix, r);
  }
  return r;
}
const tasks = (r: ReadResult) => r.annex.sections.flatMap((s) => s.tasks);
const codes = (r: ReadResult, code: string) => r.diagnostics.filter((d) => d.code === code);
const section = (r: ReadResult, numeral: string) => r.annex.sections.find((s) => s.numeral === numeral)!;
const task = (r: ReadResult, numeral: string, number: string): Task =>
  section(r, numeral).tasks.find((t) => t.number === number)!;
const texts = (refs: { text: string }[]) => refs.map((x) => x.text);

describe('seed counts', () => {
  it.each([
    ['000', 7, 24, 'table'],
    ['001', 7, 64, 'table'],
    ['002', 7, 55, 'table'],
    ['004', 7, 53, 'table'],
    ['003', 2, 8, 'prose'],
  ])('%s → %i sections / %i tasks (%s)', (prefix, nSections, nTasks, layout) => {
    const r = read(prefix);
    expect(r.annex.sections).toHaveLength(nSections);
    expect(tasks(r)).toHaveLength(nTasks);
    expect(r.annex.meta.layout).toBe(layout);
    expect(() => AnnexSchema.parse(r.annex)).not.toThrow();
  });

  it('numbers tasks 1..n inside every table section', () => {
    for (const prefix of ['000', '001', '002', '004']) {
      for (const s of read(prefix).annex.sections) {
        expect(s.tasks.map((t) => t.number)).toEqual(s.tasks.map((_, i) => String(i + 1)));
      }
    }
  });
});

describe('sections and areas', () => {
  it('maps section titles to Nghị quyết 76 areas', () => {
    const areas = (p: string) => read(p).annex.sections.map((s) => s.area);
    expect(areas('000')).toEqual([
      'institution',
      'procedure',
      'organization',
      'civil-service',
      'public-finance',
      'digital-government',
      'direction',
    ]);
    expect(areas('001')).toEqual([
      'institution',
      'procedure',
      'organization',
      'civil-service',
      'public-finance',
      'digital-government',
      'direction',
    ]);
    expect(areas('002')).toEqual([
      'institution',
      'procedure',
      'organization',
      'civil-service',
      'public-finance',
      'digital-government',
      'direction',
    ]);
    expect(areas('004')).toEqual([
      'direction',
      'institution',
      'procedure',
      'organization',
      'civil-service',
      'public-finance',
      'digital-government',
    ]);
  });

  it('cleans HTML from section titles and keeps numerals', () => {
    const s = read('001').annex.sections;
    expect(s.map((x) => x.numeral)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII']);
    expect(s[0].title).toBe('CẢI CÁCH THỂ CHẾ');
    expect(s[0].source).toMatchObject({ row: 166 });
  });

  it('reads "I. CÔNG TÁC…" section rows without an STT column (004)', () => {
    const s = read('004').annex.sections;
    expect(s[0]).toMatchObject({
      numeral: 'I',
      title: 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC',
      source: { row: 271, cell: 'A271' },
    });
    expect(s[2].title).toBe('CẢI CÁCH TTHC VÀ THỰC HIỆN CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG');
  });
});

describe('seed 000 (Nam Định): products on their own rows', () => {
  const r = read('000');
  it('attaches numbered product sub-rows to their task', () => {
    const t = task(r, 'I', '1');
    expect(t.task).toBe('Rà soát, hệ thống hóa VBQPPL');
    expect(t.products.map((p) => p.number)).toEqual(['1.1.', '1.2.', '1.3.']);
    expect(t.products[2].text).toMatch(/^Các văn bản quy phạm pháp luật do HĐND, UBND tỉnh/);
    expect(texts(t.products[2].lead)).toEqual(['Văn phòng UBND tỉnh', 'Sở Tư pháp']);
    expect(t.rows).toEqual([294, 295, 296]);
    expect(t.source).toMatchObject({ row: 294, column: 2, cell: 'B294', line: 294 });
    expect(t.products[1].source).toMatchObject({ row: 295, cell: 'C295' });
  });

  it('keeps product rows after a repeated header (page break) with their task', () => {
    const t = task(r, 'II', '3');
    expect(t.products.map((p) => p.number)).toEqual(['3.1.', '3.2.', '3.3.']);
    expect(t.rows).toEqual([312, 315, 316]);
    expect(r.rowRoles.find((x) => x.row === 314)?.role).toBe('header');
    expect(r.rowRoles.find((x) => x.row === 315)).toMatchObject({ role: 'product', section: 1, task: 2 });
  });

  it('keeps the mismatching sub-number as written', () => {
    expect(task(r, 'VII', '2').products.map((p) => p.number)).toEqual(['1.1.', '1.2.', '1.3.']);
  });

  it('a task whose first row has an unnumbered product keeps it as first product', () => {
    const t = task(r, 'VII', '1');
    expect(t.products).toHaveLength(2);
    expect(t.products[0].number).toBeUndefined();
    expect(t.products[0].text).toBe('Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC của tỉnh năm 2022');
    expect(t.timeline.text).toBe('Trước 19/01/2023');
  });

  it('task lead/support come from the first row', () => {
    const t = task(r, 'I', '3');
    expect(texts(t.lead)).toEqual(['Sở Tư pháp']);
    // List splitting itself is normalize's; the reader gives it the first row's cell.
    expect(texts(t.support)[0]).toBe('Các Sở, ban, ngành');
    expect(texts(t.support).join('; ')).toContain('UBND cấp huyện');
    expect(t.raw?.support).toBe('Các Sở, ban, ngành, UBND cấp huyện, cấp xã');
    expect(t.lead[0].kind).toBe('unknown');
  });

  it('reads metadata from the attachment clause', () => {
    expect(r.annex.meta).toMatchObject({
      province: 'nam-dinh',
      provinceName: 'Nam Định',
      issuer: 'UBND tỉnh Nam Định',
      docType: 'KH',
      docNumber: '158/KH-UBND',
      docDate: '2022-12-30',
      planYear: 2023,
      sheet: file('000'),
      headerRow: 292,
    });
    expect(r.annex.meta.columns?.map((c) => c.field)).toEqual([
      'number',
      'task',
      'product',
      'lead',
      'support',
      'timeline',
    ]);
  });

  it('skips repeated headers and emits no rejoin or truncation', () => {
    expect(r.rowRoles.filter((x) => x.role === 'header').map((x) => x.row)).toEqual([
      292, 304, 314, 326, 337, 345, 352, 364,
    ]);
    expect(codes(r, 'row.rejoined')).toHaveLength(0);
    expect(codes(r, 'document.truncated')).toHaveLength(0);
    expect(codes(r, 'header.missing-column')).toHaveLength(0);
  });

  it('gives every row of the document a role', () => {
    const lines = readFileSync(join(dir, file('000')), 'utf8').split('\n').length;
    expect(r.rowRoles).toHaveLength(lines);
    expect(r.rowRoles.find((x) => x.row === 3)?.role).toBe('preamble');
    expect(r.rowRoles.find((x) => x.row === 293)?.role).toBe('section');
  });
});

describe('seed 001 (Khánh Hòa): combined "Phân công" column and page-break fragments', () => {
  const r = read('001');
  it('maps the combined column to assignment and splits lead and support', () => {
    expect(r.annex.meta.columns?.map((c) => c.field)).toEqual(['number', 'task', 'product', 'timeline', 'assignment']);
    const t = task(r, 'I', '1');
    expect(texts(t.lead)).toEqual(['Sở Nội vụ']);
    expect(t.support.length).toBeGreaterThan(0);
    expect(t.support[0].text).toMatch(/^cơ quan, đơn vị liên quan/);
    expect(t.raw?.assignment).toBe('Sở Nội vụ chủ trì, phối hợp với cơ quan, đơn vị liên quan tham mưu');
    const t12 = task(r, 'VII', '12');
    expect(texts(t12.lead)).toEqual(['Sở Nội vụ', 'Sở Thông tin và Truyền thông']);
    expect(texts(t12.support)).toEqual(['các cơ quan, đơn vị liên quan']);
  });

  it('rejoins rows split at a page break', () => {
    const t = task(r, 'II', '1');
    expect(t.task).toBe(
      'Tiếp tục rà soát, đơn giản hóa TTHC, loại bỏ các thủ tục rườm rà, chồng chéo; các loại mẫu đơn, tờ khai không cần thiết gây khó khăn cho người dân, tổ chức, doanh nghiệp',
    );
    expect(t.products).toHaveLength(1);
    expect(t.products[0].text).toBe('Các TTHC được rà soát, công bố và điều chỉnh, thay thế');
    expect(t.rows).toEqual([180, 187]);
    expect(codes(r, 'row.rejoined').map((d) => [d.location.row, d.params?.into])).toContainEqual([187, 180]);
    expect(r.rowRoles.find((x) => x.row === 187)?.role).toBe('continuation');
    // A fragment holding only the product's last words.
    expect(task(r, 'II', '4').products[0].text).toMatch(/chặt chẽ trong cung cấp dịch vụ công$/);
    // The last task's continuation after the final page break.
    expect(task(r, 'VII', '11').task).toBe('Báo cáo kết quả thực hiện công tác CCHC định kỳ của tỉnh');
    expect(codes(r, 'row.rejoined').map((d) => d.location.row)).toEqual([
      174, 187, 193, 203, 207, 217, 224, 266, 270, 279, 290,
    ]);
  });

  it('cleans HTML in model text but keeps the raw cell text', () => {
    const t = task(r, 'II', '10');
    expect(t.products[0].text).not.toMatch(/<|>/);
    expect(t.products[0].text).toContain('Các quy định được cập nhật đầy đủ');
    expect(t.raw?.product).toMatch(/^<ul style="list-style-type: none"> <li>/);
    expect(texts(t.lead).join(' ')).not.toMatch(/<|>/);
  });

  it('detects the text cut at the end', () => {
    const d = codes(r, 'document.truncated');
    expect(d).toHaveLength(1);
    expect(d[0].location.row).toBe(291);
    expect(d[0].severity).toBe('warning');
  });

  it('reads metadata', () => {
    expect(r.annex.meta).toMatchObject({
      province: 'khanh-hoa',
      provinceName: 'Khánh Hòa',
      issuer: 'UBND tỉnh Khánh Hòa',
      docType: 'QĐ',
      docNumber: '3604/QĐ-UBND',
      docDate: '2022-12-28',
      planYear: 2023,
      title: 'Ban hành Kế hoạch cải cách hành chính tỉnh Khánh Hòa năm 2023',
    });
  });
});

describe('seed 002 (Bình Thuận): seven columns, several product rows', () => {
  const r = read('002');
  it('maps monitor and keeps product sub-rows with their own agencies and timelines', () => {
    const t = task(r, 'I', '4');
    expect(t.products).toHaveLength(3);
    expect(texts(t.products[1].lead)).toEqual(['Các cơ quan, đơn vị, địa phương']);
    expect(t.products[1].timeline?.text).toBe('Ban hành kế hoạch trong tháng 02/2024 và tổ chức thực hiện');
    // The task row names no monitor; its product rows do.
    expect(texts(t.monitor ?? [])).toEqual(['Sở Tư pháp']);
    expect(texts(task(r, 'I', '1').monitor ?? [])).toEqual(['Sở Tư pháp']);
  });

  it('keeps timeline-like product texts in section III as products with an empty timeline', () => {
    for (const n of ['1', '2', '3']) {
      const t = task(r, 'III', n);
      expect(t.products).toHaveLength(1);
      expect(t.products[0].text).toBe('Theo lộ trình đã được phê duyệt');
      expect(t.products[0].timeline?.kind).toBe('empty');
      expect(t.timeline.kind).toBe('empty');
      expect(t.timeline.text).toBe('');
    }
  });

  it('keeps a product row after a page break with its task (not a continuation)', () => {
    const t = task(r, 'IV', '1');
    expect(t.products).toHaveLength(2);
    expect(t.products[1].text).toMatch(/^Quyết định của Chủ tịch UBND tỉnh/);
    expect(texts(t.products[1].lead)).toEqual(['Sở Nội vụ']);
    expect(codes(r, 'row.rejoined')).toHaveLength(0);
  });

  it('skips a bold header repeat', () => {
    expect(r.rowRoles.find((x) => x.row === 353)?.role).toBe('header');
    expect(task(r, 'VII', '7').rows).toEqual([354]);
  });

  it('reads metadata with a spaced document number', () => {
    expect(r.annex.meta).toMatchObject({
      province: 'binh-thuan',
      docNumber: '4912/KH-UBND',
      docType: 'KH',
      docDate: '2023-12-15',
      planYear: 2024,
    });
  });
});

describe('seed 004 (Tiền Giang): no STT column', () => {
  const r = read('004');
  it('takes the number from the task text', () => {
    const t = task(r, 'I', '1');
    expect(t.task).toMatch(/^Tổng kết công tác CCHC năm 2022/);
    expect(t.approval).toBe('UBND tỉnh');
    expect(t.products).toEqual([]);
    expect(t.raw?.task).toMatch(/^1\. Tổng kết/);
    expect(r.annex.meta.columns?.map((c) => c.field)).toEqual(['task', 'lead', 'support', 'approval', 'timeline']);
  });

  it('rejoins continuation rows across page breaks', () => {
    const t9 = task(r, 'I', '9');
    expect(t9.timeline.text).toBe('Theo quy định');
    expect(texts(t9.support)).toEqual(['Các sở, ban, ngành tỉnh', 'UBND cấp huyện']);
    const t6 = task(r, 'III', '6');
    expect(t6.task).toMatch(/107\/2021\/NĐ-CP ngày 06\/12\/2021/);
    expect(t6.rows).toEqual([300, 303]);
    expect(task(r, 'IV', '3').timeline.text).toBe('Khi có chủ trương của cơ quan có thẩm quyền; khi có nhu cầu');
    expect(codes(r, 'row.rejoined').map((d) => d.location.row)).toEqual([283, 303, 314, 325]);
  });

  it('reports the missing product column as a warning', () => {
    const d = codes(r, 'header.missing-column');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'warning', params: { column: 'Sản phẩm' } });
  });

  it('reads metadata of a decision with an attached plan', () => {
    expect(r.annex.meta).toMatchObject({
      province: 'tien-giang',
      docType: 'QĐ',
      docNumber: '45/QĐ-UBND',
      docDate: '2023-01-10',
      planYear: 2023,
    });
  });
});

describe('seed 003 (Nam Định): prose steps', () => {
  const r = read('003');
  it('reads the eight steps with lead, support and deadline', () => {
    const all = tasks(r);
    expect(all.map((t) => t.number)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '2']);
    const first = all[0];
    expect(first.task).toMatch(/^Bổ sung, điều chỉnh bộ tiêu chí/);
    expect(texts(first.lead)).toEqual(['Sở Nội vụ']);
    expect(texts(first.support)[0]).toBe('Văn phòng UBND tỉnh');
    expect(first.timeline.text).toBe('Hoàn thành trước ngày 01/11/2022');
    expect(texts(all[3].lead)).toEqual(['Các Sở, ban, ngành', 'UBND các huyện, thành phố']);
    expect(all[4].lead).toEqual([]);
    expect(all[7].timeline.text).toBe('Hoàn thành trước ngày 20/11/2022');
    expect(first.source).toMatchObject({ row: 37, line: 37 });
  });

  it('reads metadata without a document number', () => {
    expect(r.annex.meta).toMatchObject({ province: 'nam-dinh', docType: 'KH', planYear: 2022, layout: 'prose' });
    expect(r.annex.meta.docNumber).toBeUndefined();
    expect(r.annex.meta.docDate).toBeUndefined();
    expect(r.diagnostics.filter((d) => d.code.startsWith('header.'))).toHaveLength(0);
  });
});
