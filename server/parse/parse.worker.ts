// The parse worker's entry (piscina calls the default export once per task). A file of its own so that it
// can be loaded as a thread both from the sources (through worker.dev.mjs, under tsx or vitest) and from a
// bundle: build it as its own esbuild entry named parse-worker.mjs beside the server bundle (pool.ts looks
// for that file next to itself first).
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { runTask, type ParseResult, type ParseTask } from './work.js';

/** The result's byte arrays (stored JSON, a marked file), moved to the main thread instead of copied. */
function transferables(r: ParseResult): ArrayBuffer[] {
  if (!r.ok) return [];
  const checked = 'submit' in r ? r.submit.checked : 'sync' in r ? r.sync.stored?.checked : undefined;
  const bytes = checked ? [checked.gridsJson, checked.reportJson] : 'mark' in r ? [r.mark.bytes] : [];
  // Only arrays that own their whole buffer: moving a view of a shared pool would take the pool away.
  return bytes
    .filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)
    .map((b) => b.buffer as ArrayBuffer);
}

export default async function parseWorker(task: ParseTask): Promise<ParseResult> {
  const result = await runTask(task);
  const list = transferables(result);
  if (!list.length) return result;
  // piscina posts a movable result's value with its transfer list.
  return move({ [transferableSymbol]: list, [valueSymbol]: result }) as unknown as ParseResult;
}
