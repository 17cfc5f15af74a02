// Shared by the io tests: seeds on disk and an annex comparison that ignores where values came from
// by sheet name only (a text file's grid is named after the file, an xlsx sheet after the sheet).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Annex } from '../../engine/model.js';

export const SEEDS_DIR = join(import.meta.dirname, '..', '..', 'seeds');

export const seeds = readdirSync(SEEDS_DIR)
  .filter((f) => /^\d{3}_.*\.txt$/.test(f))
  .sort()
  .map((name) => ({ name, bytes: readFileSync(join(SEEDS_DIR, name)) }));

/** The annex with every `sheet` (and text-only `line`) removed from locations and meta. */
export function withoutSheet(annex: Annex): unknown {
  return JSON.parse(JSON.stringify(annex, (key, value) => (key === 'sheet' || key === 'line' ? undefined : value)));
}

/** Counts that make a failure message readable before the deep diff. */
export function shape(annex: Annex): string {
  const tasks = annex.sections.flatMap((s) => s.tasks);
  return `${annex.sections.length}/${tasks.length}/${tasks.reduce((a, t) => a + t.products.length, 0)}`;
}
