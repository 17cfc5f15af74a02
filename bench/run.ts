// `npm run bench`: runs every bench/*.ts that exports `run()` (engine first), or only those named on
// the command line (`npm run bench -- engine server`). A bench that is missing or fails is reported
// and skipped; the others still run. Files starting with "_" are scratch and never run.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FIRST = ['engine'];

function available(): string[] {
  const names = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3));
  return [...FIRST.filter((n) => names.includes(n)), ...names.filter((n) => !FIRST.includes(n)).sort()];
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all = available();
  const names = wanted.length ? wanted : all;
  let failed = 0;
  for (const name of names) {
    console.log(`\n=== bench: ${name} ===`);
    if (!all.includes(name)) {
      console.log(`(bench/${name}.ts not present; skipped)`);
      continue;
    }
    const started = performance.now();
    try {
      const mod = (await import(pathToFileURL(`${here}/${name}.ts`).href)) as { run?: () => Promise<unknown> };
      if (typeof mod.run === 'function') await mod.run();
      else console.log(`(bench/${name}.ts exports no run(); whatever it printed on import is its output)`);
    } catch (e) {
      failed++;
      console.log(`bench ${name} failed: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
    }
    console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  if (failed) process.exitCode = 1;
}

await main();
