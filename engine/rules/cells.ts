// Spreadsheet cell features the annex should not rely on: formulas and merged ranges. The reader reports them
// when it sees them; these rules fill in the ones it did not (validation dedupes by code and cell).
import type { Diagnostic } from '../model.js';
import { parseA1 } from '../a1.js';
import { makeDiagnostic } from './diagnostic.js';
import { quote, type RuleContext } from './facts.js';

/** cell.formula for every formula cell of one table row. */
export function checkRowFormulas(rc: RuleContext, sheet: string, row: number, out: Diagnostic[]): void {
  const cells = rc.view.gridRow(sheet, row)?.cells;
  if (!cells) return;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c.formula === undefined || c.formula === '') continue;
    const loc = rc.view.location(sheet, row, i + 1);
    out.push(
      makeDiagnostic(
        'cell.formula',
        loc,
        { cell: loc.cell, formula: c.formula, text: quote(c.text, 60) },
        { locale: rc.locale },
      ),
    );
  }
}

/**
 * Text that a spreadsheet would run as a formula if pasted or saved as CSV: "=HYPERLINK(…)", "@SUM(…)",
 * "+cmd|…". Vietnamese lists start with "- " and "+ " followed by words, which are not formulas.
 */
const FORMULA_TEXT =
  /^(?:=\s*[^\s=]|@[A-Za-z_][\w.]*\s*\(|[+-]\s*[A-Za-z_][\w.]*\s*[(|!]|[+-]\s*\d[\d.,]*\s*[-+*/^&]\s*\S)/;

export function formulaLike(text: string): boolean {
  // Most cells start with a letter or a digit: neither white space nor a formula sign (= @ + -).
  const c0 = text.charCodeAt(0);
  if ((c0 > 0x40 && c0 < 0x80) || (c0 >= 0x30 && c0 <= 0x39)) return false;
  return FORMULA_TEXT.test(text.trimStart());
}

/** cell.formula-text for every cell of one table row whose text (not a formula) looks like one. Never evaluated. */
export function checkRowFormulaText(rc: RuleContext, sheet: string, row: number, out: Diagnostic[]): void {
  const cells = rc.view.gridRow(sheet, row)?.cells;
  if (!cells) return;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c.formula || !c.text || !formulaLike(c.text)) continue;
    const loc = rc.view.location(sheet, row, i + 1);
    const start = c.text.trimStart()[0];
    out.push(
      makeDiagnostic(
        'cell.formula-text',
        loc,
        { cell: loc.cell ?? `dòng ${row}`, start, text: quote(c.text, 60) },
        { locale: rc.locale },
      ),
    );
  }
}

/** cell.merged for merged ranges whose top-left cell lies in the annex table. */
export function checkMerges(rc: RuleContext, out: Diagnostic[]): void {
  if (!rc.view.grids.some((g) => g.merges?.length)) return;
  const tableRows = new Set(rc.view.tableRows.map((r) => `${r.sheet}\u0001${r.row}`));
  for (const grid of rc.view.grids) {
    for (const range of grid.merges ?? []) {
      const [first] = range.split(':');
      const tl = parseA1(first ?? '');
      if (!tl || !tableRows.has(`${grid.sheet}\u0001${tl.row}`)) continue;
      out.push(
        makeDiagnostic(
          'cell.merged',
          rc.view.location(grid.sheet, tl.row, tl.column),
          { range },
          { locale: rc.locale },
        ),
      );
    }
  }
}
