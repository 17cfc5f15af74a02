// Runs the bundled add-on (the same Code.js that is pushed to Apps Script) in a Node vm context whose globals
// are the fake Apps Script services: nothing from the add-on's sources is imported directly.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { buildSheets } from '../../scripts/build-sheets.js';
import { GLOBAL_FUNCTIONS } from '../../sheets/src/globals.js';
import { fakeEnvironment, type FakeEnvironment, type FakeSpreadsheet, type SyncFetch } from './fake-apps-script.js';

export const OUT = join(process.cwd(), 'test-output', 'sheets');

let built: Promise<string> | undefined;

/** Builds the add-on once per test file (into test-output/sheets) and returns Code.js. */
export function bundle(): Promise<string> {
  built ??= (async () => {
    mkdirSync(OUT, { recursive: true });
    // One output folder per test process: test files run in parallel and each build starts by emptying it.
    // The fake UrlFetchApp talks to a local test server over http: no allow-list check in this build.
    const r = await buildSheets({ outDir: join(OUT, `dist-${process.pid}`), checkServer: false });
    return r.code;
  })();
  return built;
}

export type AddonGlobals = Record<(typeof GLOBAL_FUNCTIONS)[number], (...args: any[]) => any>;

export interface LoadedAddon {
  env: FakeEnvironment;
  fn: AddonGlobals;
  context: vm.Context;
  /** Calls a global like google.script.run does: arguments and result pass through JSON (no Dates, no functions). */
  run(name: string, ...args: unknown[]): any;
}

export async function loadAddon(spreadsheet: FakeSpreadsheet, fetch?: SyncFetch): Promise<LoadedAddon> {
  const code = await bundle();
  const env = fakeEnvironment(spreadsheet, fetch);
  const context = vm.createContext({ ...env.globals });
  vm.runInContext(code, context, { filename: 'Code.js' });
  const fn = Object.fromEntries(GLOBAL_FUNCTIONS.map((n) => [n, context[n]])) as AddonGlobals;
  const run = (name: string, ...args: unknown[]) => {
    const f = context[name];
    if (typeof f !== 'function') throw new Error(`Script function not found: ${name}`);
    const out = f(...JSON.parse(JSON.stringify(args)));
    return out === undefined ? undefined : JSON.parse(JSON.stringify(out));
  };
  return { env, fn, context, run };
}
