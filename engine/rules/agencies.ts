// Agencies against the directory of the plan's province and period: unknown names (with suggestions),
// names of agencies merged away before the plan's date (fix: the successor), agencies dissolved without a
// successor agency (district level, 01/7/2025; a fix only when a group takes the work over), names not written
// in full (info),
// and a lead agency listed again among the coordinating ones (fix: remove it from the support cell).
import type { AgencyRef, Diagnostic, Field, Location } from '../model.js';
import { makeDiagnostic } from './diagnostic.js';
import { edit, makeFix, removeFromList, replaceOnce } from './edits.js';
import {
  cellHolding,
  cellValue,
  displayDate,
  quote,
  type CellRef,
  type FieldValue,
  type GroupRule,
  type RuleContext,
  type Unit,
} from './facts.js';
import { remember } from '../bounded.js';

type Role = 'lead' | 'support' | 'monitor';
const ROLES: readonly Role[] = ['lead', 'support', 'monitor'];

interface AgencyValue {
  role: Role;
  /** Where the value is: a field of a unit (its cells looked up only to report), or none (the prose layout). */
  unit: Unit | undefined;
  field: Field;
  /** The part of the value's text that holds this role's agencies (a slice of a "Phân công" text). */
  text: string;
  /** In a combined "Phân công" cell, support agencies come after "chủ trì": fixes only touch that part. */
  supportAfterLead: boolean;
  /** The value comes from a merged cell above: it is checked (and fixed) at that cell's own row. */
  inherited: boolean;
  /** The agencies of `text` (see refsOf), once asked for. */
  refs: AgencyRef[] | undefined;
}

/**
 * Agency values of the units of one task group, written into a few value objects kept from call to call: the
 * rule runs for every unit of every task, and the values of a unit are not needed once the next unit is checked
 * (the task row's stay while its product rows are). `length` is the number of values of the unit last listed.
 */
class Values {
  readonly items: AgencyValue[] = [];
  length = 0;
  add(role: Role, unit: Unit, field: Field, text: string, supportAfterLead: boolean, inherited: boolean): void {
    const v = this.items[this.length];
    if (v) {
      v.role = role;
      v.unit = unit;
      v.field = field;
      v.text = text;
      v.supportAfterLead = supportAfterLead;
      v.inherited = inherited;
      v.refs = undefined;
    } else this.items.push({ role, unit, field, text, supportAfterLead, inherited, refs: undefined });
    this.length++;
  }
  hasLead(): boolean {
    for (let i = 0; i < this.length; i++) if (this.items[i].role === 'lead') return true;
    return false;
  }
}
const taskRowValues = new Values();
const unitValues = new Values();
const NO_VALUES = new Values();

/** Lead, support and monitor values of a unit into `out`, splitting a combined "Phân công" column. */
function agencyValues(rc: RuleContext, unit: Unit, out: Values): Values {
  out.length = 0;
  const { view, memo } = rc;
  for (const role of ROLES) {
    const text = view.text(unit, role);
    if (text) out.add(role, unit, role, text, false, view.inherits(unit, role));
  }
  const a = view.text(unit, 'assignment');
  if (a) {
    const split = memo.splitAssignment(a);
    const inherited = view.inherits(unit, 'assignment');
    if (split.lead) out.add('lead', unit, 'assignment', split.lead, false, inherited);
    if (split.support) out.add('support', unit, 'assignment', split.support, split.lead !== '', inherited);
  }
  return out;
}

const NO_VALUE: FieldValue = { text: '', cells: [] };

/** The field value an agency value was read from, with its cells. */
function valueOf(rc: RuleContext, av: AgencyValue): FieldValue {
  return av.unit ? (rc.view.field(av.unit, av.field) ?? NO_VALUE) : NO_VALUE;
}

/** True when an earlier item of the list has the same kind and text. */
function repeated(list: AgencyRef[], i: number): boolean {
  const r = list[i];
  for (let j = 0; j < i; j++) if (list[j].kind === r.kind && list[j].text === r.text) return true;
  return false;
}

