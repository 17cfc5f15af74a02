// --province as people type it, for every command that takes one (parse, validate, export, consolidate).
import { provinceId, provinces } from '../data/index.js';
import { UsageError } from './usage.js';

/**
 * --province as a person types it ("Khánh Hòa", "khanh hoa", "TP HCM", "Thừa Thiên Huế") → the directory id of
 * that province in the plan year (today without --year); a name that matches nothing is a usage error, since a
 * mistyped province would silently resolve no agency.
 */
export function provinceOption(typed: string | undefined, year?: number): string | undefined {
  if (!typed) return undefined;
  const date = year ? `${year}-01-01` : new Date().toISOString().slice(0, 10);
  const id = provinceId(typed, date);
  if (!id) {
    const known = provinces.filter((p) => !p.validTo || p.validTo >= date).map((p) => p.name);
    throw new UsageError('usage.bad-province', { value: typed, known: known.join(', ') });
  }
  return id;
}
