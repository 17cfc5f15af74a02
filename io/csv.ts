// CSV/TSV ↔ grids and annex → CSV, with papaparse. The delimiter is sniffed (comma, semicolon as
// written by Excel in Vietnamese locale, tab, pipe) unless the caller knows it.
import Papa from 'papaparse';
import type { Annex, Grid, GridRow } from '../engine/index.js';
import { escapeCellText, unescapeCellText } from './escape.js';
import { annexHeaders, annexRows } from './annex-rows.js';

export type Delimiter = ',' | ';' | '\t' | '|';

/** Parses delimited text into one grid; row index = record number (as the row in a spreadsheet). */
export function csvToGrid(text: string, sheet: string, delimiter?: Delimiter): Grid {
  const res = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    delimiter: delimiter ?? '',
    delimitersToGuess: [',', ';', '\t', '|'],
    skipEmptyLines: false,
  });
  const data = res.data;
  // papaparse yields one empty record for the final newline.
  if (data.length && data[data.length - 1].length === 1 && data[data.length - 1][0] === '') data.pop();
  // Empty fields are kept: "I. Cải cách thể chế;;;;" is a table row as wide as the table.
  const rows: GridRow[] = data.map((record, i) => {
    const cells =
      record.length === 1 && record[0] === ''
        ? []
        : record.map((t) => ({ text: unescapeCellText(t.replace(/\r\n?/g, '\n')) }));
    return { index: i + 1, cells };
  });
  return { sheet, kind: 'sheet', rows };
}

export interface DelimiterGuess {
  delimiter: Delimiter;
  /** Records that have the most common multi-cell width. */
  records: number;
  /** Their share of all non-empty records. */
  share: number;
}

/**
 * Picks the delimiter under which the most records share one multi-cell width (quotes respected).
 * Prose lines with commas give scattered widths; real table rows give one width again and again.
 */
export function guessDelimiter(text: string): DelimiterGuess | undefined {
  const sample = text.slice(0, 256 * 1024);
  const quoted = delimiterFromQuotes(sample);
  let best: DelimiterGuess | undefined;
  for (const d of CANDIDATES) {
    const res = Papa.parse<string[]>(sample, { delimiter: d, preview: 2000, skipEmptyLines: 'greedy' });
    const counts = new Map<number, number>();
    for (const r of res.data) {
      if (r.length > 1) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    }
    const top = [...counts.values()].sort((a, b) => b - a)[0] ?? 0;
    const guess = { delimiter: d, records: top, share: res.data.length ? top / res.data.length : 0 };
    if (quoted === d) return { ...guess, share: Math.max(guess.share, 0.6) };
    if (top >= 2 && (!best || top > best.records)) best = guess;
  }
  return best;
}

const CANDIDATES: Delimiter[] = [',', ';', '\t', '|'];

/**
 * Writers quote a field because it holds the delimiter (or a quote, a newline, edge spaces). So when
 * nearly every quoted field holds one candidate, that candidate is the delimiter, even in a file that
 * is mostly one-cell prose lines.
 */
function delimiterFromQuotes(sample: string): Delimiter | undefined {
  const fields: string[] = [];
  for (const m of sample.matchAll(/(?:^|[,;\t|])"((?:[^"]|"")*)"(?=[,;\t|]|\r?\n|$)/gm)) fields.push(m[1]);
  const telling = fields.filter((f) => !f.includes('""') && !/[\r\n]/.test(f) && !/^\s|\s$/.test(f));
  if (telling.length < 3) return undefined;
  const shares = CANDIDATES.map((d) => ({ d, share: telling.filter((f) => f.includes(d)).length / telling.length }));
  shares.sort((a, b) => b.share - a.share);
  return shares[0].share >= 0.9 && shares[1].share < 0.9 ? shares[0].d : undefined;
}

/** The delimiter of a file known to be delimited, or undefined when nothing looks tabular. */
export function sniffDelimiter(text: string): Delimiter | undefined {
  return guessDelimiter(text)?.delimiter;
}

function csvCell(text: string): string {
  return escapeCellText(text, 'csv');
}

/**
 * A grid as CSV text. Escaped against formulas by default; `escape: false` keeps every cell exactly
 * (for machine round trips, never for files an officer opens in a spreadsheet).
 */
export function gridToCsv(grid: Grid, options: { delimiter?: Delimiter; escape?: boolean } = {}): string {
  const data: string[][] = [];
  for (const row of grid.rows) {
    while (data.length < row.index - 1) data.push(['']);
    data.push(row.cells.length ? row.cells.map((c) => (options.escape === false ? c.text : csvCell(c.text))) : ['']);
  }
  return Papa.unparse(data, { delimiter: options.delimiter ?? ',', newline: '\r\n' }) + '\r\n';
}

/**
 * The annex as CSV: the official header then one row per section, task and product, escaped against
 * formulas. UTF-8 with BOM so Excel opens Vietnamese text correctly.
 */
export function annexToCsv(annex: Annex, options: { delimiter?: Delimiter; bom?: boolean } = {}): string {
  const data: string[][] = [annexHeaders(annex)];
  for (const row of annexRows(annex)) data.push(row.values.map(csvCell));
  const body = Papa.unparse(data, { delimiter: options.delimiter ?? ',', newline: '\r\n' });
  return ((options.bom ?? true) ? '\uFEFF' : '') + body + '\r\n';
}