/** Items of a list without a directory: "Sở A, Sở B và Sở C". */
function plainItems(text: string): AgencyRef[] {
  // A "và" standing alone becomes a line break first (no lookbehind: see engine/normalize/guard.ts).
  return text
    .replace(/(^|[^\p{L}])và(?!\p{L})/gu, '$1\n')
    .split(/\s*[,;\n]\s*/u)
    .map((s) => s.replace(/^[-–+•]\s*/, '').trim())
    .filter(Boolean)
    .map((t) => ({ text: t, kind: 'unknown' as const }));
}

/** The fix that rewrites the cell holding an agency name to `to` (none when there is no rewrite). */
function cellFix(
  rc: RuleContext,
  code: Parameters<typeof makeFix>[0],
  holder: CellRef,
  to: string | null,
  params: Record<string, unknown>,
) {
  if (to === null) return undefined;
  const cell = edit(holder.sheet, holder.row, holder.column, holder.raw, cellValue(rc.view, holder.sheet, to));
  return makeFix(code, [cell], params, rc.locale);
}

function refs(rc: RuleContext, text: string): AgencyRef[] {
  return rc.directory
    ? rc.memo.resolve(rc.directory, text, rc.province, rc.date)
    : rc.memo.verdict('plain-items', text, plainItems);
}

/** The agencies of a value, resolved once per value (the directory check and the lead check both ask). */
function refsOf(rc: RuleContext, v: AgencyValue): AgencyRef[] {
  return (v.refs ??= refs(rc, v.text));
}

// Refs come from the memoised resolver, so the same objects recur on every validation.
const identities = new WeakMap<AgencyRef, string | null>();

function identity(rc: RuleContext, r: AgencyRef): string | undefined {
  const known = identities.get(r);
  if (known !== undefined) return known ?? undefined;
  const id = computeIdentity(rc, r);
  identities.set(r, id ?? null);
  return id;
}

function computeIdentity(rc: RuleContext, r: AgencyRef): string | undefined {
  if (r.kind === 'group') return undefined; // "Các sở, ban, ngành" may both lead and coordinate
  if (r.id) return `id:${r.id}`;
  if (r.kind !== 'unknown' || rc.directory) return undefined;
  // Without a directory, only a name that reads as one agency ("Sở Tư pháp", "Văn phòng UBND tỉnh") is
  // compared: fragments of group phrases ("Sở, ban, ngành", "UBND cấp huyện") are not agencies.
  const k = rc.memo.foldKey(r.text);
  if (!SINGLE_AGENCY.test(k) || / cap (tinh|huyen|xa)\b/.test(k) || k.split(' ').length < 2) return undefined;
  return `text:${k}`;
}

// Folded starts of names of one agency (not a group), for comparisons without a directory.
const SINGLE_AGENCY =
  /^(so|van phong|vp|cong an|thanh tra|kho bac|bao hiem|ban quan ly|ban dan toc|dai|bo chi huy|ubnd tinh|uy ban nhan dan tinh|bao) \S/;

/** Start of the support part inside a combined "Phân công" cell (after "chủ trì"), or 0. */
function supportStart(raw: string): number {
  const m = /chủ\s*trì/iu.exec(raw.normalize('NFC'));
  return m ? m.index + m[0].length : -1;
}

function superseded(rc: RuleContext, r: AgencyRef): boolean {
  return !!r.successor && (!r.successor.since || !rc.date || r.successor.since <= rc.date);
}

// Directory answers per agency and date: the same few agencies recur on every row.
const statuses = new WeakMap<
  NonNullable<RuleContext['directory']>,
  Map<string, ReturnType<NonNullable<RuleContext['directory']>['status']>>
>();

function statusOf(dir: NonNullable<RuleContext['directory']>, id: string, date: string) {
  let m = statuses.get(dir);
  if (!m) statuses.set(dir, (m = new Map()));
  const key = `${id}\u0001${date}`;
  if (m.has(key)) return m.get(key);
  return remember(m, key, dir.status(id, date), 10_000);
}

