// Where the add-in keeps the sync state of the workbook, per round: the server version the sheet was last
// synced with (the base of the next push), when, and whether the officer changed the sheet since. It lives
// in the document settings, so it travels with the workbook (a copy e-mailed to a colleague knows its base).
import type { DocumentSettings } from '../excel/host.js';

export interface RoundSync {
  /** Server version the sheet was last synced with (0: never pushed or pulled a version). */
  baseVersion: number;
  submissionId?: string;
  /** ISO time of the last successful push. */
  lastSyncedAt?: string;
  /** The officer changed the sheet since the last sync. */
  dirty: boolean;
}

const KEY = 'phuluc.sync';

export class SyncStore {
  constructor(private settings: DocumentSettings) {}

  private all(): Record<string, RoundSync> {
    const v = this.settings.get(KEY);
    return v && typeof v === 'object' ? (v as Record<string, RoundSync>) : {};
  }

  get(roundId: string): RoundSync {
    const s = this.all()[roundId];
    return Object.assign({ baseVersion: 0, dirty: false }, s ?? {});
  }

  update(roundId: string, patch: Partial<RoundSync>): RoundSync {
    const all = this.all();
    const next = { ...this.get(roundId), ...patch };
    this.settings.set(KEY, { ...all, [roundId]: next });
    this.settings.saveAsync();
    return next;
  }

  /** Marks the round dirty after an edit by the officer. */
  markDirty(roundId: string): void {
    if (!roundId || this.get(roundId).dirty) return; // one settings write per clean → dirty flip
    this.update(roundId, { dirty: true });
  }
}
