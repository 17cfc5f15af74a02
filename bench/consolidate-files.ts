// `annex consolidate` end to end on 100 agency xlsx files × 200 tasks, against what an analyst scripts today
// (pandas read_excel + openpyxl write of the same concatenation), in one run: the ratio holds on a shared machine
// where wall times drift. Target (issue 12): the CLI under 0.35× the pandas script.
// The CLI runs as the package's bin (dist/runtime/annex.mjs). Inputs come from the shared generator (../shared/bench/gen_annexes.py, deterministic); both commands are whole
// processes (start-up included), run alternately, medians of BENCH_RUNS (3 by default).
// Run: `npm run bench -- consolidate-files`. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '..', 'shared', 'bench');
const TARGET = 0.35;

function python(): string | null {
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const p = spawnSync(exe, ['-c', 'import pandas, openpyxl'], { encoding: 'utf8' });
    if (p.status === 0) return exe;
  }
  return null;
}

/** Wall time of a whole process; ok when it exits 0 or 1 (1: the inputs have errors, a normal answer) and wrote `out`. */
function timed(cmd: string, args: string[], out: string): { ms: number; ok: boolean; err: string } {
  rmSync(out, { force: true });
  const t = performance.now();
  const p = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ok = (p.status === 0 || p.status === 1) && existsSync(out);
  return { ms: performance.now() - t, ok, err: (p.stderr || '').trim().split('\n').pop() ?? '' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  const py = python();
  if (!py || !existsSync(join(shared, 'gen_annexes.py'))) {
    console.log(
      'annex consolidate vs pandas: skipped (needs python3 with pandas + openpyxl and ../shared/bench/gen_annexes.py)',
    );
    return;
  }
  const dir = join(tmpdir(), 'phuluc-bench-annex100');
  if (!existsSync(dir) || readdirSync(dir).filter((n) => n.endsWith('.xlsx')).length !== 100) {
    mkdirSync(dir, { recursive: true });
    const g = spawnSync(py, [join(shared, 'gen_annexes.py'), '--agencies', '100', '--rows', '200', '--out', dir], {
      encoding: 'utf8',
    });
    if (g.status !== 0) throw new Error(`gen_annexes.py failed: ${g.stderr.trim().split('\n').pop()}`);
  }
  // The CLI as users run it: the package's "bin", the esbuild bundle (built first if stale, not timed).
  execFileSync(process.execPath, [join(root, 'scripts', 'build-runtime.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  const annex = join(root, 'dist', 'runtime', 'annex.mjs');
  const out = join(tmpdir(), 'phuluc-bench-consolidated');
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const cli: number[] = [];
  const pandas: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = timed(process.execPath, [annex, 'consolidate', dir, '--out', `${out}.xlsx`], `${out}.xlsx`);
    if (!a.ok) throw new Error(`annex consolidate failed: ${a.err}`);
    cli.push(a.ms);
    const b = timed(py, [join(shared, 'consolidate_pandas.py'), dir, `${out}-pandas.xlsx`], `${out}-pandas.xlsx`);
    if (!b.ok) throw new Error(`consolidate_pandas.py failed: ${b.err}`);
    pandas.push(b.ms);
  }
  const c = median(cli);
  const p = median(pandas);
  const ratio = c / p;
  console.log(`annex consolidate, 100 xlsx × 200 tasks, end to end: ${c.toFixed(0)} ms (median of ${runs})`);
  console.log(`pandas + openpyxl, same files, end to end:          ${p.toFixed(0)} ms`);
  console.log(`ratio ${ratio.toFixed(2)}×  target < ${TARGET}×: ${ratio < TARGET ? 'met' : 'MISSED'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
