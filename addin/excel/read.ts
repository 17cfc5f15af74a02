// Excel → engine Grid: the extent first, then row chunks that stay under the host's payload cap.
import type { Grid, GridCell, GridRow } from '../../engine/index.js';
import { a1, columnLetter, parseA1 } from '../../engine/index.js';
import { applyMerges } from '../../engine/index.js';

export interface SheetExtent {
  /** 0-based first row/column of the used range, and its size. */
  rowIndex: number;
  columnIndex: number;
  rowCount: number;
  columnCount: number;
}

export interface SheetSnapshot {
  sheetId: string;
  sheetName: string;
  grid: Grid;
  extent: SheetExtent;
  /** Ids of all conditional formats on the sheet when it was read (to delete ours safely). */
  conditionalFormatIds: Set<string>;
}

/** The extent of a loaded used range (a plain copy: the proxy's values are read after its sync). */
const extentOf = (used: SheetExtent): SheetExtent => ({
  rowIndex: used.rowIndex,
  columnIndex: used.columnIndex,
  rowCount: used.rowCount,
  columnCount: used.columnCount,
});

type Raw = { values: unknown[][]; text: string[][]; formulas: unknown[][] };

/** Cell text as the officer sees it: strings as typed, numbers/dates as displayed. */
export function cellText(value: unknown, text: string | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || value === '') return '';
  // Excel shows "####" when a number does not fit the column; the value is still right.
  if (text !== undefined && text !== '' && !/^#+$/.test(text)) return text;
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);
}

function toCell(value: unknown, text: string | undefined, formula: unknown): GridCell {
  const cell: GridCell = { text: cellText(value, text) };
  if (typeof formula === 'string' && formula.startsWith('=') && formula.length > 1) cell.formula = formula.slice(1);
  return cell;
}

/** Builds grid rows (1-based, padded from column A so column numbers match the sheet). */
export function rowsFromRaw(raw: Raw, rowIndex: number, columnIndex: number): GridRow[] {
  const rows: GridRow[] = [];
  for (let i = 0; i < raw.values.length; i++) {
    const cells: GridCell[] = [];
    for (let c = 0; c < columnIndex; c++) cells.push({ text: '' });
    const vs = raw.values[i];
    for (let j = 0; j < vs.length; j++) cells.push(toCell(vs[j], raw.text[i]?.[j], raw.formulas[i]?.[j]));
    rows.push({ index: rowIndex + i + 1, cells });
  }
  return rows;
}

/** "Sheet1!A5:A7,'Phụ lục'!B5:C5" → ["A5:A7", "B5:C5"]. */
export function splitAreas(address: string): string[] {
  if (!address) return [];
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of address) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out
    .map((a) =>
      a
        .slice(a.lastIndexOf('!') + 1)
        .replace(/\$/g, '')
        .trim(),
    )
    .filter(Boolean);
}

export { applyMerges };

export interface ReadOptions {
  /** Read merged areas (Range.getMergedAreasOrNullObject, ExcelApi 1.13). Without: no merges. */
  mergedAreas?: boolean;
  /** Bytes one chunk's response may carry; half of Excel on the web's 5 MB per request/response. */
  budgetBytes?: number;
  /** Rows of the first chunk, before the row size is known. */
  firstChunkRows?: number;
}

const DEFAULT_BUDGET = 2_500_000;
const FIRST_CHUNK_ROWS = 500;
const MAX_CHUNK_ROWS = 5000;
/** UTF-8 length of a text, counted: Excel 2019's EdgeHTML has no TextEncoder, and the pane must load there. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair: one 4-byte character
      i++;
    } else n += 3; // BMP, or a lone surrogate (written as U+FFFD, 3 bytes)
  }
  return n;
}

/** Errors a smaller chunk avoids: the payload caps, and more than 512 merged areas in one call. */
function chunkTooBig(e: unknown): boolean {
  const code =
    (e as { code?: string; debugInfo?: { code?: string } })?.code ??
    (e as { debugInfo?: { code?: string } })?.debugInfo?.code;
  return (
    code === 'ResponsePayloadSizeLimitExceeded' ||
    code === 'RequestPayloadSizeLimitExceeded' ||
    code === 'GeneralException'
  );
}

