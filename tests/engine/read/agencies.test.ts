// Agency cells as refs: plain unknown refs without a directory (list splitting is normalize's).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDirectory } from '../../../data/index.js';
import type { AgencyRef, Annex } from '../../../engine/model.js';
import { agencyRefs, unionRefs } from '../../../engine/read/agencies.js';
import { readAnnex, textToGrid } from '../../../engine/read/index.js';

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

describe('shared agency refs (ReadOptions.sharedAgencyRefs)', () => {
  const seeds = join(process.cwd(), 'seeds');
  const names = readdirSync(seeds).filter((f) => f.endsWith('.txt'));
  const read = (name: string, sharedAgencyRefs: boolean) =>
    readAnnex([textToGrid(readFileSync(join(seeds, name), 'utf8'), name)], {
      directory: defaultDirectory(),
      agencySuggestions: false,
      sharedAgencyRefs,
    }).annex;
  const lists = (annex: Annex) =>
    annex.sections.flatMap((s) =>
      s.tasks.flatMap((t) => [t.lead, t.support, ...t.products.flatMap((p) => [p.lead, p.support])]),
    );

  it('reads every seed to the same annex as copies do', () => {
    for (const name of names) expect(read(name, true)).toEqual(read(name, false));
  });

  it('gives cells with the same text one list, in one read and the next', () => {
    const first = lists(read(names[0], true));
    const again = lists(read(names[0], true));
    const byText = new Map<string, AgencyRef[]>();
    let shared = 0;
    for (const list of [...first, ...again]) {
      if (!list.length) continue;
      const key = JSON.stringify(list);
      const seen = byText.get(key);
      if (seen && seen === list) shared++;
      else if (!seen) byText.set(key, list);
    }
    expect(shared).toBeGreaterThan(first.filter((l) => l.length).length);
    const copies = lists(read(names[0], false)).filter((l) => l.length);
    expect(new Set(copies.flat()).size).toBe(copies.flat().length);
  });

  it('returns the directory list itself only when asked', () => {
    const dir = defaultDirectory();
    const at = { province: 'nam-dinh', date: '2023-01-01' };
    const a = dir.resolve('Sở Nội vụ; Sở Tư pháp', at, { suggestions: false, shared: true });
    expect(dir.resolve('Sở Nội vụ; Sở Tư pháp', at, { suggestions: false, shared: true })).toBe(a);
    const copy = dir.resolve('Sở Nội vụ; Sở Tư pháp', at, { suggestions: false });
    expect(copy).toEqual(a);
    expect(copy[0]).not.toBe(a[0]);
  });
});
