import { describe, expect, it } from 'vitest';
import { textWidthPt, widestWordPt, wrappedLinesPt } from '../../templates/text-width.js';

describe('Times text measurement', () => {
  it('measures Vietnamese letters by their base letter, bold wider than regular', () => {
    expect(textWidthPt('Sở', 10)).toBeCloseTo(textWidthPt('So', 10) + 0.6, 5);
    expect(textWidthPt('ệ', 12)).toBe(textWidthPt('e', 12));
    expect(textWidthPt('STT', 11, true)).toBeGreaterThan(textWidthPt('STT', 11));
    expect(textWidthPt('mmm', 10)).toBeGreaterThan(textWidthPt('iii', 10) * 2);
  });

  it('wraps at spaces, starts a line at each newline and breaks a word longer than the line', () => {
    const one = textWidthPt('Sở Nội vụ', 11);
    expect(wrappedLinesPt('Sở Nội vụ', one + 1, 11)).toBe(1);
    expect(wrappedLinesPt('Sở Nội vụ', one - 1, 11)).toBe(2);
    expect(wrappedLinesPt('a\nb\nc', 100, 11)).toBe(3);
    expect(wrappedLinesPt('x'.repeat(30), textWidthPt('x'.repeat(10), 11), 11)).toBe(3);
    expect(widestWordPt('Các cơ quan, đơn vị', 11)).toBe(textWidthPt('quan,', 11));
  });
});
