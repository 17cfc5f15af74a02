// Where the project's files are, the same whether the server runs from its TypeScript sources (tsx, vitest) or
// from the bundle in dist/runtime (npm start): the static folders (dist/dashboard, dist/addin), seeds/ for the
// demo, and the entry files of workers.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The project root: the nearest folder above this file with a package.json (server/ → .., dist/runtime → ../..). */
export const ROOT = (() => {
  for (let dir = HERE; ;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return join(HERE, '..');
    dir = up;
  }
})();

/** True when this code runs from the esbuild bundle (scripts/build-runtime.mjs), not from the sources. */
export const BUNDLED = HERE === join(ROOT, 'dist', 'runtime');

/**
 * A worker's entry file, from its source path relative to the root (`server/x/parse.worker.ts`): the bundle's own
 * `dist/runtime/server/x/parse.worker.mjs` when bundled (the build makes one entry per `*.worker.ts`), else the
 * TypeScript source, which a worker started from tsx or vitest loads through the same loader.
 */
export function workerFile(source: string): string {
  if (!source.endsWith('.worker.ts')) throw new Error(`worker sources end in .worker.ts: ${source}`);
  return BUNDLED ? join(ROOT, 'dist', 'runtime', source.replace(/\.ts$/, '.mjs')) : join(ROOT, source);
}
