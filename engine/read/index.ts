// Grid[] → Annex: finds the annex table inside a whole document (or the prose steps when there is no
// table), maps header columns by meaning, and reads sections, tasks and products with their sources.
import type { Annex, Diagnostic, Grid, Meta } from '../model.js';
import type { AgencyDirectory } from '../normalize/agency.js';
import type { AgencyContext } from './agencies.js';
import { makeDiagnostic } from '../rules/diagnostic.js';
import { findHeader, type HeaderMatch } from './header.js';
import { inferColumnRoles } from './column-roles.js';
import { readMeta } from './meta.js';
import { readDirective, type DirectiveResult } from './directive.js';
import { readProse, type ProseResult } from './prose.js';
import { readTable, type TableResult } from './table.js';
import { replayTable } from './table-replay.js';
import { looksLikeWebText, webTextToGrid } from './web.js';

export interface ReadOptions {
  directory?: AgencyDirectory;
  /** Province directory id to use when the document does not name one. */
  province?: string;
  /** Plan year to use when the title does not state one. */
  planYear?: number;
  /**
   * Note where a re-read after an edit can start and stop at every task, not only at every section (a session
   * sets it: its updates then walk about one task; a one-off read does not pay for the notes).
   */
  incremental?: boolean;
  /**
   * False: agency names the directory does not know get no suggestions (what validation offers as "did you
   * mean"), for a caller that never shows them (`annex consolidate`): the fuzzy search is a quarter of resolving a
   * roll-up's agency cells.
   */
  agencySuggestions?: boolean;
  /**
   * True: every agency cell with the same text gets the same list of refs, the same objects (the directory's
   * memoised list), where each cell otherwise gets its own copies. For a caller that never changes the annex
   * (`annex consolidate`, which only reads it): a roll-up of 100 agencies' annexes held 110,000 refs, 7 MB, copies
   * of a few thousand lists.
   */
  sharedAgencyRefs?: boolean;
  /**
   * False: the read keeps nothing by grid row for a later read of the same grids (the built tasks, the row facts
   * and the rows without formulas that a re-read reuses), for a caller that reads each grid once (`annex
   * consolidate`): 60,000 weak-map entries for a roll-up of 100 annexes, each holding its row's facts or task
   * records alive for as long as the row lives.
   */
  rememberRows?: boolean;
}

/** What the reader decided each source row is. */
export interface RowRole {
  sheet: string;
  row: number;
  role: 'preamble' | 'header' | 'section' | 'task' | 'product' | 'continuation' | 'blank' | 'other';
  /** Index of the section and task (in the annex) the row belongs to. */
  section?: number;
  task?: number;
}

export interface ReadResult {
  annex: Annex;
  diagnostics: Diagnostic[];
  rowRoles: RowRole[];
  /** The grids that were read, so validate(result) sees the cells without the caller passing them again. */
  grids?: Grid[];
}

/** A text document as rows: one line per row, tab-separated cells. */
export function textToGrid(text: string, name: string): Grid {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  // A copy from a web page ("|" cell lines, **bold** marks) is rebuilt into table rows first.
  if (looksLikeWebText(lines)) return webTextToGrid(text, name);
  return {
    sheet: name,
    kind: 'text',
    rows: lines.map((line, i) => ({ index: i + 1, cells: line.split('\t').map((t) => ({ text: t })) })),
  };
}

const ENCODING_NAMES: Record<string, string> = {
  'windows-1258': 'Windows-1258 (bảng mã tiếng Việt của Windows)',
  'windows-1252': 'Windows-1252',
  tcvn3: 'TCVN3 (ABC, phông .Vn)',
  vni: 'VNI (phông VNI-Times)',
};

/** What the file adapter says about the source: a legacy encoding it decoded, a PDF it rebuilt rows from. */
function sourceDiagnostics(grid: Grid): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = { sheet: grid.sheet, row: 1 };
  if (grid.encoding)
    out.push(makeDiagnostic('document.encoding', at, { encoding: ENCODING_NAMES[grid.encoding] ?? grid.encoding }));
  if (grid.format?.startsWith('pdf'))
    out.push(makeDiagnostic('document.pdf', at, { pages: Number(grid.format.split(':')[1] ?? 0) }));
  return out;
}

/** Options fill what the document does not say; the document's own text wins. */
function withDefaults(meta: Meta, options: ReadOptions): Meta {
  if (!meta.province && options.province) meta.province = options.province;
  if (!meta.planYear && options.planYear) meta.planYear = options.planYear;
  return meta;
}

function agencyContext(options: ReadOptions, meta: Meta): AgencyContext {
  return {
    directory: options.directory,
    at: { province: meta.province, date: meta.docDate },
    ...(options.agencySuggestions === false ? { suggestions: false } : {}),
    ...(options.sharedAgencyRefs ? { shared: true } : {}),
  };
}

