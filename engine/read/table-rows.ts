// What one table row says on its own, without looking at the rows before it: its cell texts, the cleaned
// number and task texts, whether it is a lone paragraph, a section title or a header repeat. These facts
// depend only on the row's cells and the header, so they are cached per row object and checked against the
// row's current cells: a re-read after an edit works out only the rows that changed.
import type { Field, Grid, GridRow } from '../model.js';
import { isHeaderRepeat, isSubHeaderRepeat, type HeaderMatch } from './header.js';
import { clean } from './text.js';
import { matchArea } from '../vocab/index.js';
import { remember } from '../bounded.js';

export const LETTER = /\p{L}/u;
const NON_LETTERS = /[^\p{L}]/gu;
const COLUMN_NUMBER = /^\(?(\d{1,2})\)?$/;
export const ROMAN = /^([IVXLC]+)\s*[.)]?$/;
export const ROMAN_TITLE = /^([IVXLC]+)\s*[.)]\s*(\S[\s\S]*)$/;
export const TASK_NUMBER = /^(\d{1,3})\s*[.)]?$/;
export const SUB_NUMBER = /^(\d{1,3}(?:\.\d{1,3})+)\.?$/;
export const NUMBER_IN_TEXT = /^(\d{1,3})\s*[.)]\s*(?=[\p{L}"“(])([\s\S]+)$/u;
export const PRODUCT_PREFIX = /^(\d{1,3}(?:\.\d{1,3})+\.?)\s*(?=\S)/;
export const LETTER_NUMBER = /^([a-zđ])\s*[.)]$/;
/** A lettered part of an outline ("A", "B.") above its Roman sections. */
export const PART = /^([A-HĐ])\s*[.)]?$/;
export const PART_TITLE = /^([A-HĐ])\s*[.)]\s*(\p{Lu}[\s\S]*)$/u;
/** A decimal item written at the start of the task text ("1.2. Rà soát…"), in tables without a number column. */
export const DECIMAL_IN_TEXT = /^(\d{1,3}(?:\.\d{1,3})+)\.?\s+(?=[\p{L}"“(])([\s\S]+)$/u;

/** What the header says about every row: computed once per read. */
export interface TableLayout {
  header: HeaderMatch;
  grid: Grid;
  isText: boolean;
  col: Partial<Record<Field, number>>;
  width: number;
  headerRaw: string[];
  /** 0-based columns that have a header text. */
  named: Set<number>;
  /** Columns of the fields that make a row more than a title (product, agencies, timeline…). */
  dataCols: number[];
  /** Columns whose text makes a decimal row a task of its own: agencies and timeline. */
  carryCols: number[];
  /** Everything the facts depend on besides the row: a cached entry with another signature is redone. */
  sig: string;
}

/** What one row says without looking at the rows before it. */
export interface RowFacts {
  /** The cells these facts were made from: text and merge mark, to check a cached entry against the row. */
  texts: string[];
  merged: (string | undefined)[];
  /** Cell texts padded to the header's width. */
  raws: string[];
  /** Non-empty cells. */
  own: number;
  /** A paragraph row (one cell of text), and the reform-area section it names, if any. */
  lone: boolean;
  title?: { numeral: string; title: string };
  /** A paragraph row whose text starts in lower case (the rest of a sentence). */
  loneLower?: boolean;
  /** A header row repeated after a page break, or the column-numbering row. */
  repeat: boolean;
  numText: string;
  taskText: string;
  productText: string;
  /** No text in the product, agency and timeline columns. */
  dataEmpty: boolean;
  /** Own text in an agency or timeline column (what makes a decimal row a task, not a product). */
  carries: boolean;
  /** A lone paragraph "II. …" that names no reform area: a section only when table rows follow it. */
  loneRoman?: { numeral: string; title: string };
  /** A lettered part: "A" in the number column, or "A. TITLE" in the number or task column. */
  partNum?: string;
  partTitle?: { numeral: string; title: string };
  /** A decimal number ("2.1") in the number column, or at the start of the task text. */
  decimal?: string;
  decimalInText?: string;
  /** Columns without a header that hold text in this row. */
  unnamed: number[];
  /** What the number and task texts look like (patterns above), worked out once per row content. */
  romanNum?: string;
  romanTitleNum?: { numeral: string; title: string };
  romanTitleTask?: { numeral: string; title: string };
  /** An upper-case reform-area title without a numeral (worked out when first needed). */
  upperArea?: boolean;
  taskNumber?: string;
  subNumber?: boolean;
  inlineNumber?: string;
  taskLower?: boolean;
  productPrefixed?: boolean;
  productLower?: boolean;
}

const signatures = new Map<string, string>();

/** One string object per distinct signature, so signatures compare by reference. */
export function intern(s: string): string {
  const hit = signatures.get(s);
  if (hit !== undefined) return hit;
  return remember(signatures, s, s, 1000);
}

export function tableLayout(header: HeaderMatch): TableLayout {
  const grid = header.grid;
  const isText = grid.kind === 'text';
  const col = header.fieldCol;
  const width = header.keys.length;
  const headerRaw = grid.rows[header.position].cells.map((c) => c.text);
  const named = new Set(header.columns.map((c) => c.index - 1));
  const dataCols = (['product', 'lead', 'support', 'assignment', 'timeline', 'monitor', 'approval'] as Field[])
    .map((f) => col[f])
    .filter((c): c is number => c !== undefined);
  const carryCols = (['lead', 'support', 'assignment', 'timeline'] as Field[])
    .map((f) => col[f])
    .filter((c): c is number => c !== undefined);
  const sig = intern(
    JSON.stringify([isText, width, col, headerRaw, header.keys, header.sub?.keys ?? null, [...named]]),
  );
  return { header, grid, isText, col, width, headerRaw, named, dataCols, carryCols, sig };
}

// Keyed by grid row objects (weak: they go with the grids).
const rowFacts = new WeakMap<GridRow, { sig: string; facts: RowFacts }>();

function sameCells(f: RowFacts, row: GridRow): boolean {
  const cells = row.cells;
  if (cells.length !== f.texts.length) return false;
  for (let i = 0; i < cells.length; i++)
    if (cells[i].text !== f.texts[i] || cells[i].mergedInto !== f.merged[i]) return false;
  return true;
}

/**
 * Whether a read keeps what it works out by grid row for a later read of the same grids (ReadOptions.rememberRows:
 * unset keeps it): the row facts, the built tasks and the rows without formulas.
 */
export function keepsRows(ctx: { rememberRows?: boolean }): boolean {
  return ctx.rememberRows !== false;
}

/**
 * The row's facts: the cached ones when the row's cells are unchanged, else worked out again (and cached, with
 * `remember`).
 */
export function factsOf(layout: TableLayout, row: GridRow, remember = true): RowFacts {
  if (!remember) return computeFacts(layout, row, false);
  const hit = rowFacts.get(row);
  if (hit && hit.sig === layout.sig && sameCells(hit.facts, row)) return hit.facts;
  const facts = computeFacts(layout, row, true);
  rowFacts.set(row, { sig: layout.sig, facts });
  return facts;
}

export function startsLower(text: string): boolean {
  // ASCII first, by code (most texts start with a letter or a digit): LETTER matches only a–z and A–Z there.
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) break;
    if (c >= 97 && c <= 122) return true;
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return false;
  }
  if (i === text.length) return false;
  for (const ch of i ? text.slice(i) : text) {
    if (LETTER.test(ch)) return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
    if (ch >= '0' && ch <= '9') return false;
  }
  return false;
}

