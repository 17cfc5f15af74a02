// Stable task identity for two-way sync, and the sync status of a local copy. Ids are assigned by the
// server on first submit and kept by the add-ins in a hidden "Mã nhiệm vụ" column; a task that lost its
// id (pasted from elsewhere, file upload) takes back the id of the same task in the previous version.
import type { Annex, Task } from '../model.js';
import { foldKey } from '../normalize/text.js';
import { columnHeader } from '../vocab/index.js';
import { jaccardSets, taskFeatures } from './similarity.js';
import { mapPacked } from '../packed.js';

/**
 * A copy of the annex down to its tasks, the only objects assignment writes (their `id`); everything below a task
 * (products, agencies, sources) is shared with the input, which stays unchanged. A deep copy cost most of the
 * assignment (about 1 ms of a 10 ms submission on a 372-row seed).
 */
const copyToTasks = (annex: Annex): Annex => ({
  ...annex,
  // Object.assign, not a spread: assignment adds `id` to the copies, and V8 (Node 20) gives a spread copy made at a
  // site that has seen tasks of several shapes a hidden class of its own, so each copy given an id had a class no
  // other object shares, and the code that reads the stored tasks next was deoptimised and compiled again.
  // mapPacked: engine/packed.ts.
  sections: mapPacked(annex.sections, (s) => ({ ...s, tasks: mapPacked(s.tasks, (t) => Object.assign({}, t)) })),
});

/** Header written above the hidden id column (the reader maps "ID" and "Mã nhiệm vụ" to field 'id'). */
export const TASK_ID_HEADER = columnHeader('id');

/** What an id looks like: "NV-" and 4–40 letters, digits or dashes (server ids are "NV-" + 12 base32 letters). */
export const TASK_ID_PATTERN = /^NV-[A-Za-z0-9-]{4,40}$/;

export interface IdAssignment {
  /** Index of the task in reading order (across sections). */
  taskIndex: number;
  sheet: string;
  row: number;
  id: string;
  /** True when the id was taken over from the same task in the previous version. */
  reused: boolean;
  /** The id the task carried before, when it was a duplicate (a copied row) and got a new one. */
  replaced?: string;
}

export interface AssignIdsOptions {
  /** Similarity (Jaccard of task words) from which a task without id takes the id of a previous task. Default 0.6. */
  similarity?: number;
}

const allTasks = (annex: Annex): Task[] => annex.sections.flatMap((s) => s.tasks);

/**
 * Gives every task an id. Tasks that carry an id keep it (a second task with the same id — a copied row —
 * gets another). Tasks without one take the id of the same task in `previous` (same folded text, else the
 * most similar by words) when that id is not used yet, else a new one from `newId`. Returns a copy of the
 * annex and what was assigned; the input is not changed.
 */
export function assignTaskIds(
  annex: Annex,
  previous: Annex | null | undefined,
  newId: () => string,
  options: AssignIdsOptions = {},
): { annex: Annex; assigned: IdAssignment[] } {
  const threshold = options.similarity ?? 0.6;
  const out = copyToTasks(annex);
  const tasks = allTasks(out);
  const used = new Set<string>();
  const needs: { t: Task; i: number; replaced?: string }[] = [];
  tasks.forEach((t, i) => {
    if (t.id && !used.has(t.id)) used.add(t.id);
    else needs.push({ t, i, ...(t.id ? { replaced: t.id } : {}) });
  });
  const assigned: IdAssignment[] = [];
  if (!needs.length) return { annex: out, assigned };

  const prev = allTasks(previous ?? { meta: {}, sections: [] }).filter(
    (p): p is Task & { id: string } => !!p.id && !used.has(p.id),
  );
  const taken = new Set<string>();
  const give = (n: (typeof needs)[number], id: string, reused: boolean) => {
    n.t.id = id;
    used.add(id);
    taken.add(id);
    assigned.push({
      taskIndex: n.i,
      sheet: n.t.source.sheet,
      row: n.t.source.row,
      id,
      reused,
      ...(n.replaced ? { replaced: n.replaced } : {}),
    });
  };
  // Same text first, then the most similar pairs.
  const byText = new Map<string, (Task & { id: string })[]>();
  for (const p of prev) {
    const k = foldKey(p.task);
    if (!k) continue;
    const list = byText.get(k);
    if (list) list.push(p);
    else byText.set(k, [p]);
  }
  const rest: typeof needs = [];
  for (const n of needs) {
    const hit = (byText.get(foldKey(n.t.task)) ?? []).find((p) => !taken.has(p.id) && !used.has(p.id));
    if (hit) give(n, hit.id, true);
    else rest.push(n);
  }
  const cands: { n: (typeof needs)[number]; p: Task & { id: string }; s: number }[] = [];
  const feats = new Map<Task, Set<string>>();
  const f = (t: Task) => {
    let s = feats.get(t);
    if (!s) feats.set(t, (s = new Set(taskFeatures(t.task))));
    return s;
  };
  for (const n of rest) {
    for (const p of prev) {
      if (taken.has(p.id) || used.has(p.id)) continue;
      const s = jaccardSets(f(n.t), f(p));
      if (s >= threshold - 1e-9) cands.push({ n, p, s });
    }
  }
  cands.sort((a, b) => b.s - a.s || a.n.i - b.n.i);
  const done = new Set<(typeof needs)[number]>();
  for (const c of cands) {
    if (done.has(c.n) || taken.has(c.p.id) || used.has(c.p.id)) continue;
    give(c.n, c.p.id, true);
    done.add(c.n);
  }
  for (const n of rest) {
    if (done.has(n)) continue;
    let id = newId();
    // A generator that repeats itself must not hand out an id twice.
    for (let k = 0; used.has(id) && k < 100; k++) id = newId();
    if (used.has(id)) throw new Error(`assignTaskIds: the id generator keeps returning used ids ("${id}")`);
    give(n, id, false);
  }
  assigned.sort((a, b) => a.taskIndex - b.taskIndex);
  return { annex: out, assigned };
}

