// Builds the CLI and the server into JavaScript bundles with esbuild, so that running them compiles nothing:
//   dist/runtime/annex.mjs    the `annex` command (package.json "bin"; cli/launch.ts), which runs
//   dist/runtime/annex-<hash>.cjs   the CLI (cli/bin.ts) through a V8 code cache (annex-<hash>.cjs.cache)
//   dist/runtime/server.mjs   the server (`npm start`, `npm run serve`)
//   dist/runtime/<path>.mjs   one entry per worker file (any `*.worker.ts` under io/ or server/), so that a
//                             worker pool finds its code next to the bundle (server/paths.ts, workerFile)
// npm packages stay external (loaded from node_modules) but for BUNDLED_PACKAGES. Modules that only some paths
// need (the docx and xlsx writers, the template, the consolidate command, googleapis, pdfjs-dist) are reached
// through literal import(): server chunks and CLI code that run, and packages that load, on first use. Plain JavaScript, so that it runs without a TypeScript loader.
//
//   node scripts/build-runtime.mjs            build
//   node scripts/build-runtime.mjs --if-stale build only when a source is newer than the bundle
//   node scripts/build-runtime.mjs --bench-server [--if-stale]   the server bench's copy (dist/bench-server)
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { INPUTS, isStale } from './runtime-stale.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'dist', 'runtime');
/** Files of an earlier build that no entry imports any more are removed after this long: a process started
 *  from that build may still load its lazy chunks meanwhile. */
const KEEP_OLD_MS = 10 * 60 * 1000;
const WORKER_DIRS = ['io', 'server'];
/**
 * npm packages bundled in rather than loaded from node_modules, those that every `annex validate` loads: zod's
 * ESM build alone is a hundred files, and each CommonJS package loaded from ESM costs its own resolution and
 * module-lexer pass; bundled, they cost about a third of that. The others stay external (native modules,
 * packages that read their own files, large writers that load late anyway).
 */
const BUNDLED_PACKAGES = ['zod', 'fuse.js', 'papaparse', 'iconv-lite'];

export { isStale };

function workerEntries() {
  const out = {};
  const walk = (dir) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.worker.ts')) out[rel.slice(0, -'.ts'.length).split(sep).join('/')] = rel;
    }
  };
  for (const d of WORKER_DIRS) walk(d);
  return out;
}

/** Every dependency but BUNDLED_PACKAGES, with its subpaths (`pdfjs-dist/legacy/...`). */
function externals() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
    (n) => !BUNDLED_PACKAGES.includes(n),
  );
  return names.flatMap((n) => [n, `${n}/*`]);
}

/** Writes next to the target then renames: a reader sees the old file or the new one, never half of one. */
function writeAtomic(file, contents) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

/**
 * Removes the files of `dir` that this build did not write, once they are old: a process started on the previous
 * build may still load its chunks.
 */
function removeOldFiles(dir, written) {
  const now = Date.now();
  for (const file of listFiles(dir)) {
    if (written.has(file)) continue;
    try {
      if (now - statSync(file).mtimeMs > KEEP_OLD_MS) rmSync(file, { force: true });
    } catch {
      /* removed meanwhile by another build */
    }
  }
}

/** The options every bundle of the runtime is built with (write: false; the caller writes the files). */
export function commonOptions(outdir = OUT) {
  return {
    absWorkingDir: ROOT,
    outdir,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: externals(),
    sourcemap: 'linked',
    // Less to parse on each start; identifiers kept, so that stack traces (ANNEX_DEBUG=1) stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: 'warning',
  };
}

