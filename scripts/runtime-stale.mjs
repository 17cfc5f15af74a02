// Whether the runtime bundle (dist/runtime) is older than the files it was built from. Node built-ins only and
// no module state, so that both the build script and the bundled CLI itself can use it: the CLI checks on each
// start in a source checkout (about a millisecond), and rebuilds before running old code.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** File in the bundle directory listing the project files the bundle was built from. */
export const INPUTS = 'inputs.json';

/** Besides the bundled sources: what changes how the bundle is built. */
const BUILD_FILES = ['package.json', 'scripts/build-runtime.mjs', 'scripts/runtime-stale.mjs'];

/** True when the bundle is missing or a file it was built from changed (or is gone) since. */
export function isStale(root, out = join(root, 'dist', 'runtime')) {
  let built;
  let inputs;
  try {
    built = statSync(join(out, INPUTS)).mtimeMs;
    inputs = JSON.parse(readFileSync(join(out, INPUTS), 'utf8'));
  } catch {
    return true;
  }
  for (const file of [...inputs, ...BUILD_FILES]) {
    try {
      if (statSync(join(root, file)).mtimeMs > built) return true;
    } catch {
      return true;
    }
  }
  return false;
}
