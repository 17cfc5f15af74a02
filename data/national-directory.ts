// Directory files for the provinces that have no file of their own: the standard set of provincial bodies
// (data/agencies/common.json, described once) copied per province of the national list (data/provinces.json),
// with what differs per province (cities say "thành phố", Hà Nội's and Hồ Chí Minh's own departments and names).
// Built when the directory is first used, so the bundles carry one standard set rather than 90 near-identical files.
import type { AgencyEntry, DirectoryFile } from '../engine/normalize/agency.js';
import national from './provinces.json' with { type: 'json' };

interface Departments {
  national: string[];
  special: string[];
  extra: Record<string, string[]>;
  names: Record<string, Record<string, string>>;
}

const COMMON = 'common/';
const daysBefore = new Map<string, string>();
/** The ISO day before `iso` (each merger date comes back for every agency of the provinces it merged). */
function dayBefore(iso: string): string {
  let day = daysBefore.get(iso);
  if (day === undefined) daysBefore.set(iso, (day = new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10)));
  return day;
}
const slugOf = (id: string): string => id.slice(id.indexOf('/') + 1);

/** "Công an tỉnh" → "Công an thành phố" for a city; the name as written with "tỉnh" stays an alias. */
function cityForm(text: string): string {
  return text.replace(/(^|\s)tỉnh(?=$|\s)/g, '$1thành phố');
}

interface Target {
  id: string;
  name: string;
  city: boolean;
  validFrom?: string;
  validTo?: string;
  /** The province this one became part of, and when (merged in 2025, or Thừa Thiên Huế renamed Huế). */
  successor?: { id: string; since: string };
}

/** The 34 provinces of 2025 and the provinces they absorbed, as directory targets. */
function targets(): Target[] {
  const out: Target[] = [];
  const renamed = national.renamed as Record<string, { to: string; since: string }>;
  const names = national.beforeNames as Record<string, string>;
  for (const [id, name, full, absorbed] of national.after as [string, string, string, string[]][]) {
    const self = renamed[absorbed[0] ?? ''];
    out.push({ id, name, city: full.startsWith('Thành phố'), ...(self ? { validFrom: self.since } : {}) });
    for (const old of absorbed) {
      const since = renamed[old]?.since ?? national.since;
      out.push({ id: old, name: names[old] ?? old, city: false, validTo: dayBefore(since), successor: { id, since } });
    }
  }
  return out;
}

/**
 * One directory file per province of the national list that `own` does not cover. An agency of a province that
 * merged away carries on, at the merger, as the same body of the successor province when it has one.
 */
export function nationalDirectoryFiles(common: DirectoryFile, own: DirectoryFile[]): DirectoryFile[] {
  const deps = national.departments as unknown as Departments;
  const skip = new Set([...deps.national, ...deps.special]);
  const standard = common.agencies.filter((a) => a.kind !== 'group' && !skip.has(slugOf(a.id)));
  const special = new Map(
    common.agencies.filter((a) => deps.special.includes(slugOf(a.id))).map((a) => [slugOf(a.id), a]),
  );
  // What each standard body's entries share in every province, worked out once (this runs at every start, 2,600
  // entries): its slug, its names as written, and their city forms.
  const shared = new Map<AgencyEntry, { slug: string; cityName: string; plain: string[]; city: string[] }>();
  for (const a of [...standard, ...special.values()]) {
    const written = [a.name, ...(a.aliases ?? [])];
    shared.set(a, {
      slug: slugOf(a.id),
      cityName: cityForm(a.name),
      plain: [...new Set(written)],
      city: [...new Set([...written, ...written.map(cityForm)])],
    });
  }
  const covered = new Set(own.map((f) => f.province));
  const list = targets().filter((t) => !covered.has(t.id));
  // Ids that will exist, to link an agency into its successor province only where that body is there.
  const ids = new Set<string>(own.flatMap((f) => f.agencies.map((a) => a.id)));
  const entriesOf = new Map<string, AgencyEntry[]>();
  for (const t of list) {
    const extra = (deps.extra[t.id] ?? []).map((s) => special.get(s)).filter((a): a is AgencyEntry => !!a);
    const renamedHere = deps.names[t.id] ?? {};
    const entries = [...standard, ...extra].map((a): AgencyEntry => {
      const { slug, cityName, plain, city } = shared.get(a)!;
      const name = renamedHere[slug] ?? (t.city ? cityName : a.name);
      const aliases = (t.city ? city : plain).filter((x) => x !== name);
      const e: AgencyEntry = { id: `${t.id}/${slug}`, name, kind: 'agency' };
      if (aliases.length) e.aliases = aliases;
      if (a.validFrom) e.validFrom = a.validFrom;
      if (a.validTo) e.validTo = a.validTo;
      if (a.note) e.note = a.note;
      if (a.successor?.id.startsWith(COMMON))
        e.successor = { id: `${t.id}/${slugOf(a.successor.id)}`, since: a.successor.since };
      return e;
    });
    for (const e of entries) ids.add(e.id);
    entriesOf.set(t.id, entries);
  }
  return list.map((t): DirectoryFile => {
    const agencies = entriesOf.get(t.id)!;
    if (t.successor) {
      const { id: next, since } = t.successor;
      for (const e of agencies) {
        // A body already gone (or handed on inside the province) before the merger keeps its own link.
        if ((e.validTo && e.validTo < since) || (e.successor && e.successor.since < since)) continue;
        const target = `${next}/${slugOf(e.successor?.since === since ? e.successor.id : e.id)}`;
        if (ids.has(target)) e.successor = { id: target, since };
        if (!e.validTo || e.validTo >= since) e.validTo = dayBefore(since);
      }
    }
    const note = t.successor
      ? `Trước ${t.successor.since.split('-').reverse().join('/')}; từ đó thuộc ${list.find((x) => x.id === t.successor!.id)?.name ?? t.successor.id} (hoặc tỉnh kế tiếp). Bộ cơ quan chuẩn, không có tệp riêng.`
      : 'Bộ cơ quan chuẩn theo Nghị định 45/2025/NĐ-CP và 150/2025/NĐ-CP (xem data/provinces.json); tỉnh chưa có tệp danh mục riêng.';
    return {
      province: t.id,
      provinceName: t.name,
      ...(t.validFrom ? { validFrom: t.validFrom } : {}),
      ...(t.validTo ? { validTo: t.validTo } : {}),
      ...(t.successor ? { successorProvince: t.successor } : {}),
      note,
      agencies,
    };
  });
}
