import { describe, expect, it } from 'vitest';
import {
  FeatureSpace,
  jaccardAtLeast,
  jaccardSorted,
  packSets,
  SimilarityIndex,
  similarPairs,
  similarityJoin,
  taskFeatures,
  taskTokens,
} from '../../../engine/merge/similarity.js';

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Random sets over a skewed vocabulary, so that many pairs are near the threshold. */
function randomSets(n: number, seed: number): Int32Array[] {
  const r = rng(seed);
  const base = Array.from({ length: 12 }, () => Array.from({ length: 8 }, () => Math.floor(r() * 40)));
  return Array.from({ length: n }, () => {
    const b = base[Math.floor(r() * base.length)];
    const xs = b.filter(() => r() < 0.8);
    for (let k = Math.floor(r() * 5); k > 0; k--) xs.push(Math.floor(r() * 60));
    return Int32Array.from(new Set(xs)).sort();
  });
}

function brute(sets: Int32Array[], t: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < sets.length; i++)
    for (let j = i + 1; j < sets.length; j++)
      if (sets[i].length && sets[j].length && jaccardSorted(sets[i], sets[j]) >= t - 1e-9) out.push(`${i}-${j}`);
  return out.sort();
}

describe('similarity', () => {
  it('folds wording: abbreviations and full phrases give the same tokens', () => {
    expect(taskTokens('Kế hoạch tuyên truyền CCHC năm 2026')).toEqual(
      taskTokens('kế hoạch tuyên truyền cải cách hành chính năm 2027'),
    );
    expect(taskFeatures('Rà soát TTHC và VBQPPL')).toEqual(['ra', 'soat', 'tthc', 'vbqppl']);
  });

  it('jaccardAtLeast is the Jaccard similarity when it reaches the threshold, else -1', () => {
    const sets = randomSets(300, 5);
    let reached = 0;
    for (const t of [0.3, 0.5, 0.85, 1])
      for (let i = 0; i < sets.length; i++)
        for (let j = i; j < sets.length; j += 7) {
          const sim = sets[i].length && sets[j].length ? jaccardSorted(sets[i], sets[j]) : 0;
          const expected = sets[i].length && sets[j].length && sim >= t - 1e-9 ? sim : -1;
          expect(jaccardAtLeast(sets[i], sets[j], t)).toBe(expected);
          if (expected > 0 && i !== j) reached++;
        }
    expect(reached).toBeGreaterThan(100);
  });

  for (const t of [0.4, 0.5, 0.7]) {
    it(`similarityJoin finds exactly the pairs with Jaccard ≥ ${t}`, () => {
      const sets = randomSets(400, 7 + t * 10);
      const join = similarityJoin(sets, t);
      const found: string[] = [];
      join.forEach((list, i) => {
        for (let k = 0; k < list.length; k += 2) {
          const j = list[k];
          expect(list[k + 1]).toBeCloseTo(jaccardSorted(sets[i], sets[j]), 12);
          if (i < j) found.push(`${i}-${j}`);
        }
      });
      const expected = brute(sets, t);
      expect(expected.length).toBeGreaterThan(50);
      expect(found.sort()).toEqual(expected);
      // The same sets with ids near and past 65,535 (the pair table packs two ids below it in one integer).
      for (const spread of [(f: number) => f + 65_475, (f: number) => f * 2_000]) {
        const moved: string[] = [];
        similarityJoin(
          sets.map((s) => s.map(spread)),
          t,
        ).forEach((list, i) => {
          for (let k = 0; k < list.length; k += 2) if (i < list[k]) moved.push(`${i}-${list[k]}`);
        });
        expect(moved.sort()).toEqual(expected);
      }
    });

    it(`SimilarityIndex.query returns every indexed set with Jaccard ≥ ${t}, best first`, () => {
      const sets = randomSets(300, 3 + t * 10);
      const index = new SimilarityIndex<number>(t);
      sets.slice(0, 200).forEach((s, i) => index.add(s, i));
      for (let q = 200; q < 300; q++) {
        const hits = index.query(sets[q]);
        const expected = sets
          .slice(0, 200)
          .map((s, i) => ({ i, sim: jaccardSorted(sets[q], s) }))
          .filter((x) => x.sim >= t - 1e-9);
        expect(hits.map((h) => h.value).sort((a, b) => a - b)).toEqual(expected.map((x) => x.i));
        for (let k = 1; k < hits.length; k++) expect(hits[k - 1].similarity).toBeGreaterThanOrEqual(hits[k].similarity);
      }
    });
  }

  it('similarityJoin finds pairs of tiny sets, repeated sets and low thresholds exactly', () => {
    const r = rng(11);
    // Sizes 1 to 4 over a small vocabulary: pairs that share one feature only, and identical sets.
    const sets = Array.from({ length: 300 }, () => {
      const xs = Array.from({ length: 1 + Math.floor(r() * 4) }, () => Math.floor(r() * 12));
      return Int32Array.from(new Set(xs)).sort();
    });
    for (const t of [0.2, 0.34, 0.5, 1]) {
      const found: string[] = [];
      similarityJoin(sets, t).forEach((list, i) => {
        for (let k = 0; k < list.length; k += 2) if (i < list[k]) found.push(`${i}-${list[k]}`);
      });
      expect(found.sort()).toEqual(brute(sets, t));
    }
  });

  it('similarPairs gives a sink every pair, and verifies no candidate the sink calls settled', () => {
    const sets = randomSets(400, 9);
    for (const t of [0.3, 0.5, 0.8]) {
      const columns = similarPairs(packSets(sets), t);
      const expected: string[] = [];
      for (let k = 0; k < columns.count; k++) expected.push(`${columns.x[k]}-${columns.y[k]}-${columns.sim[k]}`);
      // A sink that settles nothing gets the same pairs, and the bounds it is given hold each pair's similarity.
      const got: string[] = [];
      const bounds = new Map<string, [number, number]>();
      const none = similarPairs(packSets(sets), t, {
        settled: (x, y, least, most) => {
          bounds.set(`${x}-${y}`, [least, most]);
          return false;
        },
        add: (x, y, sim) => got.push(`${x}-${y}-${sim}`),
      });
      expect(none.count).toBe(0);
      expect(got).toEqual(expected);
      for (let k = 0; k < columns.count; k++) {
        const [least, most] = bounds.get(`${columns.x[k]}-${columns.y[k]}`)!;
        expect(columns.sim[k]).toBeGreaterThanOrEqual(least);
        expect(columns.sim[k]).toBeLessThanOrEqual(most);
      }
      // A sink that settles every candidate of set 0 gets no pair of it.
      const some: string[] = [];
      similarPairs(packSets(sets), t, {
        settled: (x, y) => x === 0 || y === 0,
        add: (x, y, sim) => some.push(`${x}-${y}-${sim}`),
      });
      expect(some).toEqual(expected.filter((p) => !/^0-|^\d+-0-/.test(p)));
    }
  });

  it('orders features rarest first', () => {
    const space = new FeatureSpace();
    space.count(['a', 'b']);
    space.count(['a', 'c']);
    space.count(['a', 'b']);
    space.freeze();
    expect([...space.encode(['a', 'b', 'c'])]).toEqual([0, 1, 2]); // c (1) < b (2) < a (3)
    expect([...space.encode(['a'])]).toEqual([2]);
  });
});
