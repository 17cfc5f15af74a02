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

/** The message entry of a code in a locale (Vietnamese when the locale is not registered). */
export function messageEntry(code: RuleCode, locale: Locale = 'vi'): MessageEntry {
  return (tables[locale] ?? vi)[code] ?? vi[code];
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    if (isEmpty(v)) return whole;
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}

/** Hints are advice: a hint whose placeholders cannot all be filled is left out rather than shown half-empty. */
function fillOptional(template: string | undefined, params: Record<string, unknown>): string | undefined {
  if (!template) return undefined;
  for (const m of template.matchAll(/\{(\w+)\}/g)) if (isEmpty(params[m[1]])) return undefined;
  return fill(template, params);
}

/** The label of a rule's fix button in a locale. */
export function fixLabel(code: RuleCode, params: Record<string, unknown> = {}, locale: Locale = 'vi'): string {
  const entry = messageEntry(code, locale);
  const fallback = locale === 'en' ? 'Fix' : 'Sửa';
  return fillOptional(entry.fix, params) ?? fillOptional(messageEntry(code, 'vi').fix, params) ?? fallback;
}

export function makeDiagnostic(
  code: RuleCode,
  location: Location,
  params: Record<string, unknown> = {},
  options: { fix?: Fix; severity?: Severity; locale?: Locale } = {},
): Diagnostic {
  const entry = messageEntry(code, options.locale ?? 'vi');
  const all = { ...params, cell: params.cell ?? location.cell, row: params.row ?? location.row };
  const key = entry.variants ? String(params[entry.variants.param]) : '';
  const variant =
    entry.variants && Object.prototype.hasOwnProperty.call(entry.variants.cases, key)
      ? entry.variants.cases[key]
      : undefined;
  const d: Diagnostic = {
    code,
    severity: options.severity ?? RULES[code].severity,
    message: fill(variant?.message ?? entry.message, all),
    location,
    params,
  };
  const hint = fillOptional(variant?.hint ?? entry.hint, all);
  if (hint) d.hint = hint;
  if (options.fix) d.fix = options.fix;
  return d;
}

/** Re-renders diagnostics in another locale (codes and params are kept, so this is lossless). */
export function localize(diagnostics: Diagnostic[], locale: Locale): Diagnostic[] {
  return diagnostics.map((d) => {
    const params = d.params ?? {};
    const fix = d.fix
      ? { ...d.fix, label: fixLabel(d.code as RuleCode, { ...params, cell: params.cell ?? d.location.cell }, locale) }
      : undefined;
    return makeDiagnostic(d.code as RuleCode, d.location, params, { fix, severity: d.severity, locale });
  });
}
