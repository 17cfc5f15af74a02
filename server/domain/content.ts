// Content identity of a submission: a hash of the normalised grids, so that the same table sent again
// (from the add-in, the Sheets add-on or as a file) is recognised as the same version.
import { createHash } from 'node:crypto';
import type { Annex, Grid, GridRow, Report } from '../../engine/index.js';

const piece = (tag: string, text: string) => `${tag}${text.length}:${text}`;

function norm(t: string): string {
  // Most cells are plain ASCII/NFC already; skip the normalisers when they would change nothing.
  const trimmed = t.trim();
  return /[^\x20-\x7e]/.test(trimmed) ? trimmed.replace(/\r\n?/g, '\n').normalize('NFC').trim() : trimmed;
}

const texts: string[] = [];

/** A row's part of the content hash: '' for a row with nothing in it. */
function rowPiece(r: GridRow): string {
  let last = -1;
  texts.length = 0;
  for (let i = 0; i < r.cells.length; i++) {
    const c = r.cells[i];
    const text = norm(c.text);
    texts.push(text);
    if (text !== '' || c.formula) last = i;
  }
  if (last < 0) return '';
  let out = piece('R', String(r.index));
  for (let i = 0; i <= last; i++) {
    out += piece('C', texts[i]);
    const formula = r.cells[i].formula;
    if (formula) out += piece('F', formula);
  }
  return out;
}

/** A grid's heading in the content hash (before its rows, and only when it has any). */
function gridHeading(g: Grid): string {
  let out = piece('G', g.sheet.normalize('NFC')) + piece('K', g.kind);
  for (const m of [...(g.merges ?? [])].sort()) out += piece('M', m);
  return out;
}

/**
 * SHA-256 of the grids without what does not change the content (trailing empty cells, blank rows,
 * empty sheets, NFC/whitespace noise), fed piece by piece (length-prefixed, so unambiguous) instead of
 * building and serialising a copy: this runs on every submission, duplicates included. The pieces are joined
 * into text that goes to the hash some 64 K characters at a time: one update per cell cost more than the hashing.
 *
 * `kept`: each row's piece as UTF-8, by row object, for rows that are never changed once made (a parse thread's
 * submission rows, which the next body's parse shares: server/parse/body-delta.ts). The hash is of the same bytes:
 * the UTF-8 of joined text is the pieces' UTF-8 joined, since every piece begins with an ASCII tag (no surrogate
 * pair is split between two pieces).
 */
export function contentHash(grids: Grid[], kept?: WeakMap<GridRow, Buffer>): string {
  const h = createHash('sha256');
  if (kept) {
    const parts: Buffer[] = [];
    for (const g of grids) {
      const at = parts.length;
      for (const r of g.rows) {
        let b = kept.get(r);
        if (b === undefined) kept.set(r, (b = Buffer.from(rowPiece(r))));
        if (b.length) parts.push(b);
      }
      if (parts.length > at) parts.splice(at, 0, Buffer.from(gridHeading(g)));
    }
    h.update(Buffer.concat(parts));
    return h.digest('hex');
  }
  let out = '';
  for (const g of grids) {
    let rows = '';
    for (const r of g.rows) rows += rowPiece(r);
    // A grid's heading goes before its rows, and only when it has any.
    if (!rows) continue;
    out += gridHeading(g) + rows;
    if (out.length > 65536) {
      h.update(out);
      out = '';
    }
  }
  h.update(out);
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
 * One task's part of the annex hash, NFC, as UTF-8: kept by task object (the engine's tasks are not changed once
 * made). Encoding the whole text of a 372-row annex to UTF-8 on every submission cost about as much as hashing it.
 */
const taskParts = new WeakMap<object, Buffer>();

type ContentTask = AnnexContent['sections'][number]['tasks'][number];

function taskPart(t: ContentTask): Buffer {
  let part = taskParts.get(t);
  if (part === undefined) {
    const text = JSON.stringify([
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
    ]).normalize('NFC');
    part = Buffer.from(text);
    taskParts.set(t, part);
  }
  return part;
}

const COMMA = Buffer.from(',');

/**
 * SHA-256 of the annex's table as the engine read it (sections, tasks, products, agencies as written, timelines,
 * notes), leaving out locations, task ids, detected columns and raw cells: the same table from any file format
 * hashes the same. The text hashed is JSON.stringify of [[numeral, title, part, [task…]]…] in NFC, built from
 * each task's part (kept by task: an agency's session hands back the tasks it did not re-read). NFC of the whole
 * is NFC of the parts, since every part begins and ends with a JSON delimiter (ASCII, which nothing composes with);
 * and the UTF-8 of the whole is that of the parts joined, since every part is JSON.stringify's (lone surrogates
 * escaped, so no pair is split between two parts).
 */
export function annexHash(annex: Pick<AnnexContent, 'sections'>): string {
  const parts: Buffer[] = [];
  annex.sections.forEach((s, i) => {
    // In an array JSON.stringify writes undefined as null.
    const head = JSON.stringify([s.numeral ?? null, s.title ?? null, s.part ? [s.part.numeral, s.part.title] : null]);
    parts.push(Buffer.from(`${i ? ',' : '['}${head.slice(0, -1).normalize('NFC')},[`));
    s.tasks.forEach((t, j) => {
      if (j) parts.push(COMMA);
      parts.push(taskPart(t));
    });
    parts.push(Buffer.from(']]'));
  });
  if (!parts.length) parts.push(Buffer.from('['));
  parts.push(Buffer.from(']'));
  return createHash('sha256').update(Buffer.concat(parts)).digest('hex');
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
