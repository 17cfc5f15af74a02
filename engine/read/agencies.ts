// Agency cells → AgencyRef[]. With a directory the normalize module resolves names; without one the
// cell is split into a plain list (normalize's splitAgencyText) of unknown refs.
import type { AgencyRef } from '../model.js';
import { splitAgencyText, type AgencyDirectory, type ResolveAt } from '../normalize/agency.js';
import { remember } from '../bounded.js';

export interface AgencyContext {
  directory?: AgencyDirectory;
  at: ResolveAt;
  /** Resolutions made during this read (agency cells repeat a lot). */
  memo?: Map<string, AgencyRef[]>;
  /** False: unknown names get no suggestions (ReadOptions.agencySuggestions). */
  suggestions?: boolean;
  /** True: one list per cell text, shared by every cell with that text (ReadOptions.sharedAgencyRefs). */
  shared?: boolean;
}

const splitCache = new Map<string, string[]>();

/**
 * The refs of one agency cell (already cleaned text). Every call returns fresh objects, but with `ctx.shared`:
 * then the directory's own list for the text (the same array and objects for every cell that has it).
 */
export function agencyRefs(text: string, ctx: AgencyContext): AgencyRef[] {
  const t = text.trim();
  if (!t) return [];
  if (ctx.directory) {
    ctx.memo ??= new Map();
    let refs = ctx.memo.get(t);
    // The context's two switches are resolve's options, read the same way (unset: suggestions, copies).
    if (!refs)
      ctx.memo.set(t, (refs = ctx.directory.resolve(t, ctx.at, { suggestions: ctx.suggestions, shared: ctx.shared })));
    return refsAgain(refs, ctx);
  }
  const items = splitCache.get(t) ?? remember(splitCache, t, splitAgencyText(t), 20_000);
  return items.map((item) => ({ text: item, kind: 'unknown' as const }));
}

/** A cell's refs for a holder: the same list where the context shares lists (`ctx.shared`), else copies. */
export function refsAgain(refs: AgencyRef[], ctx: AgencyContext): AgencyRef[] {
  return ctx.shared ? refs : refs.map((r) => ({ ...r }));
}

/** Union of several ref lists, first occurrence wins (by id when resolved, else by text). */
export function unionRefs(lists: AgencyRef[][]): AgencyRef[] {
  const seen = new Set<string>();
  const out: AgencyRef[] = [];
  for (const list of lists)
    for (const ref of list) {
      const key = ref.id ?? ref.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(ref);
    }
  return out;
}