/**
 * A merged area cut by a chunk border (should a host clip areas to the range asked) comes back as
 * two areas, one ending on the chunk's last row and one starting on the next chunk's first row, with
 * the same columns: they are joined again. Whole areas reported twice are de-duplicated.
 */
export function joinChunkMerges(chunks: { from: number; to: number; merges: string[] }[]): string[] {
  const seen = new Set<string>();
  const out: { r1: number; c1: number; r2: number; c2: number }[] = [];
  for (const ch of chunks) {
    for (const m of ch.merges) {
      if (seen.has(m)) continue;
      seen.add(m);
      const [a, b = a] = m.split(':');
      const p = parseA1(a)!;
      const q = parseA1(b)!;
      const r = { r1: p.row, c1: p.column, r2: q.row, c2: q.column };
      const prev = out.find(
        (o) => o.c1 === r.c1 && o.c2 === r.c2 && o.r2 + 1 === r.r1 && r.r1 === ch.from && o.r2 === ch.from - 1,
      );
      if (prev) prev.r2 = r.r2;
      else out.push(r);
    }
  }
  return [
    ...new Set(
      out.map((r) => (r.r1 === r.r2 && r.c1 === r.c2 ? a1(r.r1, r.c1) : `${a1(r.r1, r.c1)}:${a1(r.r2, r.c2)}`)),
    ),
  ];
}

