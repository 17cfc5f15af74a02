import { describe, expect, it } from 'vitest';
import { rowHeightPt, wrappedLines, wrappedLinesPair } from '../../templates/official-style.js';

/** The definition the one-pass count must keep: paragraphs at "\n", words between runs of /\s+/. */
function reference(text: string, widthChars: number): number {
  const perLine = Math.max(1, Math.floor((widthChars - 1) * 0.9));
  let lines = 0;
  for (const para of text.split('\n')) {
    let used = 0;
    let n = 1;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let len = word.length;
      if (used > 0 && used + 1 + len > perLine) {
        n++;
        used = 0;
      }
      while (len > perLine) {
        n++;
        len -= perLine;
      }
      used += (used > 0 ? 1 : 0) + len;
    }
    lines += n;
  }
  return Math.max(1, lines);
}

describe('wrapped lines of a report cell', () => {
  it('counts a line per paragraph, wraps at spaces and breaks a word longer than the line', () => {
    expect(wrappedLines('Sở Nội vụ', 45)).toBe(1);
    expect(wrappedLines('a\nb\n\nc', 45)).toBe(4);
    expect(wrappedLines('x'.repeat(30), 12)).toBe(4); // 9 characters a line: 9 + 9 + 9 + 3
    expect(wrappedLines('aaaa bbbb cccc', 6)).toBe(3);
    expect(wrappedLines('', 10)).toBe(1);
    expect(rowHeightPt(['a\nb', 'c'], [10, 10], 12)).toBe(Math.ceil(2 * 12 * 1.25 + 4));
  });

  it('agrees with splitting on /\\s+/ for every kind of space, long words and line breaks', () => {
    // Deterministic pseudo-random texts (a linear congruential sequence), so a failure names its input.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['a', 'bb', 'ư', 'Nhiệm', '\n', ' ', '  ', '\t', '\u00a0', '\u2003', '\u3000', '\ufeff', '\r'];
    pieces.push('x'.repeat(30), '\u200b', '\u180e', '\u0085', '\u2028', '\u202f', '\u000b');
    for (let k = 0; k < 3000; k++) {
      let text = '';
      for (let i = Math.floor(next() * 30); i > 0; i--) text += pieces[Math.floor(next() * pieces.length)];
      for (const width of [1, 2, 6, 10, 26, 45])
        expect(wrappedLines(text, width), JSON.stringify(text)).toBe(reference(text, width));
    }
    for (let c = 0; c < 0x10000; c++) {
      const text = `ab${String.fromCharCode(c)}cd ef`;
      expect(wrappedLines(text, 4), c.toString(16)).toBe(reference(text, 4));
    }
  });

  it('counts a text at two widths in one pass as at each width on its own', () => {
    let seed = 777;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['a', 'bb', 'ư', 'Nhiệm', '\n', ' ', '  ', '\t', '\u00a0', '\u3000', '\r', '😀', 'x'.repeat(30)];
    const pairs = [
      [45, 44],
      [44, 45],
      [26, 26],
      [1, 2],
      [6, 45],
    ];
    const out = [0, 0];
    for (let k = 0; k < 3000; k++) {
      let text = '';
      for (let i = Math.floor(next() * 40); i > 0; i--) text += pieces[Math.floor(next() * pieces.length)];
      for (const [a, b] of pairs) {
        wrappedLinesPair(text, a, b, out);
        expect(out, JSON.stringify([text, a, b])).toEqual([wrappedLines(text, a), wrappedLines(text, b)]);
      }
    }
    for (let c = 0; c < 0x10000; c++) {
      const text = `ab${String.fromCharCode(c)}cd ef gh`;
      wrappedLinesPair(text, 4, 5, out);
      expect(out, c.toString(16)).toEqual([wrappedLines(text, 4), wrappedLines(text, 5)]);
    }
  });
});
