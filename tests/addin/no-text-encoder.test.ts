// Excel 2019 on Windows runs the pane in EdgeHTML, which has no TextEncoder: what the pane measures with it must
// give the same answers without it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { utf8Length } from '../../addin/excel/read.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('without TextEncoder', () => {
  it('counts the UTF-8 bytes of a chunk as Node encodes them, surrogate pairs and lone halves included', () => {
    const pieces = ['a', 'Sở', 'Nhiệm vụ', '€', '😀', '\ud800', '\udc00', '"', '\n', 'ǅ', '한'];
    let seed = 3;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let k = 0; k < 2000; k++) {
      let text = '';
      for (let i = Math.floor(next() * 20); i > 0; i--) text += pieces[Math.floor(next() * pieces.length)];
      expect(utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });

  it('counts wrapped lines of a report cell the same way', async () => {
    const withEncoder = await import('../../templates/official-style.js');
    vi.resetModules();
    vi.stubGlobal('TextEncoder', undefined);
    const without = await import('../../templates/official-style.js');
    expect(without).not.toBe(withEncoder);
    for (const text of [
      'Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành và UBND cấp xã',
      'a\nb c d e f g',
      '𝔸 '.repeat(30),
    ])
      for (const width of [6, 12, 26, 45]) {
        expect(without.wrappedLines(text, width)).toBe(withEncoder.wrappedLines(text, width));
        const a = [0, 0];
        const b = [0, 0];
        without.wrappedLinesPair(text, width, 44, a);
        withEncoder.wrappedLinesPair(text, width, 44, b);
        expect(a).toEqual(b);
      }
  });
});
