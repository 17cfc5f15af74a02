// The rule catalogue: every code, its severity, its family, whether it offers a fix, and the function that
// checks it. Codes found while reading (header.*, row.*, document.*) are checked by the reader.
import type { Severity } from '../model.js';
import { RULES, RULE_CODES, type RuleCode } from './codes.js';
import type { GroupRule, RuleContext, TableRule } from './facts.js';
import type { Diagnostic } from '../model.js';
import { checkRowText } from './text.js';
import { checkMerges, checkRowFormulaText, checkRowFormulas } from './cells.js';
import { checkRequired } from './required.js';
import { checkAgencies } from './agencies.js';
import { checkTimelines } from './timelines.js';
import { checkNumbering, checkProductNumbers } from './numbering.js';
import { checkSections } from './sections.js';
import { checkDuplicates } from './duplicates.js';

export type RowRule = (rc: RuleContext, sheet: string, row: number, out: Diagnostic[]) => void;

/** Cell-level rules, run per table row; cached by the row's content. */
export const ROW_RULES: RowRule[] = [checkRowText, checkRowFormulas, checkRowFormulaText];
/** Task-level rules, run per task (task row, product rows, continuation rows); cached by the task's content. */
export const GROUP_RULES: GroupRule[] = [checkRequired, checkTimelines, checkAgencies, checkProductNumbers];
/** Table-level rules, rerun on every validation (cheap: they work on numbers, titles and cached tokens). */
export const TABLE_RULES: TableRule[] = [checkNumbering, checkSections, checkDuplicates, checkMerges];

export type Family =
  'reader' | 'sections' | 'numbering' | 'required' | 'agencies' | 'timelines' | 'duplicates' | 'text' | 'cells';
export type Scope = 'reader' | 'cell' | 'task' | 'table';

export interface RuleInfo {
  code: RuleCode;
  severity: Severity;
  family: Family;
  scope: Scope;
  /** True when diagnostics of this code carry a one-click fix (when the cell text allows a safe edit). */
  fixable: boolean;
  /** The function that emits the code; undefined for codes the reader emits. */
  check?: RowRule | GroupRule | TableRule;
}

const FAMILY: Record<RuleCode, [Family, Scope, boolean, (RowRule | GroupRule | TableRule)?]> = {
  'header.not-found': ['reader', 'reader', false],
  'header.missing-column': ['reader', 'reader', false],
  'header.unknown-column': ['reader', 'reader', false],
  'document.truncated': ['reader', 'reader', false],
  'row.rejoined': ['reader', 'reader', false],
  'row.orphan': ['reader', 'reader', false],
  'row.group-heading': ['reader', 'reader', false],
  'row.outline-mixed': ['reader', 'reader', false],
  'row.not-placed': ['reader', 'reader', false],
  'document.after-table': ['reader', 'reader', false],
  'document.encoding': ['reader', 'reader', false],
  'document.pdf': ['reader', 'reader', false],
  'section.missing': ['sections', 'table', false, checkSections],
  'section.unknown-area': ['sections', 'table', false, checkSections],
  'section.out-of-order': ['sections', 'table', false, checkSections],
  'section.duplicate-area': ['sections', 'table', false, checkSections],
  'number.missing': ['numbering', 'table', true, checkNumbering],
  'number.gap': ['numbering', 'table', true, checkNumbering],
  'number.duplicate': ['numbering', 'table', true, checkNumbering],
  'number.out-of-order': ['numbering', 'table', true, checkNumbering],
  'product.number-mismatch': ['numbering', 'task', true, checkProductNumbers],
  'task.missing': ['required', 'task', false, checkRequired],
  'product.missing': ['required', 'task', false, checkRequired],
  'lead.missing': ['required', 'task', false, checkRequired],
  'timeline.missing': ['required', 'task', false, checkRequired],
  'agency.unknown': ['agencies', 'task', false, checkAgencies],
  'agency.superseded': ['agencies', 'task', true, checkAgencies],
  'agency.dissolved': ['agencies', 'task', true, checkAgencies],
  'agency.lead-also-support': ['agencies', 'task', true, checkAgencies],
  'agency.non-canonical': ['agencies', 'task', true, checkAgencies],
  'timeline.unparsed': ['timelines', 'task', false, checkTimelines],
  'timeline.outside-plan-year': ['timelines', 'task', false, checkTimelines],
  'timeline.in-product': ['timelines', 'task', true, checkTimelines],
  'task.duplicate': ['duplicates', 'table', false, checkDuplicates],
  'text.html': ['text', 'cell', true, checkRowText],
  'text.legacy-encoding': ['text', 'cell', true, checkRowText],
  'text.unnormalized': ['text', 'cell', true, checkRowText],
  // The reader reports these when it sees them; the cell rules fill in for readers that do not.
  'cell.formula': ['cells', 'cell', false, checkRowFormulas],
  'cell.merged': ['cells', 'table', false, checkMerges],
  'cell.formula-text': ['cells', 'cell', false, checkRowFormulaText],
};

export const CATALOGUE: RuleInfo[] = RULE_CODES.map((code) => {
  const [family, scope, fixable, check] = FAMILY[code];
  return { code, severity: RULES[code].severity, family, scope, fixable, check };
});

export function ruleInfo(code: string): RuleInfo | undefined {
  return CATALOGUE.find((r) => r.code === code);
}
