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

/** Each family of rules: where it looks, the function that emits its codes, and which of them offer a fix. */
const FAMILIES: {
  family: Family;
  scope: Scope;
  codes: RuleCode[];
  /** The codes whose diagnostics carry a one-click fix; all of them when `true`. */
  fixable?: true | RuleCode[];
  check?: RowRule | GroupRule | TableRule;
}[] = [
  {
    // The reader emits these while it reads; no rule function.
    family: 'reader',
    scope: 'reader',
    codes: [
      ...(['header.not-found', 'header.missing-column', 'header.unknown-column', 'header.column-by-content'] as const),
      ...(['row.rejoined', 'row.orphan', 'row.group-heading', 'row.outline-mixed', 'row.not-placed'] as const),
      ...(['document.truncated', 'document.after-table', 'document.encoding', 'document.pdf'] as const),
    ],
  },
  {
    family: 'sections',
    scope: 'table',
    check: checkSections,
    codes: ['section.missing', 'section.unknown-area', 'section.out-of-order', 'section.duplicate-area'],
  },
  {
    family: 'numbering',
    scope: 'table',
    check: checkNumbering,
    fixable: true,
    codes: ['number.missing', 'number.gap', 'number.duplicate', 'number.out-of-order'],
  },
  { family: 'numbering', scope: 'task', check: checkProductNumbers, fixable: true, codes: ['product.number-mismatch'] },
  {
    family: 'required',
    scope: 'task',
    check: checkRequired,
    codes: ['task.missing', 'product.missing', 'lead.missing', 'timeline.missing'],
  },
  {
    family: 'agencies',
    scope: 'task',
    check: checkAgencies,
    fixable: ['agency.superseded', 'agency.dissolved', 'agency.lead-also-support', 'agency.non-canonical'],
    codes: [
      'agency.unknown',
      'agency.superseded',
      'agency.dissolved',
      'agency.lead-also-support',
      'agency.non-canonical',
    ],
  },
  {
    family: 'timelines',
    scope: 'task',
    check: checkTimelines,
    fixable: ['timeline.in-product'],
    codes: ['timeline.unparsed', 'timeline.outside-plan-year', 'timeline.in-product'],
  },
  { family: 'duplicates', scope: 'table', check: checkDuplicates, codes: ['task.duplicate'] },
  {
    family: 'text',
    scope: 'cell',
    check: checkRowText,
    fixable: true,
    codes: ['text.html', 'text.legacy-encoding', 'text.unnormalized'],
  },
  // The reader reports these when it sees them; the cell rules fill in for readers that do not.
  { family: 'cells', scope: 'cell', check: checkRowFormulas, codes: ['cell.formula'] },
  { family: 'cells', scope: 'table', check: checkMerges, codes: ['cell.merged'] },
  { family: 'cells', scope: 'cell', check: checkRowFormulaText, codes: ['cell.formula-text'] },
];

const FAMILY_OF = new Map(FAMILIES.flatMap((f) => f.codes.map((code) => [code, f] as const)));

export const CATALOGUE: RuleInfo[] = RULE_CODES.map((code) => {
  const f = FAMILY_OF.get(code);
  // Every code of the message table belongs to a family: a new code without one fails at load, in every test.
  if (!f) throw new Error(`rule code ${code} has no family in engine/rules/catalogue.ts`);
  const fixable = f.fixable === true || (f.fixable?.includes(code) ?? false);
  return { code, severity: RULES[code].severity, family: f.family, scope: f.scope, fixable, check: f.check };
});

export function ruleInfo(code: string): RuleInfo | undefined {
  return CATALOGUE.find((r) => r.code === code);
}
