// `npm run bench`: runs every bench listed below (engine first), or only those named on the command line
// (`npm run bench -- engine server`). A bench that fails is reported and skipped; the others still run.
// A new bench is a bench/<name>.ts exporting run(), added to this table (a literal import tsc can check).

export type Bench = { run?: () => Promise<unknown> };
const BENCHES: Record<string, () => Promise<Bench>> = {
  engine: () => import('./engine.js'),
  cli: () => import('./cli.js'),
  addin: () => import('./addin.js'),
  consolidate: () => import('./consolidate.js'),
  'consolidate-files': () => import('./consolidate-files.js'),
  grouping: () => import('./grouping.js'),
  normalize: () => import('./normalize.js'),
  read: () => import('./read.js'),
  'report-rebuild': () => import('./report-rebuild.js'),
  reader: () => import('./reader.js'),
  server: () => import('./server.js'),
  sync: () => import('./sync.js'),
  'sheets-edit': () => import('./sheets-edit.js'),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all = Object.keys(BENCHES);
  const names = wanted.length ? wanted : all;
  let failed = 0;
  for (const name of names) {
    console.log(`\n=== bench: ${name} ===`);
    if (!all.includes(name)) {
      console.log(`(no bench named "${name}"; known: ${all.join(', ')})`);
      continue;
    }
    const started = performance.now();
    try {
      const mod = await BENCHES[name]();
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
