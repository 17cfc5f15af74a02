// The annex model and the validation report, as zod schemas (types are inferred from them).
// Everything the add-ins, the server and the CLI exchange is one of these plain-data shapes.
import { z } from 'zod';
import { AREA_CODES, FIELDS } from './vocab/codes.js';

/**
 * Keys that all hold the same kind of value (counts, texts, times): one line per kind of value rather than one per
 * key, for the schemas that are lists of counts or of texts (`z.object(same(z.number().int(), 'errors', 'warnings'))`).
 */
export function same<T extends z.ZodType, const K extends string>(type: T, ...keys: K[]): { [P in K]: T } {
  return Object.fromEntries(keys.map((k) => [k, type])) as { [P in K]: T };
}

// ---------------------------------------------------------------------------------------------
// Input: a grid of cells, produced by an adapter (xlsx, csv, text, docx, Excel, Sheets).
// The engine never touches files; adapters turn bytes into grids.
// ---------------------------------------------------------------------------------------------

export const GridCellSchema = z.object({
  /** Cell text as the user sees it (formula results already evaluated by the adapter). */
  text: z.string(),
  /** The formula, when the cell holds one (without the leading "="). */
  formula: z.string().optional(),
  /** True when the cell is covered by a merged range and is not its top-left cell. */
  mergedInto: z.string().optional(),
});
export type GridCell = z.infer<typeof GridCellSchema>;

export const GridRowSchema = z.object({
  /** 1-based row number in the sheet, or 1-based line number in a text file. */
  index: z.number().int().positive(),
  cells: z.array(GridCellSchema),
});
export type GridRow = z.infer<typeof GridRowSchema>;

export const GridSchema = z.object({
  /** Sheet name; for text/csv inputs the file name. */
  sheet: z.string(),
  /** 'sheet' for spreadsheets/csv/docx tables; 'text' when rows are lines of a text document. */
  kind: z.enum(['sheet', 'text']),
  rows: z.array(GridRowSchema),
  /** Merged ranges in A1 notation ("A5:A7"), when the source has them. */
  merges: z.array(z.string()).optional(),
  /** How the file's text was decoded, when not UTF-8/UTF-16 ("windows-1258"), so the reader can say so. */
  encoding: z.string().optional(),
  /** The file format the grid came from, when it changes how rows were rebuilt ("pdf"). */
  format: z.string().optional(),
  /**
   * A Word document's tables, in document order, as the grid rows each one spans (1-based, inclusive): the rows
   * are the document's blocks, so row 309 is "bảng 2, hàng 14" to an officer looking at the document.
   */
  tables: z.array(z.object({ first: z.number().int().positive(), last: z.number().int().positive() })).optional(),
});
export type Grid = z.infer<typeof GridSchema>;

// ---------------------------------------------------------------------------------------------
// Locations: every value keeps where it came from.
// ---------------------------------------------------------------------------------------------

export const LocationSchema = z.object({
  sheet: z.string(),
  /** 1-based row (sheet) or line (text). */
  row: z.number().int(),
  /** 1-based column index, when the location is a cell. */
  column: z.number().int().optional(),
  /** A1 address ("C12"), when the location is a cell. */
  cell: z.string().optional(),
  /** For text inputs: the 1-based line (same as row). */
  line: z.number().int().optional(),
});
export type Location = z.infer<typeof LocationSchema>;

// ---------------------------------------------------------------------------------------------
// Columns: what each header column means.
// ---------------------------------------------------------------------------------------------

/** What a header column means; the list lives in vocab/codes.ts. */
export const FieldSchema = z.enum(FIELDS);
export type Field = z.infer<typeof FieldSchema>;

export const ColumnSchema = z.object({
  index: z.number().int().positive(), // 1-based column
  header: z.string(), // header text as written
  field: FieldSchema.nullable(), // null = unknown column, kept and reported
});
export type Column = z.infer<typeof ColumnSchema>;

// ---------------------------------------------------------------------------------------------
// Normalised values.
// ---------------------------------------------------------------------------------------------

export const AgencyRefSchema = z.object({
  /** The text as the officer wrote it (one item after list splitting). */
  text: z.string(),
  /** Directory id of the agency or group, when resolved. */
  id: z.string().optional(),
  /** Canonical name, when resolved. */
  name: z.string().optional(),
  kind: z.enum(['agency', 'group', 'unknown']),
  /** When the written agency was succeeded (e.g. Sở TT&TT → Sở KH&CN), the successor's id and name. */
  successor: z.object({ id: z.string(), name: z.string(), since: z.string() }).optional(),
  /** For unknown names: ranked suggestions from the directory. */
  suggestions: z.array(z.object({ id: z.string(), name: z.string(), score: z.number() })).optional(),
});
export type AgencyRef = z.infer<typeof AgencyRefSchema>;

export const TimelineSchema = z.object({
  kind: z.enum(['date', 'period', 'recurring', 'conditional', 'unknown', 'empty']),
  /** ISO date (yyyy-mm-dd) when the work starts, if stated. */
  start: z.string().optional(),
  /** ISO date (yyyy-mm-dd) of the deadline / end of period, if stated. */
  due: z.string().optional(),
  /** For recurring: 'continuous' (thường xuyên), 'yearly', 'half-yearly', 'quarterly', 'monthly'. */
  recurrence: z.string().optional(),
  /** For conditional: what the timeline depends on ("văn bản hướng dẫn của Trung ương"). */
  condition: z.string().optional(),
  /** For conditional: the offset after the condition ("P2M" = 2 months). */
  offset: z.string().optional(),
  /** The officer's text, unchanged. */
  text: z.string(),
});
export type Timeline = z.infer<typeof TimelineSchema>;

