// Finding the annex header row and mapping its columns by meaning.
import type { Column, Field, Grid, GridRow } from '../model.js';
import { foldKey } from '../normalize/text.js';
import { headerField } from '../vocab/index.js';
import type { InferredColumn } from './column-roles.js';
import { clean } from './text.js';

export interface HeaderMatch {
  grid: Grid;
  /** Position of the header row in grid.rows. */
  position: number;
  /** 1-based row number of the header. */
  row: number;
  columns: Column[];
  /** 0-based column of each mapped field (first column wins when two map to one field). */
  fieldCol: Partial<Record<Field, number>>;
  /** Folded header texts by 0-based column, to recognise header rows repeated after page breaks. */
  keys: string[];
  /** A second header row under the first ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"), if any. */
  sub?: { position: number; row: number; keys: string[] };
  score: number;
  /** Unmapped columns that took a role from their cells (column-roles.ts). */
  inferred?: InferredColumn[];
  /** Set when cells under the header were looked at for roles: the last row position looked at. */
  probe?: { to: number };
}

/** Fields mapped by a row's cells; null when the row cannot be a header. */
function mapRow(row: GridRow): { fields: (Field | null)[]; distinct: number; nonEmpty: number } | null {
  const cells = row.cells;
  let nonEmpty = 0;
  for (const c of cells) if (c.text.trim()) nonEmpty++;
  if (nonEmpty < 2) return null;
  const fields: (Field | null)[] = [];
  const seen = new Set<Field>();
  for (const c of cells) {
    const t = c.text.trim();
    const f = t && t.length <= 160 ? headerField(t) : null;
    fields.push(f);
    if (f) seen.add(f);
  }
  return { fields, distinct: seen.size, nonEmpty };
}

/** Fields only an annex's header names (an issue list or a register has a number and a text column too). */
const PLAN_FIELDS: ReadonlySet<Field> = new Set<Field>(['product', 'lead', 'support', 'assignment', 'timeline']);

/** A header-like label: a few words, no digits, no sentence punctuation. */
function isLabel(text: string): boolean {
  const t = text.trim();
  return !t || (t.length <= 30 && t.split(/\s+/).length <= 5 && !/[\d.;:!?]/.test(t));
}

