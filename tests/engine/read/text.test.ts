// The reader's fast path in front of cleanText must give exactly what cleanText gives.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../../engine/normalize/text.js';
import { clean } from '../../../engine/read/text.js';

describe('clean', () => {
  it('equals cleanText on every cell of every seed', () => {
    const dir = join(process.cwd(), 'seeds');
    let cells = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt'))) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n'))
        for (const cell of line.split('\t')) {
          cells++;
          expect(clean(cell)).toBe(cleanText(cell));
        }
    }
    expect(cells).toBeGreaterThan(1000);
  });

  it.each([
    ['  Sở Nội vụ  '],
    ['Sở  Nội vụ'],
    ['Sở\u00a0Nội vụ'],
    ['<b>Sở Nội vụ</b>'],
    ['Sở Tư pháp &amp; Sở Nội vụ'],
    ['Sô\u0309 Nô\u0323i vu\u0323'], // decomposed (NFD) Vietnamese
    ['Së Néi vô'], // TCVN3 bytes read as Latin-1
    ['Sôû Noäi vuï'], // VNI
    ['Quý I/2026'],
    ['Thường xuyên'],
    ['Tháng 6'],
    ['“Đẩy mạnh CCHC” – năm 2023…'],
    ['a\u200bb'],
    ['line one\nline two'],
    ['UBND'],
  ])('%j', (raw) => {
    expect(clean(raw)).toBe(cleanText(raw));
  });
});
