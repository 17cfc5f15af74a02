#!/usr/bin/env node
// The `annex` command as installed: dist/runtime/annex.mjs, the package's "bin". It runs the CLI bundle (one
// CommonJS file built next to it from cli/bin.ts) through a V8 code cache, so that a start neither parses nor
// compiles most of the CLI again: about a fifth less CPU per `annex validate` than loading the same code as a module
// (Node 20 has no code cache for ES modules). In a source checkout it first rebuilds a bundle older than its
// sources, so that `npx annex` never runs old code.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { isStale } from '../scripts/runtime-stale.mjs';

/** File name of the CLI bundle, with its content hash (set by the build): a cache never meets another source. */
declare const ANNEX_BUNDLE: string;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const build = join(root, 'scripts', 'build-runtime.mjs');

/** Rebuilds, then runs the new bundle in a fresh process with the same arguments and exits with its code. */
async function rebuildAndRun(): Promise<never> {
  // child_process loads only here: it is a noticeable part of a start otherwise.
  const { spawnSync } = await import('node:child_process');
  const built = spawnSync(process.execPath, [build], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) process.exit(2);
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 2);
}

/** Written once per bundle, by the first run (the cache then holds the functions that run compiled). */
function saveCache(script: vm.Script, cacheFile: string): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
  } catch {
    // A read-only installation runs without the cache.
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
  }
}

function run(): void {
  const file = join(here, ANNEX_BUNDLE);
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The CommonJS wrapper on the first line keeps the bundle's line numbers in stack traces.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, {
    filename: file,
    // The bundle has no import(): the build turns them into require() (see scripts/build-runtime.mjs).
    cachedData,
  });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => saveCache(script, cacheFile));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, here);
}

if (existsSync(join(here, 'inputs.json')) && existsSync(build) && isStale(root)) await rebuildAndRun();
else run();
