// The rule catalogue's stable codes and default severities. Codes never change when wording does:
// messages live in engine/messages/{vi,en}.ts keyed by these codes.
import type { Severity } from '../model.js';

export const RULES = {
  // Header and document structure (found by the reader)
  'header.not-found': { severity: 'error', area: 'header' },
  'header.missing-column': { severity: 'error', area: 'header' },
  'header.unknown-column': { severity: 'info', area: 'header' },
  'header.column-by-content': { severity: 'info', area: 'header' },
  'document.truncated': { severity: 'warning', area: 'structure' },
  'row.rejoined': { severity: 'info', area: 'structure' },
  'row.orphan': { severity: 'warning', area: 'structure' },
  'row.group-heading': { severity: 'info', area: 'structure' },
  'row.outline-mixed': { severity: 'warning', area: 'structure' },
  'row.not-placed': { severity: 'info', area: 'structure' },
  'document.after-table': { severity: 'info', area: 'structure' },
  'document.encoding': { severity: 'info', area: 'structure' },
  'document.pdf': { severity: 'info', area: 'structure' },
  // Sections
  'section.missing': { severity: 'warning', area: 'section' },
  'section.unknown-area': { severity: 'warning', area: 'section' },
  'section.out-of-order': { severity: 'info', area: 'section' },
  'section.duplicate-area': { severity: 'warning', area: 'section' },
  // Numbering
  'number.missing': { severity: 'warning', area: 'number' },
  'number.gap': { severity: 'warning', area: 'number' },
  'number.duplicate': { severity: 'error', area: 'number' },
  'number.out-of-order': { severity: 'warning', area: 'number' },
  'product.number-mismatch': { severity: 'warning', area: 'number' },
  // Required fields
  'task.missing': { severity: 'error', area: 'required' },
  'product.missing': { severity: 'warning', area: 'required' },
  'lead.missing': { severity: 'error', area: 'required' },
  'timeline.missing': { severity: 'error', area: 'required' },
  // Agencies
  'agency.unknown': { severity: 'warning', area: 'agency' },
  'agency.superseded': { severity: 'warning', area: 'agency' },
  'agency.dissolved': { severity: 'warning', area: 'agency' },
  'agency.lead-also-support': { severity: 'warning', area: 'agency' },
  'agency.non-canonical': { severity: 'info', area: 'agency' },
  // Timelines
  'timeline.unparsed': { severity: 'warning', area: 'timeline' },
  'timeline.outside-plan-year': { severity: 'warning', area: 'timeline' },
  'timeline.in-product': { severity: 'warning', area: 'timeline' },
  // Content
  'task.duplicate': { severity: 'warning', area: 'content' },
  'text.html': { severity: 'warning', area: 'text' },
  'text.legacy-encoding': { severity: 'error', area: 'text' },
  'text.unnormalized': { severity: 'info', area: 'text' },
  'cell.formula': { severity: 'info', area: 'cell' },
  'cell.formula-text': { severity: 'warning', area: 'cell' },
  'cell.merged': { severity: 'info', area: 'cell' },
} as const satisfies Record<string, { severity: Severity; area: string }>;

export type RuleCode = keyof typeof RULES;
export const RULE_CODES = Object.keys(RULES) as RuleCode[];