// ---------------------------------------------------------------------------------------------
// The annex.
// ---------------------------------------------------------------------------------------------

export const ProductSchema = z.object({
  /** Sub-number as written ("1.2."), if any. */
  number: z.string().optional(),
  text: z.string(),
  lead: z.array(AgencyRefSchema).default([]),
  support: z.array(AgencyRefSchema).default([]),
  timeline: TimelineSchema.optional(),
  source: LocationSchema,
});
export type Product = z.infer<typeof ProductSchema>;

export const TaskSchema = z.object({
  /** Stable identity for two-way sync (assigned by the server); absent until then. */
  id: z.string().optional(),
  /** Task number as written ("1", "12"), normalised without trailing dot. */
  number: z.string(),
  /** Task text (HTML stripped, whitespace collapsed; original kept in `raw`). */
  task: z.string(),
  products: z.array(ProductSchema),
  lead: z.array(AgencyRefSchema),
  support: z.array(AgencyRefSchema),
  monitor: z.array(AgencyRefSchema).optional(),
  approval: z.string().optional(),
  timeline: TimelineSchema,
  note: z.string().optional(),
  /** Unknown columns' values, by header text. */
  extra: z.record(z.string(), z.string()).optional(),
  /** First row of the task. */
  source: LocationSchema,
  /** All source rows of the task (task row, product rows, continuation rows). */
  rows: z.array(z.number().int()),
  /** Raw cell texts of the first row by field, as the officer wrote them. */
  raw: z.record(z.string(), z.string()).optional(),
  /** The numbered heading the task sits under in an outline ("1. Hoàn thiện thể chế" above tasks 1.1, 1.2). */
  group: z.string().optional(),
});
export type Task = z.infer<typeof TaskSchema>;

/** Reform areas of Nghị quyết 76/NQ-CP; the list lives in vocab/codes.ts, the titles in data/reform-areas.json. */
export const AreaCodeSchema = z.enum(AREA_CODES);
export type AreaCode = z.infer<typeof AreaCodeSchema>;

export const SectionSchema = z.object({
  /** Roman numeral as written ("I", "II"). */
  numeral: z.string(),
  title: z.string(),
  area: AreaCodeSchema.nullable(),
  source: LocationSchema,
  tasks: z.array(TaskSchema),
  /** The lettered part ("A. NHIỆM VỤ TRỌNG TÂM") above the section, in annexes with parts. */
  part: z.object({ numeral: z.string(), title: z.string() }).optional(),
});
export type Section = z.infer<typeof SectionSchema>;

export const MetaSchema = z.object({
  province: z.string().optional(), // directory id of the province ("nam-dinh")
  provinceName: z.string().optional(),
  issuer: z.string().optional(), // "UBND tỉnh Khánh Hòa"
  docType: z.string().optional(), // "KH", "QĐ"
  docNumber: z.string().optional(), // "3604/QĐ-UBND"
  docDate: z.string().optional(), // ISO date
  planYear: z.number().int().optional(),
  title: z.string().optional(),
  /** Which reader produced the model: a table layout or the prose-steps reader. */
  layout: z.enum(['table', 'prose']).optional(),
  /** What the annex lists: tasks (the default) or targets ("Chỉ tiêu" tables: no product or timeline column needed). */
  kind: z.enum(['tasks', 'targets']).optional(),
  /** Header row(s) as found, with the field each column was mapped to. */
  columns: z.array(ColumnSchema).optional(),
  /** Where the annex table starts and ends. */
  sheet: z.string().optional(),
  headerRow: z.number().int().optional(),
});
export type Meta = z.infer<typeof MetaSchema>;

export const AnnexSchema = z.object({
  meta: MetaSchema,
  sections: z.array(SectionSchema),
});
export type Annex = z.infer<typeof AnnexSchema>;

// ---------------------------------------------------------------------------------------------
// Diagnostics and the report.
// ---------------------------------------------------------------------------------------------

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const CellEditSchema = z.object({
  ...same(z.string(), 'sheet', 'cell', 'to'),
  ...same(z.number().int().positive(), 'row', 'column'),
  /** Value before the fix (for preview and for refusing stale fixes). */
  from: z.string(),
});
export type CellEdit = z.infer<typeof CellEditSchema>;

export const FixSchema = z.object({
  /** Short Vietnamese label for the button ("Chuyển sang cột Thời gian"). */
  label: z.string(),
  edits: z.array(CellEditSchema),
});
export type Fix = z.infer<typeof FixSchema>;

export const DiagnosticSchema = z.object({
  /** Stable rule code, e.g. "timeline.in-product". Never changes when wording does. */
  code: z.string(),
  severity: SeveritySchema,
  /** Message rendered from the locale table (Vietnamese by default). */
  message: z.string(),
  hint: z.string().optional(),
  location: LocationSchema,
  /** Values the message quotes (the officer's own text, the expected number...). */
  params: z.record(z.string(), z.unknown()).optional(),
  fix: FixSchema.optional(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

export const ReportSchema = z.object({
  meta: MetaSchema,
  sections: z.array(SectionSchema),
  diagnostics: z.array(DiagnosticSchema),
  stats: z.object(same(z.number().int(), 'sections', 'tasks', 'products', 'errors', 'warnings', 'infos')),
});
export type Report = z.infer<typeof ReportSchema>;

/** JSON Schemas of the model and the report, for API docs and other tools. */
export function jsonSchemas(): Record<string, unknown> {
  return {
    Annex: z.toJSONSchema(AnnexSchema, { io: 'input', unrepresentable: 'any' }),
    Report: z.toJSONSchema(ReportSchema, { io: 'input', unrepresentable: 'any' }),
    Grid: z.toJSONSchema(GridSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
