// Agency cells as refs: plain unknown refs without a directory (list splitting is normalize's).
import { describe, expect, it } from 'vitest';
import { agencyRefs, unionRefs } from '../../../engine/read/agencies.js';

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
      [
        { text: 'sở nội vụ', kind: 'unknown' },
        { text: 'Sở Tư pháp', kind: 'unknown' },
      ],
    ]);
    expect(u.map((x) => x.text)).toEqual(['Sở Nội vụ', 'Sở Tư pháp']);
  });
});
