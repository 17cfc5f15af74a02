// Plain list splitting of agency cells, used when no directory is given.
import { describe, expect, it } from 'vitest';
import { agencyRefs, splitAgencyText, unionRefs } from '../../../engine/read/agencies.js';

describe('splitAgencyText', () => {
  it.each([
    ['Sở Tư pháp', ['Sở Tư pháp']],
    ['Các Sở, ban, ngành', ['Các Sở, ban, ngành']],
    ['Các Sở, ban, ngành, UBND cấp huyện, cấp xã', ['Các Sở, ban, ngành', 'UBND cấp huyện, cấp xã']],
    ['Văn phòng UBND tỉnh, Sở Tư pháp', ['Văn phòng UBND tỉnh', 'Sở Tư pháp']],
    ['Sở Nội vụ và Sở Thông tin và Truyền thông', ['Sở Nội vụ', 'Sở Thông tin và Truyền thông']],
    ['Sở Kế hoạch và Đầu tư', ['Sở Kế hoạch và Đầu tư']],
    ['Sở Tài chính và các cơ quan liên quan', ['Sở Tài chính', 'các cơ quan liên quan']],
    ['cơ quan, đơn vị liên quan', ['cơ quan, đơn vị liên quan']],
    ['Các sở, ban, ngành; UBND các cấp', ['Các sở, ban, ngành', 'UBND các cấp']],
    [
      'VP UBND tỉnh, các sở: Tư pháp, Tài chính, Kế hoạch & ĐT',
      ['VP UBND tỉnh', 'các sở: Tư pháp, Tài chính, Kế hoạch & ĐT'],
    ],
    ['- Sở Tài chính chủ trì tham mưu\n- Các sở, ban ngành phối hợp', ['Sở Tài chính chủ trì tham mưu', 'Các sở, ban ngành phối hợp']],
    ['Các Sở, ban, ngành, UBND cấp huyện,', ['Các Sở, ban, ngành', 'UBND cấp huyện']],
    ['', []],
  ])('%j', (text, expected) => {
    expect(splitAgencyText(text)).toEqual(expected);
  });
});

describe('agencyRefs', () => {
  it('gives unknown refs without a directory, each call its own objects', () => {
    const a = agencyRefs('Sở Nội vụ, Sở Tư pháp', { at: {} });
    expect(a).toEqual([
      { text: 'Sở Nội vụ', kind: 'unknown' },
      { text: 'Sở Tư pháp', kind: 'unknown' },
    ]);
    const b = agencyRefs('Sở Nội vụ, Sở Tư pháp', { at: {} });
    expect(b).not.toBe(a);
    b[0].text = 'x';
    expect(agencyRefs('Sở Nội vụ, Sở Tư pháp', { at: {} })[0].text).toBe('Sở Nội vụ');
  });

  it('unions product agencies without duplicates', () => {
    const u = unionRefs([
      [{ text: 'Sở Nội vụ', kind: 'unknown' }],
      [{ text: 'sở nội vụ', kind: 'unknown' }, { text: 'Sở Tư pháp', kind: 'unknown' }],
    ]);
    expect(u.map((x) => x.text)).toEqual(['Sở Nội vụ', 'Sở Tư pháp']);
  });
});
