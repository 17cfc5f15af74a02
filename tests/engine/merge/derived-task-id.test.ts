// derivedTaskId runs without BigInt (the pane's EdgeHTML has none); ids stored before must not change.
import { describe, expect, it } from 'vitest';
import { derivedTaskId } from '../../../engine/merge/task-id.js';

/** The reference: FNV-1a 64-bit with BigInt, as ids were first derived. */
function reference(seed: string): string {
  let h = BigInt('0xcbf29ce484222325');
  const prime = BigInt('0x100000001b3');
  const mask = (BigInt(1) << BigInt(64)) - BigInt(1);
  for (let i = 0; i < seed.length; i++) {
    h ^= BigInt(seed.charCodeAt(i));
    h = (h * prime) & mask;
  }
  const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < 12; i++) {
    s += alphabet[Number(h & BigInt(31))];
    h >>= BigInt(5);
  }
  return `NV-${s}`;
}

describe('derivedTaskId', () => {
  it('equals the 64-bit FNV-1a reference on Vietnamese texts, empty text and random UTF-16', () => {
    const texts = ['', 'a', 'Rà soát, đánh giá thủ tục hành chính', 'Sở Tư pháp|I|1', '𝔘nicode ☃ ǅ', 'x'.repeat(1000)];
    let seed = 7;
    for (let n = 0; n < 300; n++) {
      let t = '';
      const len = n % 40;
      for (let i = 0; i < len; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        t += String.fromCharCode(seed % 65536);
      }
      texts.push(t);
    }
    for (const t of texts) expect(derivedTaskId(t)).toBe(reference(t));
  });
});
