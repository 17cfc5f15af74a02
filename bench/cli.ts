// `annex validate` on a seed, the whole command as a user runs it (node bin/annex.mjs, the package's "bin",
// which imports dist/runtime/annex.mjs), against a bare `node -e 0` start on the same machine. Target: at most
// 4× the bare start (issue 15).
// The two are run in turn, so that a busy machine slows both alike; medians of RUNS each.
// Run alone with `npm run bench -- cli`. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ANNEX = join(ROOT, 'bin', 'annex.mjs');
const SEED = join(ROOT, 'seeds', '000_683635a77beddbc9.txt');
const RUNS = 11;
const TARGET_RATIO = 4;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeRun(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Exit 1 means the seed has errors (a normal answer); 2 is a failure of the command itself.
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function run(): Promise<void> {
  // Build first, so that the runs measure starts, not the one build after a source change.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-runtime.mjs'), '--if-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const validate = [ANNEX, 'validate', SEED, '--json'];
  timeRun(validate); // the file cache warm for both
  const bare: number[] = [];
  const annex: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(timeRun(['-e', '0']));
    annex.push(timeRun(validate));
  }
  const b = median(bare);
  const a = median(annex);
  const ratio = a / b;
  console.log(`node -e 0 (bare start), median of ${RUNS}: ${b.toFixed(0)} ms`);
  console.log(
    `annex validate seed 000 (--json), whole command, median of ${RUNS}: ${a.toFixed(0)} ms = ${ratio.toFixed(1)}× bare node ` +
      `(target ≤ ${TARGET_RATIO}×) ${ratio <= TARGET_RATIO ? 'ok' : 'MISSED'}`,
  );
}
