// Loads the TypeScript worker entry in a thread started from the sources (tsx, vitest): the thread has no
// TypeScript loader of its own, so tsx compiles parse.worker.ts here. Bundled servers use the bundle's own parse.worker.mjs.
import { tsImport } from 'tsx/esm/api';

const mod = await tsImport('./parse.worker.ts', import.meta.url);
export default mod.default;