/** The server's and the workers' build: ES modules, split so that what only some requests need loads on first use. */
export function serverOptions(outdir = OUT) {
  return {
    ...commonOptions(outdir),
    splitting: true,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    // Bundled CommonJS packages (iconv-lite) require node built-ins; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  };
}

/**
 * Builds in memory, then writes into dist/runtime without taking anything away from a process that runs the
 * previous build: chunks and the CLI bundle have content-hashed names and are written first, the entries
 * (annex.mjs, server.mjs, workers) are replaced atomically after them, and files no longer used are removed only
 * once they are old.
 */
export async function buildRuntime() {
  const { build } = await import('esbuild');
  const common = commonOptions();
  const entryPoints = { server: 'server/main.ts', ...workerEntries() };
  const esm = await build({ ...serverOptions(), entryPoints });
  // The CLI: one CommonJS file, which cli/launch.ts runs through a V8 code cache (there is none for ES modules
  // in Node 20). Modules only some commands need still run late, and the large packages still load late.
  const cli = await build({
    ...common,
    entryPoints: { annex: 'cli/bin.ts' },
    format: 'cjs',
    // import() of a package becomes require() in a promise (still late): code restored from a V8 code cache has
    // no dynamic-import callback in Node 20. pdfjs-dist, an ES module, loads through require(esm) (Node 20.19+).
    supported: { 'dynamic-import': false },
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
  });
  const bundle = cli.outputFiles.find((f) => f.path.endsWith('.cjs'));
  const launcher = await build({
    ...common,
    entryPoints: { annex: 'cli/launch.ts' },
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    define: { ANNEX_BUNDLE: JSON.stringify(basename(bundle.path)) },
  });
  const entries = new Set(
    [esm, launcher].flatMap((r) =>
      Object.entries(r.metafile.outputs)
        .filter(([, o]) => o.entryPoint)
        .map(([f]) => join(ROOT, f)),
    ),
  );
  const outputs = [...esm.outputFiles, ...cli.outputFiles, ...launcher.outputFiles];
  // The code cache of the current CLI bundle is kept; caches of older bundles go with them.
  const written = new Set([`${bundle.path}.cache`]);
  const isEntry = (path) => entries.has(path) || entries.has(path.replace(/\.map$/, ''));
  for (const f of outputs) {
    written.add(f.path);
    if (!isEntry(f.path) && !existsSync(f.path)) writeAtomic(f.path, f.contents);
  }
  for (const f of outputs) if (isEntry(f.path)) writeAtomic(f.path, f.contents);
  chmodSync(join(OUT, 'annex.mjs'), 0o755);
  const inputs = [...new Set([esm, cli, launcher].flatMap((r) => Object.keys(r.metafile.inputs)))].filter(
    (f) => !f.startsWith('node_modules/'),
  );
  writeAtomic(join(OUT, INPUTS), JSON.stringify(inputs));
  written.add(join(OUT, INPUTS));
  removeOldFiles(OUT, written);
  return { out: OUT, files: ['annex', ...Object.keys(entryPoints)].map((name) => `dist/runtime/${name}.mjs`) };
}

/** The server bench's copy of the server (bench/server.ts run as its serving process), built as the server is. */
export const BENCH_OUT = join(ROOT, 'dist', 'bench-server');

/**
 * Builds bench/server.ts and every worker with the server's options into dist/bench-server, so that
 * `npm run bench -- server` measures the code `npm start` runs (tsx would compile the sources with keepNames, which
 * the bundle does not use). The parse pool is pointed at this build's parse.worker.mjs (PARSE_WORKER).
 */
export async function buildBenchServer() {
  const { build } = await import('esbuild');
  const result = await build({
    ...serverOptions(BENCH_OUT),
    entryPoints: { 'bench/server': 'bench/server.ts', ...workerEntries() },
  });
  const written = new Set([join(BENCH_OUT, INPUTS)]);
  for (const f of result.outputFiles) {
    written.add(f.path);
    writeAtomic(f.path, f.contents);
  }
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  writeAtomic(join(BENCH_OUT, INPUTS), JSON.stringify(inputs));
  removeOldFiles(BENCH_OUT, written);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--bench-server')) {
    if (!process.argv.includes('--if-stale') || isStale(ROOT, BENCH_OUT)) {
      const started = Date.now();
      await buildBenchServer();
      console.log(`build:runtime → dist/bench-server (${Date.now() - started} ms)`);
    }
  } else if (!process.argv.includes('--if-stale') || isStale(ROOT, OUT)) {
    const started = Date.now();
    const { files } = await buildRuntime();
    console.log(`build:runtime → ${files.join(', ')} (${Date.now() - started} ms)`);
  }
}