export function isBareNumber(raw: string): boolean {
  const t = raw.trim();
  return TASK_NUMBER.test(t) || SUB_NUMBER.test(t) || ROMAN.test(t) || LETTER_NUMBER.test(t);
}

export function isUpperTitle(text: string): boolean {
  const letters = text.replace(NON_LETTERS, '');
  return letters.length > 3 && letters === letters.toUpperCase();
}

/** "1 | 2 | 3 | 4" or "(1) | (2) | (3)" under the header: the column numbering row of official tables. */
function isColumnNumbering(raws: string[]): boolean {
  let expected = 0;
  let count = 0;
  for (const raw of raws) {
    const t = raw.trim();
    if (!t) continue;
    const m = COLUMN_NUMBER.exec(t);
    if (!m) return false;
    const v = Number(m[1]);
    if (count > 0 && v !== expected) return false;
    expected = v + 1;
    count++;
  }
  return count >= 3;
}

/**
 * The cell copies of facts that are not kept: only a kept entry is ever checked against its row (sameCells), so
 * facts made without `remember` share these empty lists instead of two arrays per row.
 */
const UNCHECKED_TEXTS: string[] = [];
const UNCHECKED_MERGED: (string | undefined)[] = [];

function computeFacts(layout: TableLayout, row: GridRow, kept: boolean): RowFacts {
  const { width, isText, header, headerRaw } = layout;
  const raws: string[] = [];
  let own = 0;
  let lastFilled = -1;
  for (let i = 0; i < Math.max(width, row.cells.length); i++) {
    const t = row.cells[i]?.text ?? '';
    raws.push(t);
    if (t.trim()) {
      own++;
      lastFilled = i;
    }
  }
  const facts: RowFacts = {
    texts: kept ? row.cells.map((c) => c.text) : UNCHECKED_TEXTS,
    merged: kept ? row.cells.map((c) => c.mergedInto) : UNCHECKED_MERGED,
    raws,
    own,
    lone: false,
    repeat: false,
    numText: '',
    taskText: '',
    productText: '',
    dataEmpty: true,
    carries: false,
    unnamed: [],
  };
  if (own === 0) return facts;
  // A paragraph between or after table rows (a footnote, the signature after the table): a text
  // line or a Word paragraph is one cell. A section title alone in its row is still a section.
  // In a sheet only the filled cells count: a spreadsheet row reads the same with or without trailing
  // empty cells (xlsx files and the Sheets API trim them, Excel ranges do not). A bare number alone in
  // the first column ("5", "2.1", "II") is a table row the officer is still filling in, never prose; a
  // row with merged cells is part of the table's layout.
  facts.lone =
    width > 1 &&
    (isText
      ? row.cells.length === 1
      : lastFilled === 0 && !isBareNumber(raws[0]) && !row.cells.some((c) => c.mergedInto));
  if (facts.lone) {
    const t = clean(raws[0]);
    const m = ROMAN_TITLE.exec(t);
    // Only reform-area titles: Word paragraphs after the table ("IV. TỔ CHỨC THỰC HIỆN") are prose.
    if (m && m[2].length < 300 && !isText && matchArea(m[2])) {
      facts.title = { numeral: m[1], title: m[2].replace(/\s+/g, ' ').trim() };
      return facts;
    }
    if (m && m[2].length < 200 && !isText) facts.loneRoman = { numeral: m[1], title: m[2].replace(/\s+/g, ' ').trim() };
    const part = isText ? null : PART_TITLE.exec(t);
    if (part && part[2].length < 200)
      facts.partTitle = { numeral: part[1], title: part[2].replace(/\s+/g, ' ').trim() };
    facts.loneLower = startsLower(t);
  } else {
    facts.repeat = isHeaderRepeat(row, header, headerRaw) || isSubHeaderRepeat(row, header) || isColumnNumbering(raws);
    if (facts.repeat) return facts;
  }
  for (let i = 0; i < raws.length; i++)
    if (!layout.named.has(i) && raws[i].trim() && !row.cells[i]?.mergedInto) facts.unnamed.push(i);
  const rawOf = (f: Field): string => (layout.col[f] !== undefined ? (raws[layout.col[f]!] ?? '') : '');
  facts.numText = clean(rawOf('number'));
  facts.taskText = clean(rawOf('task'));
  facts.productText = clean(rawOf('product'));
  for (const c of layout.dataCols) if (raws[c]?.trim()) facts.dataEmpty = false;
  for (const c of layout.carryCols) if (raws[c]?.trim()) facts.carries = true;
  addPatterns(facts);
  return facts;
}