/**
 * A deterministic id from a text (FNV-1a 64-bit over UTF-16 units, base32): for tasks of documents stored
 * before ids existed, so that the same plan task gets the same id on every read. Computed on four 16-bit
 * limbs, not BigInt: the Excel pane also runs on EdgeHTML (Office 2019), which has no BigInt.
 */
export function derivedTaskId(seed: string): string {
  // 0xcbf29ce484222325, least significant limb first.
  const h = [0x2325, 0x8422, 0x9ce4, 0xcbf2];
  for (let i = 0; i < seed.length; i++) {
    h[0] ^= seed.charCodeAt(i);
    // h * 0x100000001b3 mod 2^64 = h * 0x1b3 + (h << 40).
    const shifted = ((h[0] | ((h[1] & 0xff) << 16)) * 256) % 0x100000000; // low 24 bits of h, << 8
    let carry = 0;
    const add = [0, 0, shifted & 0xffff, Math.floor(shifted / 0x10000) & 0xffff];
    for (let k = 0; k < 4; k++) {
      const t = h[k] * 0x1b3 + add[k] + carry;
      h[k] = t & 0xffff;
      carry = Math.floor(t / 0x10000);
    }
  }
  const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < 12; i++) {
    s += alphabet[h[0] & 31];
    for (let k = 0; k < 4; k++) h[k] = (h[k] >>> 5) | (k < 3 ? (h[k + 1] & 31) << 11 : 0);
  }
  return `NV-${s}`;
}

/** Local copy vs server: in sync, ahead (local edits), behind (newer server version), diverged (both). */
export type SyncState = 'in-sync' | 'ahead' | 'behind' | 'diverged';

export interface LocalSyncInfo {
  /** Server version the local copy was last synced with (0: never synced). */
  baseVersion: number;
  /** True when the local copy has edits not yet pushed. */
  dirty: boolean;
}

export interface ServerSyncInfo {
  /** Latest server version (0: nothing submitted yet). */
  latestVersion: number;
}

export function syncStatus(local: LocalSyncInfo, server: ServerSyncInfo): SyncState {
  if (!Number.isInteger(local.baseVersion) || local.baseVersion < 0)
    throw new Error(`syncStatus: baseVersion must be a whole number ≥ 0, got ${String(local.baseVersion)}`);
  // A base the server does not have (another round, a reset database) cannot be fast-forwarded.
  if (local.baseVersion > server.latestVersion) return 'diverged';
  if (local.baseVersion === server.latestVersion) return local.dirty ? 'ahead' : 'in-sync';
  return local.dirty ? 'diverged' : 'behind';
}

/** Vietnamese labels for the task pane and the dashboard. */
export const SYNC_STATE_LABELS: Record<SyncState, string> = {
  'in-sync': 'Đã đồng bộ',
  ahead: 'Có thay đổi chưa gửi',
  behind: 'Máy chủ có phiên bản mới hơn',
  diverged: 'Cả hai bên đều có thay đổi: cần đối chiếu',
};
