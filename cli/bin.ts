#!/usr/bin/env node
// The `annex` command as a process runs it: the entry of the CLI bundle (dist/runtime/annex.mjs, package.json
// "bin") and of `npm run annex` (through tsx, for development).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from '../scripts/runtime-stale.mjs';
import { runFromProcess } from './main.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const build = join(root, 'scripts', 'build-runtime.mjs');

// Run from the bundle inside a source checkout: a source edited since the build would otherwise run as it was.
// Rebuild, then run the new bundle in a fresh process (this one has the old one loaded). child_process loads
// only then: it is a noticeable part of a start otherwise.
if (existsSync(join(here, 'inputs.json')) && existsSync(build) && isStale(root)) {
  const { spawnSync } = await import('node:child_process');
  const built = spawnSync(process.execPath, [build], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) process.exit(2);
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 2);
} else {
  runFromProcess();
}
