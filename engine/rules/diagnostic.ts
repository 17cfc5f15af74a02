// Builds a Diagnostic from a rule code: severity from the catalogue, wording from the locale table.
import type { Diagnostic, Fix, Location, Severity } from '../model.js';
import { RULES, type RuleCode } from './codes.js';
import { vi, type MessageEntry } from '../messages/vi.js';

export type Locale = 'vi' | 'en';
const tables: Partial<Record<Locale, Record<RuleCode, MessageEntry>>> = { vi };

/** Registers another locale table (the English one registers itself on import). */
export function registerLocale(locale: Locale, table: Record<RuleCode, MessageEntry>): void {
  tables[locale] = table;
}

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    if (v === undefined || v === null) return whole;
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}

export function makeDiagnostic(
  code: RuleCode,
  location: Location,
  params: Record<string, unknown> = {},
  options: { fix?: Fix; severity?: Severity; locale?: Locale } = {},
): Diagnostic {
  const entry = (tables[options.locale ?? 'vi'] ?? vi)[code];
  const all = { ...params, cell: params.cell ?? location.cell, row: params.row ?? location.row };
  const d: Diagnostic = {
    code,
    severity: options.severity ?? RULES[code].severity,
    message: fill(entry.message, all),
    location,
    params,
  };
  if (entry.hint) d.hint = fill(entry.hint, all);
  if (options.fix) d.fix = options.fix;
  return d;
}

/** Re-renders diagnostics in another locale (codes and params are kept, so this is lossless). */
export function localize(diagnostics: Diagnostic[], locale: Locale): Diagnostic[] {
  return diagnostics.map((d) =>
    makeDiagnostic(d.code as RuleCode, d.location, d.params ?? {}, { fix: d.fix, severity: d.severity, locale }),
  );
}
