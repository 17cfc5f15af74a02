// Browser entry of the fake host for end-to-end tests: injected before the pane loads (Playwright
// addInitScript), it builds a workbook from window.__fakeInit and installs the Excel/Office globals.
import { FakeExcelHost, installFakeGlobals, type CellValue, type FakeHostOptions } from './fake-excel.js';

interface FakeInit {
  options?: FakeHostOptions;
  sheets: { name: string; rows: CellValue[][] }[];
  settings?: Record<string, unknown>;
}

const w = window as unknown as { __fakeInit?: FakeInit; __fakeHost?: FakeExcelHost };
const init: FakeInit = w.__fakeInit ?? { sheets: [{ name: 'Sheet1', rows: [] }] };
const host = new FakeExcelHost(init.options);
for (const s of init.sheets) host.addSheet(s.name, s.rows);
for (const [k, v] of Object.entries(init.settings ?? {})) host.settings.set(k, v);
installFakeGlobals(host, window);
w.__fakeHost = host;
