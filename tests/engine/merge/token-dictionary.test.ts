import { describe, expect, it } from 'vitest';
import { foldKey } from '../../../engine/normalize/text.js';
import { TokenDictionary, foldedFeatures } from '../../../engine/merge/similarity.js';
import { seedFiles } from '../normalize/seeds.js';

/** The dictionary's features of a folded text, as token texts in its order. */
function featuresOf(dict: TokenDictionary, folded: string): string[] {
  const at = dict.features(folded);
  const pool = dict.pool;
  return Array.from(pool.subarray(at + 1, at + 1 + pool[at]), (id) => dict.texts[id]);
}

describe('TokenDictionary', () => {
  it('gives the features foldedFeatures gives: phrases contracted as the pattern does, numbers and function words dropped', () => {
    const words = [
      ...'van ban quy pham phap luat can bo cong chuc vien chuc cai cach hanh chinh thu tuc'.split(' '),
      ...'dich vu truc tuyen nghe thong tin uy nhan dan hoi dong chuyen doi so'.split(' '),
      ...'va cac cua cho voi trong de la co 2023 01 12 kh ubnd cchc tthc a b x0 0x'.split(' '),
    ];
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const folded: string[] = [
      '',
      'a',
      '2023',
      'va',
      'dich vu cong truc tuyen',
      'dich vu cong truc',
      'cong chuc vien chuc',
    ];
    // Random runs of phrase words (overlapping and cut-off phrases), function words and numbers.
    for (let k = 0; k < 3000; k++)
      folded.push(
        Array.from({ length: 1 + Math.floor(rnd() * 14) }, () => words[Math.floor(rnd() * words.length)]).join(' '),
      );
    for (const f of seedFiles()) for (const line of f.text.split('\n').slice(0, 400)) folded.push(foldKey(line));
    // One dictionary for all: ids met before and ids new to it.
    const dict = new TokenDictionary();
    let phrases = 0;
    for (const text of folded) {
      const expected = foldedFeatures(text);
      expect(featuresOf(dict, text)).toEqual(expected);
      if (expected.some((t) => ['vbqppl', 'qppl', 'cbccvc', 'ccvc', 'dvctt', 'dvc'].includes(t))) phrases++;
    }
    expect(phrases).toBeGreaterThan(100);
    // The same text again gives the same ids.
    const again = new TokenDictionary();
    const a = again.features('cai cach hanh chinh 2026 so hoa');
    const b = again.features('so hoa cchc');
    expect([...again.pool.subarray(a + 1, a + 1 + again.pool[a])].sort()).toEqual(
      [...again.pool.subarray(b + 1, b + 1 + again.pool[b])].sort(),
    );
  });
});
