// The parse worker's entry (piscina calls the default export once per task). A file of its own so that it
// can be loaded as a thread both from the sources (through worker.dev.mjs, under tsx or vitest) and from a
// bundle: build it as its own esbuild entry named parse-worker.mjs beside the server bundle (pool.ts looks
// for that file next to itself first).
import { runTask, type ParseResult, type ParseTask } from './work.js';

export default function parseWorker(task: ParseTask): Promise<ParseResult> {
  return runTask(task);
}
