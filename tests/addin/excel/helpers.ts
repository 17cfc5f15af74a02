// Small glue so tests call the adapter with the fake host.
import type { FakeExcelHost } from '../../../addin/testing/fake-excel.js';
import { readSheet as read } from '../../../addin/excel/read.js';
import { parseRowSpans } from '../../../addin/excel/events.js';
import type { HostEnvironment } from '../../../addin/excel/host.js';

export const readSheet = (h: FakeExcelHost, name?: string) => read(h as never, name);
export const parseRowSpansForTest = parseRowSpans;

export function envFor(h: FakeExcelHost): HostEnvironment {
  const s = h.Office.context.document.settings;
  return {
    excel: { run: (b) => h.run(b as never) },
    settings: { get: s.get, set: s.set, remove: s.remove, saveAsync: (cb) => s.saveAsync(cb) },
    supports: (set, v) => h.Office.context.requirements.isSetSupported(set, v),
  };
}
