// The prose-steps reader on a plan written as numbered steps, and reading with an agency directory.
import { describe, expect, it } from 'vitest';
import { AgencyDirectory } from '../../../engine/normalize/agency.js';
import { readAnnex, textToGrid } from '../../../engine/read/index.js';

const plan = [
  'UBND TỈNH KHÁNH HÒA',
  'Số: 12/KH-UBND',
  'Khánh Hòa, ngày 05 tháng 01 năm 2026',
  'KẾ HOẠCH',
  'Kiểm tra công tác cải cách hành chính năm 2026',
  '',
  'I. MỤC ĐÍCH',
  '1. Mục đích',
  '- Đánh giá kết quả.',
  'II. NỘI DUNG',
  '1. Kiểm tra tại các sở',
  '1.1. Xây dựng kế hoạch kiểm tra',
  '- Đơn vị chủ trì: Sở Nội vụ.',
  '- Thời gian: Hoàn thành trước ngày 31/01/2026.',
  '1.2. Tổ chức kiểm tra',
  'Kiểm tra theo kế hoạch được duyệt.',
  '- Đơn vị thực hiện: Sở Nội vụ.',
  '- Đơn vị phối hợp: Văn phòng UBND tỉnh, Sở Tư pháp.',
  '2. Tổng hợp báo cáo',
  '- Đơn vị chủ trì: Sở Nội vụ.',
  '- Thời gian: Quý IV/2026.',
  'III. TỔ CHỨC THỰC HIỆN',
  '1. Sở Nội vụ',
  '- Theo dõi, đôn đốc.',
].join('\n');

describe('prose steps', () => {
  const r = readAnnex([textToGrid(plan, 'kh.txt')]);

  it('reads steps of the part that states who and when, one section per top-level step', () => {
    expect(r.annex.meta.layout).toBe('prose');
    expect(r.annex.sections.map((s) => [s.numeral, s.title, s.tasks.map((t) => t.number)])).toEqual([
      ['1', 'Kiểm tra tại các sở', ['1.1', '1.2']],
      ['2', 'Tổng hợp báo cáo', ['2']],
    ]);
    const [s1, s2] = r.annex.sections;
    expect(s1.tasks[0]).toMatchObject({
      task: 'Xây dựng kế hoạch kiểm tra',
      rows: [12, 13, 14],
      source: { row: 12, line: 12 },
    });
    expect(s1.tasks[0].lead.map((x) => x.text)).toEqual(['Sở Nội vụ']);
    expect(s1.tasks[0].timeline.text).toBe('Hoàn thành trước ngày 31/01/2026');
    expect(s1.tasks[1].support.map((x) => x.text)).toEqual(['Văn phòng UBND tỉnh', 'Sở Tư pháp']);
    expect(s1.tasks[1].note).toBe('Kiểm tra theo kế hoạch được duyệt.');
    expect(s2.tasks[0].timeline.text).toBe('Quý IV/2026');
  });

  it('reads metadata and gives roles to all lines', () => {
    expect(r.annex.meta).toMatchObject({
      province: 'khanh-hoa',
      docNumber: '12/KH-UBND',
      docDate: '2026-01-05',
      planYear: 2026,
    });
    expect(r.rowRoles).toHaveLength(24);
    expect(r.rowRoles[0].role).toBe('preamble');
    expect(r.rowRoles[10]).toMatchObject({ row: 11, role: 'section', section: 0 });
    expect(r.rowRoles[12]).toMatchObject({ row: 13, role: 'task', section: 0, task: 0 });
    expect(r.rowRoles[23].role).toBe('other');
  });
});

describe('with an agency directory', () => {
  it('resolves agency cells through the directory at the document province and date', () => {
    const directory = AgencyDirectory.fromData([
      {
        province: 'khanh-hoa',
        provinceName: 'Khánh Hòa',
        agencies: [
          { id: 'kh-snv', name: 'Sở Nội vụ' },
          { id: 'kh-stp', name: 'Sở Tư pháp' },
        ],
      },
    ]);
    const r = readAnnex([textToGrid(plan, 'kh.txt')], { directory });
    const lead = r.annex.sections[0].tasks[0].lead;
    expect(lead).toHaveLength(1);
    expect(lead[0]).toMatchObject({ text: 'Sở Nội vụ', id: 'kh-snv', name: 'Sở Nội vụ' });
    expect(lead[0].kind).not.toBe('unknown');
  });
});
