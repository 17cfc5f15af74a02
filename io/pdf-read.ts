// PDF → Grid: plans are published and signed as PDF. A PDF has no table, only text placed on pages and the
// lines drawn around cells; the rows are rebuilt from both. The ruled lines of each page give the table's
// row bands and, per band, its column borders; each piece of text goes to the cell it sits in. Text outside
// the table becomes one row per printed line, like a paragraph of a Word file. The grid has the shape the
// docx reader gives (one sheet, rows in reading order), so a PDF printed from a Word file reads like it.
// pdfjs-dist (Mozilla's PDF engine) reads the file; its legacy build runs in Node without a DOM.
import type { Grid, GridRow } from '../engine/index.js';
import { InputError, type InputWhere } from './errors.js';

interface TextPiece {
  str: string;
  x: number;
  /** Baseline, measured from the top of the page. */
  y: number;
  width: number;
  height: number;
  eol: boolean;
}

interface Segment {
  /** Horizontal: y, from x1 to x2. Vertical: x, from y1 to y2 (top-down page coordinates). */
  at: number;
  from: number;
  to: number;
}

interface PageLayout {
  pieces: TextPiece[];
  horizontal: Segment[];
  vertical: Segment[];
}

/** Minimum of text a page needs on average for the PDF to count as having a text layer. */
const MIN_TEXT_PER_PAGE = 40;
const EPS = 2;

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<PdfJs> | undefined;
const loadPdfJs = (): Promise<PdfJs> => (pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

/** The straight lines a page draws (cell borders), in top-down page coordinates. */
function ruledLines(
  pdfjs: PdfJs,
  ops: { fnArray: number[]; argsArray: unknown[] },
  height: number,
): Pick<PageLayout, 'horizontal' | 'vertical'> {
  const { OPS } = pdfjs;
  const horizontal: Segment[] = [];
  const vertical: Segment[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  const add = (ax: number, ay: number, bx: number, by: number) => {
    const [x1, y1] = apply(ctm, ax, ay);
    const [x2, y2] = apply(ctm, bx, by);
    if (Math.abs(y1 - y2) < EPS && Math.abs(x1 - x2) > EPS)
      horizontal.push({ at: height - (y1 + y2) / 2, from: Math.min(x1, x2), to: Math.max(x1, x2) });
    else if (Math.abs(x1 - x2) < EPS && Math.abs(y1 - y2) > EPS)
      vertical.push({ at: (x1 + x2) / 2, from: height - Math.max(y1, y2), to: height - Math.min(y1, y2) });
  };
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, ops.argsArray[i] as Matrix);
    else if (fn === OPS.constructPath) {
      const data = (ops.argsArray[i] as [number, ArrayLike<number>[] | ArrayLike<number>])[1];
      const path: ArrayLike<number> = Array.isArray(data) ? (data[0] ?? []) : (data as ArrayLike<number>);
      addPath(path, add);
    }
  }
  return { horizontal, vertical };
}

/** Walks a pdfjs path (moveTo 0, lineTo 1, curveTo 2, quadraticCurveTo 3, closePath 4) and adds its straight edges. */
function addPath(path: ArrayLike<number>, add: (ax: number, ay: number, bx: number, by: number) => void): void {
  let x = 0;
  let y = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < path.length;) {
    const op = path[k];
    if (op === 0) {
      x = sx = path[k + 1];
      y = sy = path[k + 2];
      k += 3;
    } else if (op === 1) {
      add(x, y, path[k + 1], path[k + 2]);
      x = path[k + 1];
      y = path[k + 2];
      k += 3;
    } else if (op === 2) {
      x = path[k + 5];
      y = path[k + 6];
      k += 7;
    } else if (op === 3) {
      x = path[k + 3];
      y = path[k + 4];
      k += 5;
    } else if (op === 4) {
      add(x, y, sx, sy);
      x = sx;
      y = sy;
      k += 1;
    } else break;
  }
}

/** Distinct values, merged when closer than EPS. */
function distinct(values: number[]): number[] {
  const out: number[] = [];
  for (const v of [...values].sort((a, b) => a - b)) if (!out.length || v - out[out.length - 1] > EPS) out.push(v);
  return out;
}

/** Joins the text of one cell or line: pieces on one printed line with spaces, wrapped lines with a space too. */
function joinPieces(pieces: TextPiece[]): string {
  const lines = printedLines(pieces);
  let out = '';
  for (const line of lines) {
    const t = line
      .map((p) => p.str)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (!t) continue;
    out = !out ? t : /^[-+•–]\s/.test(t) ? `${out}\n${t}` : `${out}${WORD_BREAK.test(out) ? '' : ' '}${t}`;
  }
  return out;
}

