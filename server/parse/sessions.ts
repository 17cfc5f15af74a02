// An agency's next submission is most often its last one with a few cells changed. A parse thread keeps the
// engine's validation session of each agency it checked lately (the pool sends an agency's tasks to the same
// thread, server/parse/pool.ts), and checks a new submission as cell edits of the last one through the engine's
// public session API (`session.update`, which re-reads only the part of the table the edits reach): about a third
// of a full read and validation on a 372-row annex. The session's report equals a full validation of the same
// grids (tests/server/domain/agency-sessions.test.ts compares them byte for byte). It is only a cache: any other
// difference (rows added or removed, merges, sheets), a miss or an error validates afresh.
import {
  createSession,
  type CellUpdate,
  type Grid,
  type Report,
  type ValidateContext,
  type ValidationSession,
} from '../../engine/index.js';
import { gridsBytes } from './report-json.js';

/** The grid fields a cell edit cannot change; grids with any other field are validated afresh. */
const GRID_FIELDS = new Set(['sheet', 'kind', 'rows', 'merges', 'encoding', 'format', 'tables']);

const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b![i]);

function sameFrame(a: Grid, b: Grid): boolean {
  for (const k of Object.keys(b)) if (!GRID_FIELDS.has(k)) return false;
  return (
    a.sheet === b.sheet &&
    a.kind === b.kind &&
    a.encoding === b.encoding &&
    a.format === b.format &&
    sameStrings(a.merges, b.merges) &&
    JSON.stringify(a.tables ?? null) === JSON.stringify(b.tables ?? null) &&
    a.rows.length === b.rows.length
  );
}

/**
 * The cell edits that turn `before` into `after`, when that is all that differs: the same sheets in the same order
 * (names unique), the same rows with the same cell counts, the same merges, and no edited cell under a merge (the
 * session's edit would drop the mark). Undefined otherwise, or beyond `max` edits (a full check is then as quick).
 */
export function cellEdits(before: Grid[], after: Grid[], max = 64): CellUpdate[] | undefined {
  return diffCells(before, after, max)?.edits;
}

/** cellEdits, with the places ([grid, row position]) of the rows edited. */
function diffCells(before: Grid[], after: Grid[], max: number) {
  if (before.length !== after.length || new Set(after.map((g) => g.sheet)).size !== after.length) return undefined;
  const edits: CellUpdate[] = [];
  const rows: [number, number][] = [];
  for (let g = 0; g < after.length; g++) {
    const a = before[g];
    const b = after[g];
    if (!sameFrame(a, b)) return undefined;
    for (let r = 0; r < b.rows.length; r++) {
      const ra = a.rows[r];
      const rb = b.rows[r];
      if (ra.index !== rb.index || ra.cells.length !== rb.cells.length) return undefined;
      const edited = edits.length;
      for (let c = 0; c < rb.cells.length; c++) {
        const ca = ra.cells[c];
        const cb = rb.cells[c];
        if (ca.text === cb.text && ca.formula === cb.formula && ca.mergedInto === cb.mergedInto) continue;
        if (ca.mergedInto !== undefined || cb.mergedInto !== undefined || edits.length >= max) return undefined;
        const edit: CellUpdate = { sheet: b.sheet, row: rb.index, column: c + 1, text: cb.text };
        if (cb.formula !== undefined) edit.formula = cb.formula;
        edits.push(edit);
      }
      if (edits.length > edited) rows.push([g, r]);
    }
  }
  return { edits, rows };
}

const cellsOf = (grids: Grid[]) => grids.reduce((n, g) => n + g.rows.reduce((m, r) => m + r.cells.length, 0), 0);

interface Entry {
  /** The validation context the session was made with (province, year, date): another one starts afresh. */
  ctxKey: string;
  session: ValidationSession;
  cells: number;
  /** The grids last checked, and the JSON bytes of their rows where known (./report-json.ts). */
  input: Grid[];
  rowBytes: (Buffer | undefined)[][];
}

/**
 * Sessions by agency (a key the main thread gives: round and agency), most recently used last. Bounded by the
 * cells they hold (a session keeps its grids and the engine's per-row caches), so that the sessions of big
 * uploads never crowd the thread's heap; an upload bigger than `maxCellsEach` is not kept at all.
 */
export class AgencySessions {
  private readonly entries = new Map<string, Entry>();
  private cells = 0;
  /** How the last check went (tests and the bench's counts). */
  last: 'update' | 'new' | 'none' = 'none';

  constructor(
    private readonly maxCells = 400_000,
    private readonly maxCellsEach = 60_000,
  ) {}

  /**
   * The report of `grids`: as edits of the agency's session when it has one that differs by cell edits only,
   * else from a new session (kept for next time) or, for an upload too big to keep, a plain full check.
   */
  check(key: string, grids: Grid[], ctx: ValidateContext, full: () => Report): Report {
    const ctxKey = `${ctx.province ?? ''}|${ctx.planYear ?? ''}|${ctx.date ?? ''}`;
    const known = this.take(key);
    if (known && known.ctxKey === ctxKey) {
      const diff = diffCells(known.session.grids(), grids, 64);
      if (diff) {
        try {
          const report = diff.edits.length ? known.session.update(diff.edits) : known.session.report();
          for (const [g, r] of diff.rows) if (known.rowBytes[g]) known.rowBytes[g][r] = undefined;
          known.input = grids;
          this.put(key, known);
          this.last = 'update';
          return report;
        } catch {
          // The session is dropped; the full check below says what is wrong, if anything is.
        }
      }
    }
    const cells = cellsOf(grids);
    if (cells > this.maxCellsEach) {
      this.last = 'none';
      return full();
    }
    const session = createSession(grids, ctx);
    this.put(key, { ctxKey, session, cells, input: grids, rowBytes: [] });
    this.last = 'new';
    return session.report();
  }

  /**
   * Buffer.from(JSON.stringify(grids)) when `grids` are the ones last checked for the agency: the rows no edit
   * touched keep their bytes from before. Undefined when this thread did not check them last.
   */
  gridsJson(key: string, grids: Grid[]): Buffer | undefined {
    const e = this.entries.get(key);
    return e && e.input === grids ? gridsBytes(grids, e.rowBytes) : undefined;
  }

  private take(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.cells -= e.cells;
    }
    return e;
  }

  private put(key: string, e: Entry): void {
    this.entries.set(key, e);
    this.cells += e.cells;
    for (const [k, old] of this.entries) {
      if (this.cells <= this.maxCells) break;
      this.entries.delete(k);
      this.cells -= old.cells;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
