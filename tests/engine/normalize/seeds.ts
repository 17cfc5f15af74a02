// Seed documents as cells: every tab-separated cell of every seed line (and the prose lines of seed 003).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEED_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../seeds');

export function seedFiles(): { name: string; text: string }[] {
  return readdirSync(SEED_DIR)
    .filter((f) => /^\d{3}_.*\.txt$/.test(f))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(SEED_DIR, name), 'utf8') }));
}

export function seed(prefix: string): string {
  const f = seedFiles().find((s) => s.name.startsWith(prefix));
  if (!f) throw new Error(`seed ${prefix} not found in ${SEED_DIR}`);
  return f.text;
}

/** Distinct non-empty cells of the given (0-based) columns of a seed's table lines. */
export function seedColumn(prefix: string, columns: number[]): string[] {
  const out = new Set<string>();
  for (const line of seed(prefix).split('\n')) {
    if (!line.includes('\t')) continue;
    const cells = line.split('\t');
    for (const c of columns) {
      const t = (cells[c] ?? '').trim();
      if (t) out.add(t);
    }
  }
  return [...out];
}
