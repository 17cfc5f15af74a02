// The national list of provinces: the 34 of 2025-07-01 (Nghị quyết 202/2025/QH15) and the 63 before them, with
// province-level successor links, and the resolution of a province as people type it ("khanh hoa", "TP HCM",
// "Thừa Thiên Huế") to a directory id at a date. Kept apart from the agency files: it is small and needs no zod.
import type { ProvinceInfo } from '../engine/normalize/agency.js';
import { foldKey } from '../engine/normalize/text.js';
import national from './provinces.json' with { type: 'json' };

/** A province with its period and successor: the shape the agency directory gives its provinces. */
export type NationalProvince = ProvinceInfo;

const MERGED = national.since;
const dayBefore = (iso: string): string => new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10);

function build(): NationalProvince[] {
  const out: NationalProvince[] = [];
  const renamed = national.renamed as Record<string, { to: string; since: string }>;
  const names = national.beforeNames as Record<string, string>;
  for (const [id, name, , absorbed] of national.after as [string, string, string, string[]][]) {
    const self = renamed[absorbed[0] ?? ''];
    out.push({ id, name, ...(self ? { validFrom: self.since } : {}) });
    for (const old of absorbed) {
      const since = renamed[old]?.since ?? MERGED;
      out.push({
        id: old,
        name: names[old] ?? old,
        validTo: dayBefore(since),
        successor: { id, since },
      });
    }
  }
  return out;
}

/** The 34 provinces of 2025-07-01 and the provinces they replaced (63 before the mergers in all). */
export const nationalProvinces: NationalProvince[] = build();
const byId = new Map(nationalProvinces.map((p) => [p.id, p]));

// Words people put before a province name: "tỉnh", "thành phố", "TP.", "UBND tỉnh".
const PREFIX = /^(?:ubnd |uy ban nhan dan )?(?:tinh |thanh pho |tp )?/;

let keys: Map<string, string> | undefined;
function keyMap(): Map<string, string> {
  if (keys) return keys;
  keys = new Map();
  const add = (text: string, id: string): void => {
    const k = foldKey(text).replace(PREFIX, '');
    if (k && !keys!.has(k)) keys!.set(k, id);
  };
  for (const p of nationalProvinces) {
    add(p.name, p.id);
    add(p.id.replace(/-/g, ' '), p.id);
  }
  for (const [id, list] of Object.entries(national.aliases as Record<string, string[]>))
    for (const a of list) add(a, id);
  return keys;
}

/**
 * The province id for a name as typed ("Khánh Hòa", "khanh hoa", "TP. Hồ Chí Minh", "TP HCM", "ninh-binh") at an
 * ISO date: a province merged or renamed before that date gives its successor ("Thừa Thiên Huế" in 2026 → "hue"),
 * a successor typed for an earlier date gives the predecessor of the same name ("Huế" in 2024 → "thua-thien-hue").
 */
export function resolveProvince(typed: string, date: string): NationalProvince | undefined {
  const k = foldKey(typed).replace(PREFIX, '');
  let id = keyMap().get(k) ?? keyMap().get(foldKey(typed));
  if (!id) return undefined;
  for (let p = byId.get(id); p?.successor && p.successor.since <= date; p = byId.get(id)) id = p.successor.id;
  const p = byId.get(id)!;
  if (p.validFrom && date < p.validFrom) {
    const before = nationalProvinces.find((q) => q.successor?.id === id && q.successor.since === p.validFrom);
    if (before) return before;
  }
  return p;
}
