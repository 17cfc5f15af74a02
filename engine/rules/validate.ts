// Full and incremental validation. STUB (foundation): the rules owner replaces the bodies.
import type { Grid, Report, Fix } from '../model.js';
import type { AgencyDirectory } from '../normalize/agency.js';
import type { ReadResult } from '../read/index.js';

export interface ValidateContext {
  directory?: AgencyDirectory;
  province?: string;
  planYear?: number;
  /** ISO date at which agency names are resolved (defaults to 1 Jan of the plan year). */
  date?: string;
  locale?: 'vi' | 'en';
}

export interface CellUpdate {
  sheet: string;
  row: number;
  column: number;
  text: string;
  formula?: string;
}

export interface ValidationSession {
  report(): Report;
  update(edits: CellUpdate[]): Report;
  grids(): Grid[];
}

export function validate(_result: ReadResult, _ctx: ValidateContext = {}): Report {
  throw new Error('validate: not implemented yet');
}

export function createSession(_grids: Grid[], _ctx: ValidateContext = {}): ValidationSession {
  throw new Error('createSession: not implemented yet');
}

export function applyFixes(grids: Grid[], _fixes: Fix[]): Grid[] {
  return grids;
}
