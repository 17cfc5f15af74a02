// Server report rebuild from stored versions: a round on a temporary SQLite file with 100 agencies' annexes of
// 200 tasks each (the shared generator's files, submitted once through the domain), then buildReport() timed.
// The rebuild reads the stored parsed annexes (no file is read again), consolidates and stores the report.
// Target (issue 12): < 1 s. Run: `npm run bench -- report-rebuild`. Prints figures; asserts nothing.
import { benchServer } from './server-setup.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileToGrids } from '../io/index.js';
import { buildReport } from '../server/domain/reports.js';
import { submit } from '../server/domain/submissions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '..', 'shared', 'bench');
const TARGET = 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  const files = join(tmpdir(), 'phuluc-bench-annex100');
  if (!existsSync(files) || readdirSync(files).filter((n) => n.endsWith('.xlsx')).length !== 100) {
    if (!existsSync(join(shared, 'gen_annexes.py'))) {
      console.log('report rebuild: skipped (needs ../shared/bench/gen_annexes.py and python3 with openpyxl)');
      return;
    }
    mkdirSync(files, { recursive: true });
    const g = spawnSync(
      'python3',
      [join(shared, 'gen_annexes.py'), '--agencies', '100', '--rows', '200', '--out', files],
      { encoding: 'utf8' },
    );
    if (g.status !== 0) throw new Error(`gen_annexes.py failed: ${g.stderr.trim().split('\n').pop()}`);
  }
  const names = readdirSync(files)
    .filter((n) => n.endsWith('.xlsx'))
    .sort();
  const agencies = names.map((n, i) => ({ id: `nam-dinh.bench-${i + 1}`, name: n.replace(/\.xlsx$/, '') }));
  const bench = await benchServer('rebuild', { title: 'Đo hiệu năng tổng hợp', agencies });
  const { s, admin, round } = bench;
  try {
    let t = performance.now();
    for (const [i, name] of names.entries()) {
      const grids = await readFileToGrids(readFileSync(join(files, name)), name);
      await submit(s, admin, round.id, { grids, source: 'upload', fileName: name, agencyId: agencies[i].id });
    }
    const submitMs = performance.now() - t;
    const times: number[] = [];
    const cpus: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      const cpu0 = process.cpuUsage();
      t = performance.now();
      const summary = await buildReport(s, admin, round.id, 'latest');
      times.push(performance.now() - t);
      const cpu = process.cpuUsage(cpu0);
      cpus.push((cpu.user + cpu.system) / 1000);
      rows = summary.stats.tasks;
    }
    const ms = median(times);
    console.log(
      `report rebuild from stored versions, ${names.length} agencies (${rows} rows; submitting them took ${(submitMs / 1000).toFixed(1)} s):`,
    );
    console.log(
      `  ${ms.toFixed(0)} ms wall, ${median(cpus).toFixed(0)} ms CPU (median of 3)  target < ${TARGET} ms: ${ms < TARGET ? 'met' : 'MISSED'}`,
    );
  } finally {
    await bench.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