export function readAnnex(grids: Grid[], options: ReadOptions = {}): ReadResult {
  // The sheet that holds the annex: the best header wins; on a tie the first sheet.
  let header: HeaderMatch | null = null;
  for (const grid of grids) {
    const h = findHeader(grid);
    if (h && (!header || h.score > header.score)) header = h;
  }

  if (header) {
    const grid = header.grid;
    // Metadata lives before the table in a whole document; in a workbook it may be on another sheet.
    let meta = readMeta(grid, header.row);
    // In a workbook the plan's number, date and province may sit on a cover sheet.
    for (const g of grids) {
      if (g === grid || (meta.province && meta.docNumber && meta.docDate && meta.planYear)) continue;
      meta = { ...readMeta(g, Number.MAX_SAFE_INTEGER), ...meta };
    }
    meta = withDefaults(meta, options);
    const agencies = agencyContext(options, meta);
    header = inferColumnRoles(header, agencies);
    const table = readTable(header, {
      agencies,
      planYear: meta.planYear,
      incremental: options.incremental,
      rememberRows: options.rememberRows,
    });
    return tableRead(grids, header, meta, table, options);
  }

  // No table: numbered prose steps with "Đơn vị chủ trì:" lines; failing those, numbered points that assign work
  // in their sentences (a directive: "Giao Sở X chủ trì, phối hợp với Y …").
  const proseRead = (grid: Grid, meta: Meta, found: ProseResult | DirectiveResult): ReadResult => {
    meta.layout = 'prose';
    meta.sheet = grid.sheet;
    return {
      annex: { meta, sections: found.sections },
      diagnostics: sourceDiagnostics(grid),
      rowRoles: found.rowRoles,
      grids,
    };
  };
  const contextOf = (grid: Grid) => {
    const meta = withDefaults(readMeta(grid, Number.MAX_SAFE_INTEGER), options);
    return { meta, agencies: agencyContext(options, meta) };
  };
  for (const grid of grids) {
    const { meta, agencies } = contextOf(grid);
    const prose = readProse(grid, agencies, meta.planYear);
    if (!prose) continue;
    // Steps that name no agency on a line of their own, but "Thời gian:" lines: a directive reads better as one.
    const leadless = !prose.sections.some((s) => s.tasks.some((t) => t.lead.length));
    const directive = leadless ? readDirective(grid, agencies, meta.planYear) : null;
    return proseRead(grid, meta, directive ?? prose);
  }
  for (const grid of grids) {
    const { meta, agencies } = contextOf(grid);
    const directive = readDirective(grid, agencies, meta.planYear);
    if (directive) return proseRead(grid, meta, directive);
  }

  const first = grids[0];
  const where = grids.length ? grids.map((g) => `"${g.sheet}"`).join(', ') : 'tài liệu (không có trang tính nào)';
  const meta = withDefaults(first ? readMeta(first, Number.MAX_SAFE_INTEGER) : {}, options);
  return {
    annex: { meta, sections: [] },
    diagnostics: [makeDiagnostic('header.not-found', { sheet: first?.sheet ?? '', row: 1 }, { where })],
    rowRoles: first
      ? first.rows.map((r) => ({
          sheet: first.sheet,
          row: r.index,
          role: r.cells.some((c) => c.text.trim()) ? 'other' : 'blank',
        }))
      : [],
    grids,
  };
}

/** The result of a table read, and what a re-read after an edit needs (kept out of the result, which is data). */
interface TableRead {
  header: HeaderMatch;
  /** The metadata before the table's own fields were set: read from rows no edit below the header reaches. */
  meta: Meta;
  table: TableResult;
  options: ReadOptions;
  grids: Grid[];
}
const tableReads = new WeakMap<ReadResult, TableRead>();

function tableRead(
  grids: Grid[],
  header: HeaderMatch,
  base: Meta,
  table: TableResult,
  options: ReadOptions,
): ReadResult {
  const grid = header.grid;
  // Object.assign, not { ...base, layout }: V8 (Node 20) gives an object spread at a site that has seen several
  // shapes, with keys added after, a hidden class of its own, and every re-read's meta deoptimised its readers.
  const meta: Meta = Object.assign({}, base);
  meta.layout = 'table';
  if (table.kind === 'targets') meta.kind = 'targets';
  meta.sheet = grid.sheet;
  meta.headerRow = header.row;
  meta.columns = header.columns;
  const diagnostics = [...sourceDiagnostics(grid), ...table.diagnostics];
  const result: ReadResult = {
    annex: { meta, sections: table.sections },
    diagnostics,
    rowRoles: table.rowRoles,
    grids,
  };
  tableReads.set(result, { header, meta: base, table, options, grids });
  return result;
}

/**
 * The vertical merges the table reader found in `grid` (what mergeOverlay(grid).cover gives), when `result` is a
 * table read of that grid: the rules look cells up under merges without scanning every cell again.
 */
export function readCover(result: ReadResult, grid: Grid): Map<number, Map<number, number>> | undefined {
  const known = tableReads.get(result);
  return known && known.header.grid === grid ? known.table.state.cover : undefined;
}

/**
 * Reads again after the cells at `edits` changed in place (the same grid objects, rows replaced), re-walking only
 * the part of the table the edits can reach (engine/read/table-replay.ts). Equal to readAnnex(grids, options);
 * undefined when that cannot be shown from the edits alone — an edit outside the table's data rows, near a
 * header that could change, or on another sheet — and the caller reads the whole document again.
 */
export function rereadAnnex(
  prev: ReadResult,
  grids: Grid[],
  edits: { sheet: string; row: number }[],
  options: ReadOptions,
): ReadResult | undefined {
  const known = tableReads.get(prev);
  if (
    !known ||
    known.options !== options ||
    known.grids.length !== grids.length ||
    known.grids.some((g, i) => g !== grids[i])
  )
    return undefined;
  const { header } = known;
  const grid = header.grid;
  if (!grids.includes(grid)) return undefined;
  const positions: number[] = [];
  for (const e of edits) {
    if (e.sheet !== grid.sheet) return undefined;
    const direct = grid.rows[e.row - 1];
    const p = direct && direct.index === e.row ? e.row - 1 : grid.rows.findIndex((r) => r.index === e.row);
    // Rows right under the header may become a second header row; a partial header may be outdone by a row below.
    if (p < 0 || p <= header.position + 1 || (header.score < 4 && p <= header.position + 31)) return undefined;
    // Cells that gave a column its role, or may now give one.
    if (header.probe && p <= header.probe.to) return undefined;
    positions.push(p);
  }
  const table = replayTable(known.table, positions);
  return table && tableRead(grids, header, known.meta, table, options);
}
