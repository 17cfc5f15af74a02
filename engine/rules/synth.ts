// When validate() gets a ReadResult without the grids it was read from, the cell rules would have nothing to
// look at. This rebuilds the table's cells from the model: task rows exactly (the reader keeps their raw cell
// texts), product rows approximately (cleaned text, agencies re-joined). Fixes are kept only where the cell
// text is exact, so a fix never carries a guessed `from`.
import type { Field, Grid, GridCell, GridRow } from '../model.js';
import type { ReadResult } from '../read/index.js';

export interface SynthesizedGrids {
  grids: Grid[];
  /** "sheet\u0001row" of rows whose cell texts are exactly the source's. */
  exactRows: Set<string>;
}

export function gridsFromResult(result: ReadResult): SynthesizedGrids | undefined {
  const { annex } = result;
  const columns = annex.meta.columns;
  if (!columns?.length || annex.meta.layout === 'prose') return undefined;
  const width = Math.max(...columns.map((c) => c.index));
  const colOf = (f: Field) => columns.find((c) => c.field === f)?.index;
  const sheets = new Map<string, Map<number, GridCell[]>>();
  const exactRows = new Set<string>();
  const rowOf = (sheet: string, row: number): GridCell[] => {
    let rows = sheets.get(sheet);
    if (!rows) sheets.set(sheet, (rows = new Map()));
    let cells = rows.get(row);
    if (!cells) rows.set(row, (cells = Array.from({ length: width }, () => ({ text: '' }))));
    return cells;
  };
  const set = (cells: GridCell[], f: Field, text: string | undefined) => {
    const c = colOf(f);
    if (c !== undefined && text) cells[c - 1] = { text };
  };
  const names = (refs: { text: string }[] | undefined) => (refs ?? []).map((r) => r.text).join(', ');

  const sheet = annex.meta.sheet ?? annex.sections[0]?.source.sheet;
  if (sheet && annex.meta.headerRow) {
    const header = rowOf(sheet, annex.meta.headerRow);
    for (const c of columns) header[c.index - 1] = { text: c.header };
    exactRows.add(`${sheet}\u0001${annex.meta.headerRow}`);
  }
  for (const s of annex.sections) {
    const cells = rowOf(s.source.sheet, s.source.row);
    const numCol = colOf('number');
    const titleCol = s.source.column ?? colOf('task') ?? 1;
    if (numCol !== undefined && numCol !== titleCol) {
      cells[numCol - 1] = { text: s.numeral };
      cells[titleCol - 1] = { text: s.title };
    } else cells[titleCol - 1] = { text: s.numeral ? `${s.numeral}. ${s.title}` : s.title };
    for (const t of s.tasks) {
      const row = rowOf(t.source.sheet, t.source.row);
      // Rows of the task that are neither the task row nor a product row continue it after a page break.
      const continued = t.rows.some((r) => r !== t.source.row && !t.products.some((p) => p.source.row === r));
      if (t.raw) {
        for (const c of columns) {
          const text = c.field ? t.raw[c.field] : t.extra?.[c.header];
          if (text) row[c.index - 1] = { text };
        }
        if (continued) {
          // The raw texts stop at the page break: use the reader's joined values instead.
          set(row, 'task', t.task);
          set(row, 'timeline', t.timeline.text);
          const own = t.products.find((p) => p.source.row === t.source.row);
          if (own) set(row, 'product', own.number ? `${own.number} ${own.text}` : own.text);
        } else exactRows.add(`${t.source.sheet}\u0001${t.source.row}`);
      } else {
        set(row, 'number', t.number);
        set(row, 'task', t.task);
        set(row, 'lead', names(t.lead));
        set(row, 'support', names(t.support));
        set(row, 'timeline', t.timeline.text);
      }
      for (const p of t.products) {
        if (p.source.row === t.source.row && p.source.sheet === t.source.sheet) continue;
        const cells = rowOf(p.source.sheet, p.source.row);
        set(cells, 'product', p.number ? `${p.number} ${p.text}` : p.text);
        set(cells, 'lead', names(p.lead));
        set(cells, 'support', names(p.support));
        set(cells, 'timeline', p.timeline?.text);
      }
    }
  }
  // Text documents keep line numbers in locations: the rebuilt grid must say it is one.
  const kind = annex.sections[0]?.source.line !== undefined ? 'text' : 'sheet';
  const grids: Grid[] = [...sheets].map(([name, rows]) => ({
    sheet: name,
    kind,
    rows: [...rows].sort((a, b) => a[0] - b[0]).map(([index, cells]): GridRow => ({ index, cells })),
  }));
  return { grids, exactRows };
}
