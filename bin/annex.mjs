#!/usr/bin/env node
// The `annex` command (package.json "bin"). It runs the compiled CLI, dist/runtime/annex.mjs, which rebuilds
// itself when the sources changed; in a checkout where it was never built (dist/ is not committed), it is
// built here first. A committed file, so `npx annex` finds the command before any build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/runtime/annex.mjs', import.meta.url));
if (!existsSync(compiled)) {
  const build = fileURLToPath(new URL('../scripts/build-runtime.mjs', import.meta.url));
  // child_process loads only here: on every start it would be a noticeable part of one.
  const { spawnSync } = await import('node:child_process');
  const done = spawnSync(process.execPath, [build], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (done.status !== 0) process.exit(2);
}
// Built above when missing (dist/ is not in git).
await import('../dist/runtime/annex.mjs');
