// The slice of the Office host the adapter needs, injectable so the same code runs against real
// Excel, the in-memory fake (unit tests) and the fake's browser build (end-to-end tests).

export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}

/** Document settings (Office.context.document.settings): travel with the workbook file. */
export interface DocumentSettings {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  remove(name: string): void;
  saveAsync(callback?: (result: { status: string }) => void): void;
}

export interface HostEnvironment {
  excel: ExcelHost;
  settings: DocumentSettings;
  /** Whether the host supports a requirement set (e.g. ExcelApi 1.18 for notes). */
  supports(set: string, version: string): boolean;
}

/** The environment from the `Excel` and `Office` globals (real Office.js or an injected fake). */
export function environmentFromGlobals(
  g: { Excel?: unknown; Office?: unknown } = globalThis as never,
): HostEnvironment {
  const excel = g.Excel as { run: ExcelHost['run'] };
  const office = g.Office as {
    context: {
      document: {
        settings: {
          get(n: string): unknown;
          set(n: string, v: unknown): void;
          remove(n: string): void;
          saveAsync(cb?: (r: { status: string }) => void): void;
        };
      };
      requirements: { isSetSupported(name: string, version?: string): boolean };
    };
  };
  const s = office.context.document.settings;
  return {
    excel: { run: (batch) => excel.run(batch) },
    settings: {
      get: (n) => s.get(n),
      set: (n, v) => s.set(n, v),
      remove: (n) => s.remove(n),
      saveAsync: (cb) => s.saveAsync(cb),
    },
    supports: (set, version) => office.context.requirements.isSetSupported(set, version),
  };
}

/**
 * What this host can do beyond the ExcelApi 1.8 floor (Excel 2019). Each feature degrades rather
 * than failing: see docs/ADDIN.md for the table per Excel version.
 */
export interface Capabilities {
  /** Worksheet.notes (ExcelApi 1.18): without it the issues and comments stay in the pane. */
  notes: boolean;
  /** Range.getMergedAreasOrNullObject (1.13): without it the sheet is read without merges. */
  mergedAreas: boolean;
  /** WorksheetChangedEventArgs.triggerSource (1.14): without it the add-in records its own writes. */
  triggerSource: boolean;
  /** Worksheet.getRanges over several areas (1.9): without it one format per area. */
  multiAreaRanges: boolean;
}

export function capabilitiesOf(env: Pick<HostEnvironment, 'supports'>): Capabilities {
  return {
    notes: env.supports('ExcelApi', '1.18'),
    mergedAreas: env.supports('ExcelApi', '1.13'),
    triggerSource: env.supports('ExcelApi', '1.14'),
    multiAreaRanges: env.supports('ExcelApi', '1.9'),
  };
}

export const ALL_CAPABILITIES: Capabilities = {
  notes: true,
  mergedAreas: true,
  triggerSource: true,
  multiAreaRanges: true,
};

export function saveSettings(settings: DocumentSettings): Promise<void> {
  return new Promise((resolve) => settings.saveAsync(() => resolve()));
}

/**
 * Queues a load of each cell's note (a null object where the cell has none), for the issue notes and the
 * reviewer comments alike; the caller syncs once for all of them.
 */
export function probeNotes(ws: Excel.Worksheet, cells: string[]): { cell: string; n: Excel.Note }[] {
  return cells.map((cell) => {
    const n = ws.notes.getItemOrNullObject(cell);
    n.load('content');
    return { cell, n };
  });
}