/** The day after an ISO date ("2025-06-30" → "2025-07-01"): when an agency whose period ended stopped. */
function dayAfter(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * An agency or level that ended at the plan's date instead of merging into another agency (district level
 * abolished on 01/7/2025): `ended` when nothing carries it on, `handover` when its tasks pass to a group
 * (UBND cấp huyện → UBND cấp xã).
 */
type Dissolution = { reason: 'ended' | 'handover'; since: string } | undefined;
// Refs come from the memoised resolver: the same objects recur on every validation.
const dissolutions = new WeakMap<AgencyRef, { dir: object; date: string; result: Dissolution }>();

function dissolution(rc: RuleContext, r: AgencyRef): Dissolution {
  const dir = rc.directory;
  if (!dir || !r.id || !rc.date) return undefined;
  const known = dissolutions.get(r);
  if (known && known.dir === dir && known.date === rc.date) return known.result;
  const result = computeDissolution(rc, r);
  dissolutions.set(r, { dir, date: rc.date, result });
  return result;
}

function computeDissolution(rc: RuleContext, r: AgencyRef): Dissolution {
  const dir = rc.directory;
  if (!dir || !r.id || !rc.date) return undefined;
  const status = statusOf(dir, r.id, rc.date);
  if (status === 'dissolved') {
    const entry = dir.lookup(r.id);
    const file = dir.files.find((f) => f.province === entry?.province);
    const to = entry?.validTo ?? file?.validTo;
    return to ? { reason: 'ended', since: dayAfter(to) } : undefined;
  }
  if (r.successor && superseded(rc, r) && dir.lookup(r.successor.id)?.kind === 'group')
    return { reason: 'handover', since: r.successor.since };
  return undefined;
}

const toLowerNfc = (t: string) => t.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
const lowerNfc = (s: string, memo: RuleContext['memo']) => memo.verdict('lower-nfc', s, toLowerNfc);

/**
 * True when a written name is another spelling of the canonical one ("Sở TT&TT", "VP UBND tỉnh"), not an item
 * of a list sharing a prefix ("các sở: Tư pháp, Tài chính" → "Tư pháp") nor a phrase that merely contains the
 * name ("Sở Tư pháp theo dõi cấp huyện").
 */
function isVariantName(text: string, name: string, writtenLower: string, nameLower: string): boolean {
  // Same letters, different diacritics ("Sở Tư phap"): a misspelling worth fixing; case alone is not.
  if (text === name) return !!text && writtenLower !== nameLower;
  if (name.endsWith(` ${text}`)) return false;
  return text.split(' ').length <= name.split(' ').length + 1;
}

/**
 * The cell text with a superseded name replaced by its successor. When the successor is already named in the
 * same list, the old name is dropped instead of naming the successor twice; "UBND cấp huyện, cấp xã" (the
 * successor written as a fragment right after) becomes "UBND cấp xã".
 */
function supersededEdit(rc: RuleContext, raw: string, r: AgencyRef, list: AgencyRef[], from: number): string | null {
  const succ = r.successor!;
  const succKey = rc.memo.foldKey(succ.name);
  const other = list.find(
    (o) =>
      o !== r &&
      (o.id === succ.id ||
        o.successor?.id === succ.id ||
        (o.name !== undefined && rc.memo.foldKey(o.name) === succKey)),
  );
  if (!other) return replaceOnce(raw, r.text, succ.name, from);
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const span = new RegExp(`${esc(r.text)}(?:\\s*[,;]\\s*|\\s+và\\s+)${esc(other.text)}(?!\\p{L})`, 'u');
  if (rc.memo.foldKey(other.text) !== succKey && span.test(raw.slice(from))) {
    const i = from + raw.slice(from).search(span);
    const m = span.exec(raw.slice(i))!;
    return raw.slice(0, i) + succ.name + raw.slice(i + m[0].length);
  }
  return removeFromList(raw, r.text, from);
}

/**
 * What the directory has to say about one name, if anything: unknown, ended without a successor agency
 * (dissolution), superseded by an agency of another name, or not written in full (in that order).
 */
