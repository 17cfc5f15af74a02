// Text hygiene of single cells: HTML fragments, legacy (TCVN3/VNI/CP1258) encodings, NFD and stray whitespace.
// Cell-level only: the result depends on nothing but the cell's own text, so sessions cache it by content.
import type { Diagnostic } from '../model.js';
import { makeDiagnostic } from './diagnostic.js';
import { edit, makeFix } from './edits.js';
import { quote, type Memo, type RuleContext } from './facts.js';

const ENCODING_NAMES: Record<string, string> = { tcvn3: 'TCVN3 (ABC)', vni: 'VNI', cp1258: 'Windows-1258' };

/** NFC, stray spaces (double, leading, trailing, non-breaking, zero-width) removed; line breaks kept. */
export function tidyText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\u200b\ufeff]/g, '')
    .replace(/[ \t\u00a0\u2000-\u200a\u202f]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Anything tidyText would change: cheap tests first, so clean cells cost two regex scans.
const STRAY_SPACE = /[\t\u00a0\u2000-\u200b\u202f\ufeff]| {2}|^\s|\s$| \n|\n |\n{3}/;
const COMBINING = /[\u0300-\u036f]/;

type TextVerdict =
  | null
  | { code: 'text.legacy-encoding'; encoding: string; converted: string }
  | { code: 'text.html'; tags: string[]; cleaned: string }
  | { code: 'text.unnormalized'; tidy: string; nfd: boolean };

// Text-document rows cannot hold line breaks: a fix joins lines with "; ".
const oneLine = (t: string, textGrid: boolean) => (textGrid ? t.replace(/\s*\n\s*/g, '; ').replace(/;\s*;/g, ';') : t);

function computeVerdict(raw: string, memo: Memo, textGrid: boolean): TextVerdict {
  const enc = memo.detectLegacy(raw);
  if (enc)
    return {
      code: 'text.legacy-encoding',
      encoding: enc,
      converted: oneLine(memo.cleanText(memo.decodeLegacy(raw, enc)), textGrid),
    };
  const tags = memo.findHtml(raw);
  if (tags.length) return { code: 'text.html', tags, cleaned: oneLine(memo.cleanText(raw), textGrid) };
  if (!STRAY_SPACE.test(raw) && !COMBINING.test(raw)) return null;
  const tidy = tidyText(raw);
  return tidy === raw ? null : { code: 'text.unnormalized', tidy, nfd: raw.normalize('NFC') !== raw };
}
const verdictInText = (raw: string, memo: Memo) => computeVerdict(raw, memo, true);
const verdictInSheet = (raw: string, memo: Memo) => computeVerdict(raw, memo, false);

function verdictOf(rc: RuleContext, raw: string, textGrid: boolean): TextVerdict {
  return textGrid ? rc.memo.verdict('text:t', raw, verdictInText) : rc.memo.verdict('text:s', raw, verdictInSheet);
}

/**
 * Checks one cell; pushes at most one diagnostic (the most serious problem, whose fix also cleans the rest).
 * Returns false when the cell has nothing to report.
 */
export function checkCellText(
  rc: RuleContext,
  sheet: string,
  row: number,
  column: number,
  raw: string,
  out: Diagnostic[],
): boolean {
  if (raw === '') return false;
  const { view, locale } = rc;
  const v = verdictOf(rc, raw, view.isTextGrid(sheet));
  if (!v) return false;
  const loc = view.location(sheet, row, column);
  const cell = loc.cell;
  let params: Record<string, unknown>;
  let to: string;
  if (v.code === 'text.legacy-encoding') {
    params = {
      cell,
      encoding: ENCODING_NAMES[v.encoding] ?? v.encoding,
      sample: quote(raw, 40),
      converted: quote(v.converted, 60),
    };
    to = v.converted;
  } else if (v.code === 'text.html') {
    params = { cell, tags: v.tags.map((t) => `<${t}>`) };
    to = v.cleaned;
  } else {
    params = { cell, nfd: v.nfd };
    to = v.tidy;
  }
  out.push(
    makeDiagnostic(v.code, loc, params, {
      locale,
      fix: makeFix(v.code, [edit(sheet, row, column, raw, to)], params, locale),
    }),
  );
  return true;
}

/**
 * Checks every cell of one table row. A row whose cells were found clean keeps that finding with its cells (see
 * RowCells) until they change: nearly every row is clean, and the verdict lookups were a memo lookup per cell.
 */
export function checkRowText(rc: RuleContext, sheet: string, row: number, out: Diagnostic[]): void {
  const { view } = rc;
  const cells = view.gridRow(sheet, row)?.cells;
  if (!cells) return;
  const textGrid = view.isTextGrid(sheet);
  const known = view.rowCells(sheet, row);
  if (known && (textGrid ? known.quietInText : known.quietInSheet)) return;
  let quiet = true;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c.mergedInto) continue; // the covered cell repeats the merge's top-left text
    if (checkCellText(rc, sheet, row, i + 1, c.text, out)) quiet = false;
  }
  if (!known) return;
  if (textGrid) known.quietInText = quiet;
  else known.quietInSheet = quiet;
}
