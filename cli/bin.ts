// The `annex` command as a process runs it: the entry of the CLI bundle (built by scripts/build-runtime.mjs and
// started by cli/launch.ts, the package's "bin") and of `npm run annex` (through tsx, for development).
import { runFromProcess } from './main.js';

runFromProcess();