function problemOf(rc: RuleContext, r: AgencyRef): 'unknown' | 'ended' | 'superseded' | 'variant' | undefined {
  if (r.kind === 'unknown') return 'unknown';
  if (dissolution(rc, r)) return 'ended';
  const { memo } = rc;
  if (superseded(rc, r) && memo.foldKey(r.successor!.name) !== memo.foldKey(r.name ?? r.text)) return 'superseded';
  if (
    r.kind === 'agency' &&
    !!r.name &&
    isVariantName(memo.foldKey(r.text), memo.foldKey(r.name), lowerNfc(r.text, memo), lowerNfc(r.name, memo))
  )
    return 'variant';
  return undefined;
}

// Lists of names with nothing to report, per directory and date. The resolver's lists are memoised, so the same
// list objects recur on every row and every validation: one lookup instead of a verdict per name.
const fineLists = new WeakMap<AgencyRef[], { dir: object; date: string | undefined; fine: boolean }>();

function listFine(rc: RuleContext, list: AgencyRef[]): boolean {
  const dir = rc.directory!;
  const known = fineLists.get(list);
  if (known && known.dir === dir && known.date === rc.date) return known.fine;
  let fine = true;
  for (const r of list) if (problemOf(rc, r)) fine = false;
  fineLists.set(list, { dir, date: rc.date, fine });
  return fine;
}

/**
 * The directory's verdict on each agency of a value. `source` locates a value without cells (the prose
 * layout); a value with cells is located at the cell that holds the name, else at its first cell — worked
 * out only for a name that has a diagnostic.
 */
function checkDirectory(
  rc: RuleContext,
  av: AgencyValue,
  list: AgencyRef[],
  source: Location | undefined,
  out: Diagnostic[],
): void {
  const { view, memo, locale } = rc;
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    // A name written twice in one list is reported once (lists are short: a scan, no set).
    if (repeated(list, i)) continue;
    // Most names are fine: decide that before looking for the cell that holds the name.
    const problem = problemOf(rc, r);
    if (!problem) continue;
    const value = valueOf(rc, av);
    const holder = cellHolding(memo, value, r.text);
    const loc = holder ? view.locationOf(holder) : (source ?? view.locationOf(value.cells[0] ?? value.anchor!));
    /** The holder cell with this agency replaced by its successor, when the text allows it. */
    const successorFix = (code: 'agency.dissolved' | 'agency.superseded', params: Record<string, unknown>) => {
      if (!holder) return undefined;
      const from = av.supportAfterLead ? Math.max(0, supportStart(holder.raw)) : 0;
      return cellFix(rc, code, holder, supersededEdit(rc, holder.raw, r, list, from), params);
    };
    if (problem === 'unknown') {
      const suggestions = (r.suggestions ?? memo.suggest(rc.directory!, r.text, rc.province, rc.date)).map(
        (s) => s.name,
      );
      out.push(
        makeDiagnostic(
          'agency.unknown',
          loc,
          {
            text: quote(r.text, 80),
            province: rc.provinceName ?? rc.province ?? '',
            suggestions: suggestions.slice(0, 3),
          },
          { locale },
        ),
      );
      continue;
    }
    if (problem === 'ended') {
      const ended = dissolution(rc, r)!;
      const succ = ended.reason === 'handover' ? r.successor : undefined;
      const params: Record<string, unknown> = {
        text: r.text,
        id: r.id,
        since: ended.since,
        sinceText: displayDate(ended.since),
        reason: ended.reason,
      };
      if (succ) Object.assign(params, { successor: succ.name, successorId: succ.id });
      // A fix only when the directory names who takes the work over; otherwise the officer decides.
      const fix = succ ? successorFix('agency.dissolved', params) : undefined;
      out.push(makeDiagnostic('agency.dissolved', loc, params, { locale, fix }));
      continue;
    }
    if (problem === 'superseded') {
      // (A successor of the same name — a province merger keeping "Sở Tư pháp" — needs no change in the text.)
      const succ = r.successor!;
      const params = {
        text: r.text,
        successor: succ.name,
        since: succ.since,
        sinceText: displayDate(succ.since),
        successorId: succ.id,
        id: r.id,
      };
      out.push(
        makeDiagnostic('agency.superseded', loc, params, { locale, fix: successorFix('agency.superseded', params) }),
      );
      continue;
    }
    if (problem === 'variant') {
      const params = { text: r.text, name: r.name!, id: r.id };
      let fix;
      // Items of a prefixed list ("các sở: Tư pháp, Tài chính") are fine as written: no fix there.
      if (holder && !holder.raw.slice(0, Math.max(0, holder.raw.indexOf(r.text))).includes(':'))
        fix = cellFix(rc, 'agency.non-canonical', holder, replaceOnce(holder.raw, r.text, r.name!), params);
      out.push(makeDiagnostic('agency.non-canonical', loc, params, { locale, fix }));
    }
  }
}

