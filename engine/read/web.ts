// Text copied from legal-document web pages (and text pulled out of PDFs): tables whose cells come one per
// line between lines holding only "|" (or as "| a | b |" lines), **bold** and *italic* marks, sentences
// hard-wrapped mid-phrase, page headers and footers. It becomes the same grid a tab-separated copy of the
// table gives: one row per table row (numbered by its first line), prose lines as one-cell rows.
import type { Grid, GridRow } from '../model.js';
import { headerField } from '../vocab/index.js';

const PIPE = /^\s*\|\s*$/;
const MD_ROW = /^\s*\|.*\|\s*$/;
const MD_RULE = /^\s*\|[\s:|-]+\|\s*$/;
// "a | b | c": a row without the outer bars, as some sites and text exports write tables.
const BARE_ROW = /^\s*[^|\s][^|]*(?:\s\|\s[^|]*){2,}$/;
const BOLD = /\*\*([^*\n]+?)\*\*|__([^_\n]+?)__/g;
const ITALIC = /(^|[\s(“"])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s).,;:!?”"])/g;
const PAGE_LINE =
  /^\s*(?:(?:trang|page)\s+\d{1,4}(?:\s*(?:\/|of|trên)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*\/\s*\d{1,4}|\d{1,3})\s*$/iu;
const LIST_ITEM = /^\s*(?:[-+•–]\s|\(?[a-zđ0-9]{1,2}[).]\s)/u;
const SENTENCE_END = /[.:;!?…)"”]\s*$/;
const LOWER_START = /^\s*\p{Ll}/u;

/** Strips **bold**, __bold__ and *italic* marks, keeping the words. */
export function stripEmphasis(s: string): string {
  if (!s.includes('*') && !s.includes('__')) return s;
  return s.replace(BOLD, (_m, a: string | undefined, b: string | undefined) => a ?? b ?? '').replace(ITALIC, '$1$2');
}

/** True when a text shows the marks of a web copy: "|" cell lines or "| a | b |" rows. */
export function looksLikeWebText(lines: string[]): boolean {
  // Bold marks alone do not decide: text extracted from Word files has them too (the seeds), and its
  // lines are read as they are.
  let pipes = 0;
  let md = 0;
  for (const l of lines) {
    if (l.includes('\t')) continue;
    if (PIPE.test(l)) pipes++;
    else if (MD_ROW.test(l) && l.split('|').length >= 4) md++;
  }
  return pipes >= 4 || md >= 2 || bareRows(lines) >= 3;
}

/** Lines written as "a | b | c" (three cells or more, no outer bars). */
function bareRows(lines: string[]): number {
  let n = 0;
  for (const l of lines) if (!l.includes('\t') && BARE_ROW.test(l)) n++;
  return n;
}

interface Cell {
  line: number;
  parts: string[];
}

/** Joins a cell's lines: hard-wrapped lines with a space, list items on their own line. */
function joinLines(parts: string[]): string {
  let out = '';
  for (const raw of parts) {
    const p = stripEmphasis(raw.trim());
    if (!p) continue;
    out = !out ? p : LIST_ITEM.test(p) ? `${out}\n${p}` : `${out} ${p}`;
  }
  return out;
}

/**
 * One block of "|"-separated cells starting at line `start` (0-based). Rows end at a blank line between two
 * "|" lines; a block without such breaks is cut into rows of the header's width.
 */
function readPipeBlock(lines: string[], start: number): { rows: Cell[][]; end: number } {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let cell: Cell | undefined;
  let i = start;
  let breaks = 0;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (PIPE.test(l)) {
      if (cell) row.push(cell);
      cell = { line: i + 1, parts: [] };
      continue;
    }
    if (!l.trim()) {
      // A blank line right after "|": the row ends here; the block ends unless another "|" follows.
      if (cell && cell.parts.length === 0) {
        let j = i + 1;
        while (j < lines.length && !lines[j].trim()) j++;
        if (row.length) {
          rows.push(row);
          breaks++;
        }
        row = [];
        cell = undefined;
        if (j >= lines.length || !PIPE.test(lines[j])) break;
        i = j - 1;
      }
      continue;
    }
    if (!cell) break;
    cell.parts.push(l);
  }
  if (row.length) rows.push(row);
  if (breaks === 0 && rows.length === 1) return { rows: splitByHeader(rows[0]), end: i };
  return { rows, end: i };
}

/**
 * A stream of cells with no row breaks: the header is its leading cells that name a column or are set in
 * bold, and every row has the header's width.
 */
function splitByHeader(cells: Cell[]): Cell[][] {
  let width = cells.findIndex((c) => {
    const t = joinLines(c.parts);
    return !t || !(headerField(t) || c.parts.every((p) => /^\s*\*\*.*\*\*\s*$/.test(p)));
  });
  if (width < 0) width = cells.length;
  if (width < 2) return [cells];
  const rows: Cell[][] = [];
  for (let k = 0; k < cells.length; k += width) rows.push(cells.slice(k, k + width));
  return rows;
}

/** Lines that repeat on every page (a running header, the gazette's name): four or more identical lines. */
function runningLines(lines: string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const t = l.trim();
    if (t.length >= 8 && !t.includes('\t') && !PIPE.test(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= 4).map(([t]) => t));
}

/** A web copy as a grid: table rows with their cells, prose lines rejoined, page furniture dropped. */
export function webTextToGrid(text: string, name: string): Grid {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const running = runningLines(lines);
  // Bare "a | b | c" rows count as table rows only in a text that has several of them, not for one stray bar.
  const bare = bareRows(lines) >= 3;
  const rows: GridRow[] = [];
  let prose: GridRow | undefined;
  const push = (row: GridRow) => {
    rows.push(row);
    prose = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (PIPE.test(l)) {
      const block = readPipeBlock(lines, i);
      // A title merged across the row comes as one cell: padded to the table's width, as a sheet holds it.
      const width = Math.max(...block.rows.map((r) => r.length));
      for (const r of block.rows) {
        const cells = r.map((c) => ({ text: joinLines(c.parts) }));
        while (cells.length < width) cells.push({ text: '' });
        push({ index: r[0].line, cells });
      }
      i = block.end - 1;
      continue;
    }
    if (MD_ROW.test(l) && l.split('|').length >= 3) {
      if (!MD_RULE.test(l))
        push({
          index: i + 1,
          cells: l
            .trim()
            .slice(1, -1)
            .split('|')
            .map((c) => ({ text: stripEmphasis(c.trim()) })),
        });
      continue;
    }
    if (bare && !l.includes('\t') && BARE_ROW.test(l)) {
      push({ index: i + 1, cells: l.split('|').map((c) => ({ text: stripEmphasis(c.trim()) })) });
      continue;
    }
    const t = l.trim();
    if (!t || PAGE_LINE.test(t) || running.has(t)) {
      if (!t) prose = undefined;
      continue;
    }
    if (l.includes('\t')) {
      push({ index: i + 1, cells: l.split('\t').map((c) => ({ text: stripEmphasis(c) })) });
      continue;
    }
    const s = stripEmphasis(t);
    // A hard-wrapped sentence: the next line goes on in lower case after a line without an ending.
    if (prose && LOWER_START.test(s) && !SENTENCE_END.test(prose.cells[0].text) && !LIST_ITEM.test(s)) {
      prose.cells[0].text += ` ${s}`;
      continue;
    }
    rows.push((prose = { index: i + 1, cells: [{ text: s }] }));
  }
  return { sheet: name, kind: 'text', rows };
}