type Run = <T>(b: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T>;

/**
 * Reads the active sheet (or a named one): values, displayed text, formulas and merges. One sync for
 * the extent, then row chunks sized from the bytes the previous chunk returned so no response nears
 * the 5 MB cap; a chunk that still fails (payload, or more than 512 merged areas) is halved.
 */
export async function readSheet(
  excel: { run: Run },
  sheetName?: string,
  opts: ReadOptions = {},
): Promise<SheetSnapshot> {
  const withMerges = opts.mergedAreas ?? true;
  const budget = opts.budgetBytes ?? DEFAULT_BUDGET;
  const first = opts.firstChunkRows ?? FIRST_CHUNK_ROWS;
  type Part = { raw: Raw; merges: string[]; bytes: number };
  const loadPart = (r: Excel.Range): (() => Part) => {
    r.load('values,text,formulas');
    const m = withMerges ? r.getMergedAreasOrNullObject() : undefined;
    m?.load('address');
    return () => {
      const raw = { values: r.values, text: r.text, formulas: r.formulas };
      const merges = m && !m.isNullObject ? splitAreas(m.address) : [];
      return { raw, merges, bytes: utf8Length(JSON.stringify(raw)) };
    };
  };
  // The extent and, speculatively, the first rows in one sync: most annexes are read in one round trip.
  const openSheet = (withFirst: boolean) =>
    excel.run(async (ctx) => {
      const ws = sheetName ? ctx.workbook.worksheets.getItem(sheetName) : ctx.workbook.worksheets.getActiveWorksheet();
      ws.load('name,id');
      // valuesOnly: formatting the officer applied below the table must not inflate the grid.
      const used = ws.getUsedRange(true);
      used.load('rowIndex,columnIndex,rowCount,columnCount');
      const cfs = ws.getRange().conditionalFormats.load('items/id');
      const part = withFirst ? loadPart(used.getRow(0).getResizedRange(first - 1, 0)) : undefined;
      await ctx.sync();
      return {
        id: ws.id,
        name: ws.name,
        extent: extentOf(used),
        cfIds: cfs.items.map((cf) => cf.id),
        part: part?.(),
      };
    });
  let head: Awaited<ReturnType<typeof openSheet>>;
  try {
    head = await openSheet(true);
  } catch (e) {
    if (!chunkTooBig(e)) throw e;
    head = await openSheet(false);
  }
  const { extent } = head;
  const rows: GridRow[] = [];
  const chunks: { from: number; to: number; merges: string[] }[] = [];
  let at = extent.rowIndex;
  const end = extent.rowIndex + extent.rowCount;
  let size = first;
  if (head.part) {
    // Rows past the used range (the speculative chunk is fixed-size) are dropped.
    const n = Math.min(first, extent.rowCount);
    const raw = {
      values: head.part.raw.values.slice(0, n),
      text: head.part.raw.text.slice(0, n),
      formulas: head.part.raw.formulas.slice(0, n),
    };
    rows.push(...rowsFromRaw(raw, at, extent.columnIndex));
    chunks.push({ from: at + 1, to: at + n, merges: head.part.merges });
    at += n;
    size = Math.max(1, Math.min(MAX_CHUNK_ROWS, Math.floor(budget / Math.max(1, head.part.bytes / first))));
  }
  while (at < end) {
    const n = Math.min(size, end - at);
    let part: Part;
    try {
      part = await excel.run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem(head.id);
        const done = loadPart(ws.getRangeByIndexes(at, extent.columnIndex, n, extent.columnCount));
        await ctx.sync();
        return done();
      });
    } catch (e) {
      if (n > 1 && chunkTooBig(e)) {
        size = Math.ceil(n / 2);
        continue;
      }
      throw e;
    }
    rows.push(...rowsFromRaw(part.raw, at, extent.columnIndex));
    chunks.push({ from: at + 1, to: at + n, merges: part.merges });
    at += n;
    const perRow = Math.max(1, part.bytes / n);
    size = Math.max(1, Math.min(MAX_CHUNK_ROWS, Math.floor(budget / perRow)));
  }
  const merges = joinChunkMerges(chunks);
  applyMerges(rows, merges);
  const grid: Grid = { sheet: head.name, kind: 'sheet', rows };
  if (merges.length) grid.merges = merges;
  return { sheetId: head.id, sheetName: head.name, grid, extent, conditionalFormatIds: new Set(head.cfIds) };
}

export interface RowsRead {
  rows: GridRow[];
  merges: string[];
  extent: SheetExtent;
  conditionalFormatIds: Set<string>;
}

/**
 * Re-reads whole rows (1-based, inclusive spans) of a sheet, plus the used-range extent, in the
 * given context without syncing: the caller syncs once for everything it queued.
 */
export function queueReadRows(
  ctx: Excel.RequestContext,
  sheetName: string,
  spans: [number, number][],
  width: number,
  mergedAreas = true,
): () => RowsRead {
  const ws = ctx.workbook.worksheets.getItem(sheetName);
  const used = ws.getUsedRange(true);
  used.load('rowIndex,columnIndex,rowCount,columnCount');
  const cfs = ws.getRange().conditionalFormats.load('items/id');
  const parts = spans.map(([from, to]) => {
    const r = ws.getRangeByIndexes(from - 1, 0, to - from + 1, Math.max(1, width));
    r.load('values,text,formulas');
    const m = mergedAreas ? r.getMergedAreasOrNullObject() : undefined;
    m?.load('address');
    return { from, r, m };
  });
  return () => {
    const rows: GridRow[] = [];
    const merges: string[] = [];
    for (const p of parts) {
      rows.push(...rowsFromRaw({ values: p.r.values, text: p.r.text, formulas: p.r.formulas }, p.from - 1, 0));
      if (p.m && !p.m.isNullObject) merges.push(...splitAreas(p.m.address));
    }
    applyMerges(rows, merges);
    return {
      rows,
      merges,
      extent: extentOf(used),
      conditionalFormatIds: new Set(cfs.items.map((cf) => cf.id)),
    };
  };
}

export { columnLetter };
