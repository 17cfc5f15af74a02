#!/usr/bin/env node
// The `annex` command as installed: dist/runtime/annex.mjs, the package's "bin". It runs the CLI bundle (one
// CommonJS file built next to it from cli/bin.ts) through a V8 code cache, so that a start neither parses nor
// compiles most of the CLI again: about a fifth less CPU per `annex validate` than loading the same code as a module
// (Node 20 has no code cache for ES modules). In a source checkout it first rebuilds a bundle older than its
// sources, so that `npx annex` never runs old code.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
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

/**
 * Runs the CLI bundle through its code cache. Self-contained (it uses only its arguments): the consolidate worker
 * is started from its source text as a small CommonJS script, so that the worker neither loads this ES module a
 * second time nor resolves its imports (about 25 ms of a worker's start).
 */
function runBundle(req: NodeJS.Require, file: string, dir: string): void {
  const fs = req('node:fs') as typeof import('node:fs');
  const vm = req('node:vm') as typeof import('node:vm');
  const { createRequire } = req('node:module') as typeof import('node:module');
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The CommonJS wrapper on the first line keeps the bundle's line numbers in stack traces.
  const source = `(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, {
    filename: file,
    // The bundle has no import(): the build turns them into require() (see scripts/build-runtime.mjs).
    cachedData,
  });
  if (!cachedData || script.cachedDataRejected) {
    // Written once per bundle, by the first run (the cache then holds the functions that run compiled).
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // A read-only installation runs without the cache.
        try {
          fs.unlinkSync(tmp);
        } catch {
          /* never written */
        }
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dir);
}

/**
 * `annex consolidate` runs in a worker thread whose heap is sized for it from the start: a young generation of 16 MB
 * semi-spaces (V8 starts at 1 MB and grows it) and an old generation that is not marked before 256 MB (the 100 ×
 * 200 bench peaks near 130 MB; larger inputs are collected as usual past it). Reading a hundred workbooks keeps
 * most of what it makes, so with V8's defaults the command spent a tenth of its CPU in about 30 scavenges and two
 * mark-compacts. A heap is configured when its isolate is made: flags set now leave this thread's heap as it is
 * but size the worker's, and a worker starts in about 25 ms of CPU where starting node again costs a whole
 * process (docs/PERFORMANCE.md, "`annex consolidate`"). The worker's output goes through this thread's stdout and
 * stderr in order; its exit code becomes the process's.
 */
function runInWorker(file: string): void {
  v8.setFlagsFromString('--min-semi-space-size=16');
  v8.setFlagsFromString('--initial-old-space-size=256');
  // Piping into `head` closes stdout early; that is not an error (as cli/main.ts says for the other commands).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  // The worker's heap is made when its script runs: the flags go back to their defaults, which V8's code cache is
  // checked against (the CLI's cache then serves every command). A worker's stdout is a pipe to this thread: the
  // CLI reads the terminal's width and colour from it (cli/main.ts), so it is given this thread's.
  const source = `'use strict';
const { workerData } = require('node:worker_threads');
const v8 = require('node:v8');
v8.setFlagsFromString('--min-semi-space-size=0');
v8.setFlagsFromString('--initial-old-space-size=0');
if (workerData.tty) Object.assign(process.stdout, { isTTY: true, columns: workerData.columns });
(${runBundle.toString()})(require, workerData.file, workerData.dir);`;
  const tty = Boolean(process.stdout.isTTY);
  const workerData = { file, dir: here, tty, columns: tty ? process.stdout.columns : undefined };
  const worker = new Worker(source, { eval: true, argv: process.argv.slice(2), workerData });
  worker.on('error', (e) => {
    // The CLI catches its own errors (cli/main.ts); this is the worker itself failing (out of memory).
    process.stderr.write(`Lỗi: ${e.message}\nError: ${e.message}\n`);
    process.exitCode = 2;
  });
  worker.on('exit', (code) => {
    process.exitCode ||= code;
  });
}

const bundle = join(here, ANNEX_BUNDLE);
if (existsSync(join(here, 'inputs.json')) && existsSync(build) && isStale(root)) await rebuildAndRun();
else if (process.argv[2] === 'consolidate') runInWorker(bundle);
else runBundle(createRequire(import.meta.url), bundle, here);
