// Content identity of a submission: a hash of the normalised grids, so that the same table sent again
// (from the add-in, the Sheets add-on or as a file) is recognised as the same version.
import { createHash } from 'node:crypto';
import type { Annex, Grid, Report } from '../../engine/index.js';

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

/** What an annex says, without where it was written. */
interface AnnexContent {
  meta: Annex['meta'];
  sections: Pick<Annex['sections'][number], 'numeral' | 'title' | 'tasks' | 'part'>[];
}

const agencyTexts = (list: readonly { text: string }[] | undefined) => (list ?? []).map((a) => a.text);

/** The plan facts an upload can state (issuer, number, date, year): a CSV states none, an xlsx or Word export all. */
const META_FIELDS = ['issuer', 'docType', 'docNumber', 'docDate', 'planYear'] as const;

/**
 * SHA-256 of the annex's table as the engine read it (sections, tasks, products, agencies as written, timelines,
 * notes), leaving out locations, task ids, detected columns and raw cells: the same table from any file format
 * hashes the same.
 */
export function annexHash(annex: Pick<AnnexContent, 'sections'>): string {
  const content = annex.sections.map((s) => [
    s.numeral,
    s.title,
    s.part ? [s.part.numeral, s.part.title] : null,
    s.tasks.map((t) => [
      t.number,
      t.task,
      t.products.map((p) => [
        p.number ?? null,
        p.text,
        agencyTexts(p.lead),
        agencyTexts(p.support),
        p.timeline?.text ?? null,
      ]),
      agencyTexts(t.lead),
      agencyTexts(t.support),
      agencyTexts(t.monitor),
      t.timeline?.text ?? null,
      t.approval ?? null,
      t.note ?? null,
      t.extra ? Object.entries(t.extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null,
    ]),
  ]);
  return createHash('sha256').update(JSON.stringify(content).normalize('NFC')).digest('hex');
}

/**
 * True when `next` says nothing that `before` does not: the same table (annexHash) and no plan fact that differs
 * from, or was missing in, the stored version. Two uploads that differ only in form (an xlsx re-saved by Excel or
 * LibreOffice, a CSV with or without BOM, in UTF-8, UTF-16 or Windows-1258, the same annex exported and read back)
 * are one version; a CSV of the same table after an xlsx with the plan's number is no change either, since a CSV
 * cannot carry the number.
 */
export function annexUnchanged(
  before: AnnexContent,
  next: AnnexContent,
  nextHash = annexHash(next),
  beforeHash = annexHash(before),
): boolean {
  if (beforeHash !== nextHash) return false;
  return META_FIELDS.every((k) => next.meta[k] === undefined || next.meta[k] === before.meta[k]);
}

/** The error and warning codes of a report, as one comparable string. */
function problemCodes(r: Pick<Report, 'diagnostics'>): string {
  return r.diagnostics
    .filter((d) => d.severity !== 'info')
    .map((d) => d.code)
    .sort()
    .join(' ');
}

/**
 * A new upload is "no change" when it reads as the stored annex (other bytes: a re-saved xlsx, a CSV with a BOM
 * or in another encoding, an export read back) and the check says the same. A fix the officer made outside the
 * table's words (an HTML tag removed from a line) changes what the check says: that is a new version.
 */
export function sameAnnex(
  stored: Report,
  next: Report,
  nextHash = annexHash(next),
  storedHash = annexHash(stored),
): boolean {
  return annexUnchanged(stored, next, nextHash, storedHash) && problemCodes(stored) === problemCodes(next);
}
