// The built runtime (dist/runtime: the CLI and server bundles), as users run it. ensureRuntime() builds it
// first when a source is newer than the bundle (the build script's own check), so that a focused test run
// never exercises old code; concurrent builds from parallel test files are safe (the build only adds files
// and replaces entries atomically).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The `annex` command (package.json "bin"). */
export const ANNEX = join(ROOT, 'dist', 'runtime', 'annex.mjs');
/** The server as `npm start` runs it. */
export const SERVER = join(ROOT, 'dist', 'runtime', 'server.mjs');

export function ensureRuntime(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-runtime.mjs'), '--if-stale'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}
