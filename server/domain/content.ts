// Content identity of a submission: a hash of the normalised grids, so that the same table sent again
// (from the add-in, the Sheets add-on or as a file) is recognised as the same version.
import { createHash } from 'node:crypto';
import type { Grid } from '../../engine/index.js';

/**
 * SHA-256 of the grids without what does not change the content (trailing empty cells, blank rows,
 * empty sheets, NFC/whitespace noise), fed piece by piece (length-prefixed, so unambiguous) instead of
 * building and serialising a copy: this runs on every submission, duplicates included.
 */
export function contentHash(grids: Grid[]): string {
  const h = createHash('sha256');
  const put = (tag: string, text: string) => h.update(`${tag}${text.length}:${text}`);
  const norm = (t: string) => {
    // Most cells are plain ASCII/NFC already; skip the normalisers when they would change nothing.
    const trimmed = t.trim();
    return /[^\x20-\x7e]/.test(trimmed) ? trimmed.replace(/\r\n?/g, '\n').normalize('NFC').trim() : trimmed;
  };
  for (const g of grids) {
    const rows: { index: number; cells: [string, string | undefined][] }[] = [];
    for (const r of g.rows) {
      let last = -1;
      const cells: [string, string | undefined][] = r.cells.map((c, i) => {
        const text = norm(c.text);
        if (text !== '' || c.formula) last = i;
        return [text, c.formula || undefined];
      });
      if (last >= 0) rows.push({ index: r.index, cells: cells.slice(0, last + 1) });
    }
    if (!rows.length) continue;
    put('G', g.sheet.normalize('NFC'));
    put('K', g.kind);
    for (const m of [...(g.merges ?? [])].sort()) put('M', m);
    for (const r of rows) {
      put('R', String(r.index));
      for (const [text, formula] of r.cells) {
        put('C', text);
        if (formula) put('F', formula);
      }
    }
  }
  return h.digest('hex');
}

/** True when no grid has any non-blank cell. */
export function gridsEmpty(grids: Grid[]): boolean {
  return grids.every((g) => g.rows.every((r) => r.cells.every((c) => c.text.trim() === '' && !c.formula)));
}