/** What the number, task and product texts look like, for the walk to decide sections, tasks and products. */
function addPatterns(facts: RowFacts): void {
  const { numText, taskText, productText } = facts;
  let m: RegExpExecArray | null;
  if (numText) {
    if ((m = ROMAN.exec(numText))) facts.romanNum = m[1];
    if ((m = ROMAN_TITLE.exec(numText))) facts.romanTitleNum = { numeral: m[1], title: m[2] };
    if ((m = TASK_NUMBER.exec(numText))) facts.taskNumber = String(Number(m[1])); // "01." → "1"
    facts.subNumber = SUB_NUMBER.test(numText) || LETTER_NUMBER.test(numText);
    if (SUB_NUMBER.test(numText)) facts.decimal = numText.replace(/\.$/, '');
    if ((m = PART.exec(numText))) facts.partNum = m[1];
    else if ((m = PART_TITLE.exec(numText)) && m[2].length < 300) facts.partTitle = { numeral: m[1], title: m[2] };
  }
  if (taskText) {
    if ((m = ROMAN_TITLE.exec(taskText)) && m[2].length < 300) facts.romanTitleTask = { numeral: m[1], title: m[2] };
    if ((m = NUMBER_IN_TEXT.exec(taskText))) facts.inlineNumber = m[1];
    facts.taskLower = startsLower(taskText);
    if (!numText && (m = PART_TITLE.exec(taskText)) && m[2].length < 300)
      facts.partTitle = { numeral: m[1], title: m[2] };
    if (!numText && (m = DECIMAL_IN_TEXT.exec(taskText))) facts.decimalInText = m[1];
  }
  if (productText) {
    facts.productPrefixed = PRODUCT_PREFIX.test(productText);
    facts.productLower = startsLower(productText);
  }
}
