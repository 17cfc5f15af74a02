// Builds the dashboard into dist/dashboard: app.js bundled by esbuild from server/dashboard/app.ts, next
// to index.html and app.css copied from server/dashboard/public. `npm start` and the browser tests call
// ensureDashboard(), which rebuilds only when a source is newer than the bundle.
//   npm run build:dashboard
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DASHBOARD_SRC = join(ROOT, 'server', 'dashboard');
export const DASHBOARD_OUT = join(ROOT, 'dist', 'dashboard');

export async function buildDashboard(opts: { outDir?: string; minify?: boolean } = {}): Promise<string> {
  const outDir = opts.outDir ?? DASHBOARD_OUT;
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(DASHBOARD_SRC, 'app.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'edge100', 'safari15', 'firefox100'],
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  const pub = join(DASHBOARD_SRC, 'public');
  for (const f of readdirSync(pub)) copyFileSync(join(pub, f), join(outDir, f));
  return outDir;
}

/** Newest modification time of the files under dir (recursively). */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

/** Builds when the bundle is missing or older than any dashboard source; answers whether it built. */
export async function ensureDashboard(): Promise<boolean> {
  const bundle = join(DASHBOARD_OUT, 'app.js');
  // The bundle also holds the shared client protocol (clients/): a change there rebuilds it too.
  const sources = Math.max(newest(DASHBOARD_SRC), newest(join(ROOT, 'clients')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return false;
  await buildDashboard();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const run = process.argv.includes('--if-stale') ? ensureDashboard() : buildDashboard().then(() => true);
  run
    .then((built) => {
      if (built) console.log('build:dashboard → dist/dashboard');
    })
    .catch((e) => {
      console.error(`build:dashboard failed: ${(e as Error).message}`);
      process.exit(1);
    });
}
