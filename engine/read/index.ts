// Grid[] → Annex. STUB (foundation): the read owner replaces readAnnex; textToGrid is final.
import type { Annex, Diagnostic, Grid } from '../model.js';
import type { AgencyDirectory } from '../normalize/agency.js';

export interface ReadOptions {
  directory?: AgencyDirectory;
  province?: string;
  planYear?: number;
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
}

/** A text document as rows: one line per row, tab-separated cells. */
export function textToGrid(text: string, name: string): Grid {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  return {
    sheet: name,
    kind: 'text',
    rows: lines.map((line, i) => ({ index: i + 1, cells: line.split('\t').map((t) => ({ text: t })) })),
  };
}

export function readAnnex(_grids: Grid[], _options: ReadOptions = {}): ReadResult {
  throw new Error('readAnnex: not implemented yet');
}
