import { describe, expect, it } from 'vitest';
import { edit, removeFromList, replaceOnce } from '../../../engine/rules/edits.js';

describe('fix edits', () => {
  it('replaceOnce replaces one free-standing occurrence and refuses ambiguous or glued ones', () => {
    expect(replaceOnce('Văn phòng UBND tỉnh, Sở TT&TT', 'Sở TT&TT', 'Sở Khoa học và Công nghệ')).toBe(
      'Văn phòng UBND tỉnh, Sở Khoa học và Công nghệ',
    );
    expect(replaceOnce('Sở Y tế, Sở Y tế', 'Sở Y tế', 'X')).toBeNull();
    expect(replaceOnce('Sở Y tếx', 'Sở Y tế', 'X')).toBeNull();
    expect(replaceOnce('Không có', 'Sở Y tế', 'X')).toBeNull();
  });

  it('removeFromList removes an item and the separator next to it', () => {
    expect(removeFromList('Sở Nội vụ, Sở Tư pháp, Sở Tài chính', 'Sở Tư pháp')).toBe('Sở Nội vụ, Sở Tài chính');
    expect(removeFromList('Sở Nội vụ, Sở Tư pháp', 'Sở Nội vụ')).toBe('Sở Tư pháp');
    expect(removeFromList('Sở Nội vụ, Sở Tư pháp', 'Sở Tư pháp')).toBe('Sở Nội vụ');
    expect(removeFromList('Sở Nội vụ, Sở Tư pháp và Sở Tài chính', 'Sở Tư pháp')).toBe('Sở Nội vụ và Sở Tài chính');
    expect(removeFromList('Sở Nội vụ và Sở Tư pháp', 'Sở Tư pháp')).toBe('Sở Nội vụ');
    expect(removeFromList('Sở Tư pháp', 'Sở Tư pháp')).toBe('');
    // Only after the given position (the support part of a "Phân công" cell).
    const text = 'Sở Nội vụ chủ trì, phối hợp với Sở Nội vụ, Sở Tài chính';
    expect(removeFromList(text, 'Sở Nội vụ', text.indexOf('chủ trì'))).toBe(
      'Sở Nội vụ chủ trì, phối hợp với Sở Tài chính',
    );
  });

  it('edit() carries the A1 address', () => {
    expect(edit('S', 12, 28, 'a', 'b')).toEqual({ sheet: 'S', row: 12, column: 28, cell: 'AB12', from: 'a', to: 'b' });
  });
});