/** The best header row of a grid: most distinct fields, must include the task column; first such row wins. */
export function findHeader(grid: Grid): HeaderMatch | null {
  let best: { position: number; fields: (Field | null)[]; score: number } | null = null;
  let limit = grid.rows.length;
  for (let i = 0; i < limit; i++) {
    const row = grid.rows[i];
    if (row.cells.length < 2) continue;
    const m = mapRow(row);
    if (!m || !m.fields.includes('task')) continue;
    // Most of the row's cells must be headers: a data row that happens to contain "Nội dung" is not a header.
    // Unless three or more are, one of them says what is produced, by whom or when, and the others are short labels
    // too ("Đơn vị", "Mốc thời gian"): their columns may take a role from their cells (column-roles.ts).
    const mapped = m.fields.filter((f) => f !== null).length;
    if (m.distinct < 2) continue;
    if (
      mapped * 2 < m.nonEmpty &&
      (m.distinct < 3 ||
        !m.fields.some((f) => f !== null && PLAN_FIELDS.has(f)) ||
        !row.cells.every((c, j) => m.fields[j] || isLabel(c.text)))
    )
      continue;
    if (!best || m.distinct > best.score) best = { position: i, fields: m.fields, score: m.distinct };
    // A partial header: look a little further for a fuller one, not through the whole table.
    limit = Math.min(limit, best.position + 30);
    if (m.distinct >= 4) break; // a full header; later ones are page-break repeats
  }
  if (!best) return null;
  const row = grid.rows[best.position];
  const fields = best.fields.slice();
  // The reader's memoised clean: the header is found again on every read, and cleanText checks each text for a
  // legacy encoding.
  const texts = row.cells.map((c) => clean(c.text));

  // Two-level header: the next row names sub-columns (every non-empty cell is a header alias,
  // and none is the task column), e.g. "Chủ trì" | "Phối hợp" under a merged "Cơ quan thực hiện".
  let sub: HeaderMatch['sub'];
  const next = grid.rows[best.position + 1];
  if (next) {
    const subFields: (Field | null)[] = [];
    let named = 0;
    let ok = true;
    next.cells.forEach((c, i) => {
      const t = c.text.trim();
      const f = t && t.length <= 80 ? headerField(t) : null;
      subFields.push(f);
      if (!t) return;
      if (!f || f === 'task' || f === 'number' || (texts[i] && foldKey(texts[i]) === foldKey(t))) {
        // A vertically merged header cell repeated in the sub row is fine; anything else is data.
        if (!(texts[i] && foldKey(texts[i]) === foldKey(t))) ok = false;
        return;
      }
      named++;
    });
    if (ok && named > 0) {
      let parent = '';
      next.cells.forEach((c, i) => {
        if (texts[i]) parent = texts[i];
        const f = subFields[i];
        if (!f || f === 'task' || f === 'number') return;
        const t = clean(c.text);
        fields[i] = f;
        texts[i] =
          parent && parent !== t && !texts[i]
            ? `${parent} - ${t}`
            : texts[i] && texts[i] !== t
              ? `${texts[i]} - ${t}`
              : t;
      });
      sub = {
        position: best.position + 1,
        row: next.index,
        keys: next.cells.map((c) => (c.text.trim() ? foldKey(c.text) : '')),
      };
    }
  }

  const columns: Column[] = [];
  const fieldCol: Partial<Record<Field, number>> = {};
  const keys: string[] = [];
  const width = Math.max(row.cells.length, sub ? grid.rows[sub.position].cells.length : 0);
  for (let i = 0; i < width; i++) {
    const header = texts[i] ?? '';
    keys.push(row.cells[i]?.text.trim() ? foldKey(row.cells[i].text) : '');
    if (!header) continue;
    let field = fields[i] ?? null;
    if (field && fieldCol[field] !== undefined) field = null; // second column for one field: kept as unknown
    if (field) fieldCol[field] = i;
    columns.push({ index: i + 1, header, field });
  }
  return { grid, position: best.position, row: row.index, columns, fieldCol, keys, sub, score: best.score };
}

/** True when a row repeats the header (page break): most non-empty header cells equal. */
export function isHeaderRepeat(row: GridRow, header: HeaderMatch, headerRaw: string[]): boolean {
  // Cheap gate on the task column: a data row's task text is rarely as short as its header.
  const tc = header.fieldCol.task;
  if (tc !== undefined) {
    const raw = row.cells[tc]?.text ?? '';
    if (raw !== headerRaw[tc] && (raw.length > headerRaw[tc].length * 3 + 20 || foldKey(raw) !== header.keys[tc]))
      return false;
  }
  let same = 0;
  let total = 0;
  for (let i = 0; i < header.keys.length; i++) {
    if (!header.keys[i]) continue;
    total++;
    const raw = row.cells[i]?.text ?? '';
    if (!raw) continue;
    if (raw === headerRaw[i]) same++;
    else if (raw.length < 200 && foldKey(raw) === header.keys[i]) same++;
  }
  return total > 0 && same >= Math.max(2, Math.ceil(total * 0.6));
}

/** True when a row repeats the second header row ("Chủ trì" | "Phối hợp") after a page break. */
export function isSubHeaderRepeat(row: GridRow, header: HeaderMatch): boolean {
  if (!header.sub) return false;
  let same = 0;
  let total = 0;
  for (let i = 0; i < Math.max(row.cells.length, header.sub.keys.length); i++) {
    const raw = row.cells[i]?.text ?? '';
    const key = header.sub.keys[i] ?? '';
    if (!raw.trim()) continue;
    total++;
    if (key && raw.length < 80 && foldKey(raw) === key) same++;
    else if (!(header.keys[i] && raw.length < 200 && foldKey(raw) === header.keys[i])) return false;
  }
  return total > 0 && same > 0;
}
