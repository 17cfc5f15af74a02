// The engine's patterns carry no lookbehind (ES2017 hosts cannot parse it: docs/ADDIN.md). Each former
// lookbehind is a guard group `(^|[^…])` now; these tests check, on the seeds' text and on random text built
// from the pieces that matter, that every such pattern finds and replaces exactly what its lookbehind twin
// does. The twin is made from the real pattern, so a change to either side is compared again.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchAllGuarded, replaceGuarded } from '../../../engine/normalize/guard.js';
import { RE_DM, RE_YEAR, TIMELINE_FILLER } from '../../../engine/normalize/timeline.js';
import { ABBREVIATION_RUN } from '../../../engine/normalize/text.js';
import { PHRASE_RE } from '../../../engine/merge/similarity.js';
import { removeFromList, SEPARATOR_AFTER, separatorBefore } from '../../../engine/rules/edits.js';

/** The same pattern with its leading guard group `(^|[^X])` turned back into the lookbehind `(?<![X])`. */
function lookbehindTwin(re: RegExp): RegExp {
  const m = /^\(\^\|\[\^(.*?)\]\)/.exec(re.source);
  if (!m) throw new Error(`no guard group at the start of ${re.source}`);
  return new RegExp(`(?<![${m[1]}])${re.source.slice(m[0].length)}`, re.flags);
}

const PIECES = [
  'và',
  'Và',
  'vàng',
  'Sở A',
  'TT',
  '&',
  'TT&TT',
  'LĐ-TB&XH',
  'XH',
  '-',
  '/',
  '.',
  ',',
  ';',
  ' ',
  ' ',
  '  ',
  '\n',
  '1',
  '12',
  '3/4',
  '15/02',
  '2023',
  '2024',
  '2023-2025',
  'năm',
  'quý',
  'trong',
  'từ',
  'đến',
  'trước',
  'sau',
  'hoàn thành',
  'thường xuyên',
  'cai cach hanh chinh',
  'dich vu cong',
  'dich vu cong truc tuyen',
  'uy ban nhan dan',
  'x',
  'b',
  'ubnd',
  'a1',
  '0',
  'Đ',
  'đ',
];

/** Seeded random text (mulberry32), so that a failure is repeatable. */
function texts(count: number, seed = 20261205): string[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 12);
    for (let k = 0; k < n; k++) s += PIECES[Math.floor(rnd() * PIECES.length)];
    out.push(s);
  }
  return out;
}

const SEED_LINES = readdirSync('seeds')
  .filter((f) => f.endsWith('.txt'))
  .flatMap((f) => readFileSync(`seeds/${f}`, 'utf8').split('\n'));
const SAMPLES = [...texts(4000), ...SEED_LINES, ...SEED_LINES.map((l) => l.toLowerCase())];

const found = (it: Iterable<RegExpMatchArray>) => [...it].map((m) => [m.index, ...m]);

describe('patterns without lookbehind match what their lookbehind twins match', () => {
  for (const [name, re] of Object.entries({ RE_DM, RE_YEAR, TIMELINE_FILLER, ABBREVIATION_RUN, PHRASE_RE })) {
    it(`${name}: the same matches and the same replacements on ${SAMPLES.length} texts`, () => {
      const twin = lookbehindTwin(re);
      let matched = 0;
      for (const s of SAMPLES) {
        const mine = found(matchAllGuarded(s, re));
        expect(mine, s).toEqual(found(s.matchAll(twin)));
        expect(
          replaceGuarded(s, re, (m) => `<${m}>`),
          s,
        ).toBe(s.replace(twin, (m) => `<${m}>`));
        matched += mine.length;
      }
      // The samples reach the pattern: a comparison of nothing with nothing proves nothing.
      expect(matched).toBeGreaterThan(50);
    });
  }

  it('the twin is really different: without the guard, a pattern finds matches inside words or numbers', () => {
    expect(found(matchAllGuarded('112/03', RE_DM))).toEqual([]);
    expect(found('112/03'.matchAll(new RegExp(RE_DM.source.replace(/^\(\^\|\[\^.*?\]\)/, '()'), 'gu')))).not.toEqual(
      [],
    );
  });
});

describe('lists: a "và" counts only as a word of its own', () => {
  // The former patterns, kept here as the reference the rewrite is held to.
  const OLD_BEFORE = /\s*(?:[,;]|(?<!\p{L})và(?!\p{L}))\s*$/u;
  const OLD_AFTER = /^\s*(?:[,;]|(?<!\p{L})và(?!\p{L}))\s*/u;
  const OLD_SPLIT = /\s*(?:[,;\n]|(?<!\p{L})và(?!\p{L}))\s*/u;
  const at = (m: RegExpExecArray | null) => (m ? [m.index, m[0]] : null);

  it(`finds the separator before and after an item as the lookbehind patterns did, on ${SAMPLES.length} texts`, () => {
    let found = 0;
    for (const s of SAMPLES) {
      expect(at(separatorBefore(s)), s).toEqual(at(OLD_BEFORE.exec(s)));
      expect(at(SEPARATOR_AFTER.exec(s)), s).toEqual(at(OLD_AFTER.exec(s)));
      if (separatorBefore(s)?.[0].includes('và')) found++;
    }
    expect(found).toBeGreaterThan(20);
    expect(separatorBefore('Sở Tư phápvà ')).toBeNull();
    expect(separatorBefore('Sở Tư pháp và ')?.[0]).toBe(' và ');
  });

  it('splits a list without a directory where the lookbehind pattern did', () => {
    for (const s of SAMPLES) {
      const old = s
        .split(OLD_SPLIT)
        .map((x) => x.trim())
        .filter(Boolean);
      const mine = s
        .replace(/(^|[^\p{L}])và(?!\p{L})/gu, '$1\n')
        .split(/\s*[,;\n]\s*/u)
        .map((x) => x.trim())
        .filter(Boolean);
      expect(mine, s).toEqual(old);
    }
    expect(removeFromList('Sở Tư pháp, Sở Tài chính và Sở Nội vụ', 'Sở Tài chính')).toBe('Sở Tư pháp và Sở Nội vụ');
  });
});