/** True when one of the lead values names the agency of identity `id`. */
function leads(rc: RuleContext, values: Values, id: string): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values.items[i];
    if (v.role !== 'lead') continue;
    for (const r of refsOf(rc, v)) if (identity(rc, r) === id) return true;
  }
  return false;
}

export const checkAgencies: GroupRule = (group, rc, out) => {
  const { view, memo, locale } = rc;
  if (group.units.length === 0) {
    // Prose layout: the reader's resolved agencies, located at the task (no cells, so no fixes).
    const t = group.model;
    if (!t) return;
    const fromModel: AgencyValue = {
      role: 'lead',
      unit: undefined,
      field: 'lead',
      text: '',
      supportAfterLead: false,
      inherited: false,
      refs: undefined,
    };
    if (rc.directory) {
      checkDirectory(rc, fromModel, [...t.lead, ...t.support, ...(t.monitor ?? [])], t.source, out);
      for (const p of t.products) checkDirectory(rc, fromModel, [...p.lead, ...p.support], p.source, out);
    }
    const leadIds = new Set(t.lead.map((r) => identity(rc, r)).filter((x) => x !== undefined));
    const reported = new Set<string>();
    for (const r of t.support) {
      const id = identity(rc, r);
      if (!id || !leadIds.has(id) || reported.has(id)) continue;
      reported.add(id);
      out.push(
        makeDiagnostic(
          'agency.lead-also-support',
          t.source,
          { name: r.name ?? r.text, text: r.text, id: r.id },
          { locale },
        ),
      );
    }
    return;
  }
  // Per unit: the values, the directory's verdicts, then lead agencies also listed as coordinating. Ids are
  // compared in place (a task names a few agencies): a unit allocates nothing unless it reports.
  const u0 = group.units[0].kind === 'task' ? group.units[0] : undefined;
  const u0Values = u0 ? agencyValues(rc, u0, taskRowValues) : NO_VALUES;
  for (const unit of group.units) {
    const values = unit === u0 ? u0Values : agencyValues(rc, unit, unitValues);
    if (rc.directory)
      for (let i = 0; i < values.length; i++) {
        const v = values.items[i];
        if (v.inherited) continue;
        const list = refsOf(rc, v);
        if (!listFine(rc, list)) checkDirectory(rc, v, list, undefined, out);
      }
    // Lead also coordinating: a product row without its own lead inherits the task row's.
    const leadValues = unit !== u0 && !values.hasLead() ? u0Values : values;
    for (let i = 0; i < values.length; i++) {
      const v = values.items[i];
      if (v.role !== 'support' || v.inherited) continue;
      let reported: string[] | undefined;
      for (const r of refsOf(rc, v)) {
        const id = identity(rc, r);
        if (!id || !leads(rc, leadValues, id) || reported?.includes(id)) continue;
        (reported ??= []).push(id);
        const value = valueOf(rc, v);
        const holder = cellHolding(memo, value, r.text);
        const loc = view.locationOf(holder ?? value.cells[0] ?? value.anchor!);
        const params = { name: r.name ?? r.text, text: r.text, id: r.id };
        let fix;
        if (holder) {
          const from = v.supportAfterLead ? supportStart(holder.raw) : 0;
          const to = from >= 0 ? removeFromList(holder.raw, r.text, from) : null;
          fix = cellFix(rc, 'agency.lead-also-support', holder, to, params);
        }
        out.push(makeDiagnostic('agency.lead-also-support', loc, params, { locale, fix }));
      }
    }
  }
};
