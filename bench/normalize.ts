// Normalisation figures: agency resolution for a 2,000-row sheet (cold and warm), timeline parsing,
// text cleaning and legacy-encoding detection over the seed cells. Run: npx tsx bench/normalize.ts
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgencyDirectory } from '../engine/index.js';
import { cleanText, detectLegacyEncoding, encodeLegacy } from '../engine/index.js';
import { parseTimeline } from '../engine/index.js';
import { directoryData } from '../data/index.js';

const seedDir = join(dirname(fileURLToPath(import.meta.url)), '../seeds');
const AGENCY_COLUMNS: Record<string, number[]> = { '000': [3, 4], '001': [4], '002': [4, 5, 6], '004': [1, 2] };
const TIMELINE_COLUMNS: Record<string, number> = { '000': 5, '001': 3, '002': 3, '004': 4 };
const agencyCells: string[] = [];
const timelineCells: string[] = [];
const allCells: string[] = [];
for (const f of readdirSync(seedDir).filter((x) => /^\d{3}_.*\.txt$/.test(x))) {
  const id = f.slice(0, 3);
  for (const line of readFileSync(join(seedDir, f), 'utf8').split('\n')) {
    const cells = line.split('\t');
    allCells.push(...cells);
    if (cells.length < 2) continue;
    for (const c of AGENCY_COLUMNS[id] ?? []) if (cells[c]?.trim()) agencyCells.push(cells[c]);
    const t = TIMELINE_COLUMNS[id];
    if (t !== undefined && cells[t]?.trim()) timelineCells.push(cells[t]);
  }
}

function time(label: string, n: number, fn: () => void): void {
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  console.log(
    `${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms   (${((ms * 1000) / n).toFixed(1)} µs each, n=${n})`,
  );
}

const rows = Array.from({ length: 2000 }, (_, i) => agencyCells[i % agencyCells.length]);
let dir!: AgencyDirectory;
time('build directory (zod validation + index)', 1, () => (dir = AgencyDirectory.fromData(directoryData)));
const at = { province: 'nam-dinh', date: '2023-01-01' };
time(`resolve 2,000 agency cells, cold (${new Set(rows).size} distinct)`, rows.length, () =>
  rows.forEach((c) => dir.resolve(c, at)),
);
time('resolve 2,000 agency cells, warm', rows.length, () => rows.forEach((c) => dir.resolve(c, at)));
time('parseTimeline over the seed timeline cells ×10', timelineCells.length * 10, () => {
  for (let i = 0; i < 10; i++) for (const c of timelineCells) parseTimeline(c, { planYear: 2023 });
});
time('cleanText over every seed cell', allCells.length, () => allCells.forEach((c) => cleanText(c)));
time('detectLegacyEncoding over every seed cell (Unicode)', allCells.length, () =>
  allCells.forEach((c) => detectLegacyEncoding(c)),
);
const legacy = agencyCells.slice(0, 200).map((c) => encodeLegacy(c, 'tcvn3'));
let found = 0;
time('detectLegacyEncoding on 200 TCVN3 cells', legacy.length, () =>
  legacy.forEach((c) => (found += detectLegacyEncoding(c) === 'tcvn3' ? 1 : 0)),
);
console.log(`TCVN3 cells recognised: ${found}/${legacy.length} (cells without accented letters stay undetected)`);