/**
 * A line that ends inside a word: after a hyphen or slash with no space before it ("NĐ-" / "CP", "2022-" /
 * "2025"), or in a document number broken where the column was too narrow ("106/2020/N" / "Đ-CP").
 */
const WORD_BREAK = /(?:\S[-/]|\d+\/\d{4}\/\p{Lu}{0,3})$/u;

/** Pieces grouped into printed lines (top to bottom), each line's pieces left to right. */
function printedLines(pieces: TextPiece[]): TextPiece[][] {
  const sorted = [...pieces].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: TextPiece[][] = [];
  for (const p of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last[0].y - p.y) < Math.max(2, p.height * 0.4)) last.push(p);
    else lines.push([p]);
  }
  for (const l of lines) l.sort((a, b) => a.x - b.x);
  return lines;
}

/** One page as rows: table rows from the ruled bands, the other text as printed lines, top to bottom. */
function pageRows(page: PageLayout): { y: number; cells: string[] }[] {
  const ys = distinct(page.horizontal.map((h) => h.at));
  const rows: { y: number; cells: string[] }[] = [];
  const used = new Set<TextPiece>();
  for (let k = 0; k + 1 < ys.length; k++) {
    const top = ys[k];
    const bottom = ys[k + 1];
    const mid = (top + bottom) / 2;
    // The band is a table row when cell borders run through it; its columns are those borders.
    const xs = distinct(page.vertical.filter((v) => v.from <= mid && v.to >= mid).map((v) => v.at));
    if (xs.length < 3) continue;
    const cells: TextPiece[][] = xs.slice(1).map(() => []);
    for (const p of page.pieces) {
      const cy = p.y - p.height * 0.3;
      if (cy < top || cy > bottom) continue;
      const cx = p.x + Math.min(p.width / 2, 3);
      const c = xs.findIndex((x, j) => j + 1 < xs.length && cx >= x && cx < xs[j + 1]);
      if (c < 0) continue;
      cells[c].push(p);
      used.add(p);
    }
    rows.push({ y: top, cells: cells.map(joinPieces) });
  }
  for (const line of printedLines(page.pieces.filter((p) => !used.has(p) && p.str.trim()))) {
    rows.push({ y: line[0].y - line[0].height, cells: [joinPieces(line)] });
  }
  return rows.sort((a, b) => a.y - b.y);
}

/** Reads a PDF's text layer into one grid. A PDF without text (a scan) is refused with the fix to make. */
export async function readPdfToGrids(bytes: Uint8Array, fileName: string): Promise<Grid[]> {
  const where: InputWhere = { file: fileName };
  const pdfjs = await loadPdfJs();
  let doc: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
  try {
    doc = await pdfjs.getDocument({
      // A copy as a plain Uint8Array: pdfjs refuses Buffers and takes ownership of what it is given.
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    }).promise;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException') throw new InputError('input.encrypted', {}, where);
    throw new InputError('input.unreadable', { detail: 'tệp PDF hỏng', detailEn: 'damaged PDF file' }, where);
  }
  try {
    const rows: GridRow[] = [];
    let chars = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const height = page.view[3] - page.view[1];
      const content = await page.getTextContent();
      const pieces: TextPiece[] = [];
      for (const item of content.items) {
        if (!('str' in item) || !item.str) continue;
        chars += item.str.trim().length;
        const [, , , d, e, f] = item.transform as number[];
        pieces.push({
          str: item.str,
          x: e,
          y: height - f,
          width: item.width,
          height: Math.abs(d) || item.height,
          eol: item.hasEOL,
        });
      }
      const lines = ruledLines(pdfjs, await page.getOperatorList(), height);
      for (const r of pageRows({ pieces, ...lines }))
        rows.push({ index: rows.length + 1, cells: r.cells.map((text) => ({ text })) });
      page.cleanup();
    }
    if (chars < (MIN_TEXT_PER_PAGE * Math.max(1, Math.min(doc.numPages, 3))) / 3 || !rows.length)
      throw new InputError('input.pdf-no-text', { pages: doc.numPages }, where);
    const hasTable = rows.some((r) => r.cells.length > 1);
    return [{ sheet: fileName, kind: hasTable ? 'sheet' : 'text', rows, format: `pdf:${doc.numPages}` }];
  } finally {
    await doc.destroy();
  }
}
