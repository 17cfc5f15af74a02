// Header aliases and reform areas, loaded from data/ once and folded into comparison keys.
import type { AreaCode, Field } from '../model.js';
import { foldKey } from '../normalize/text.js';
import columnsData from '../../data/layouts/columns.json' with { type: 'json' };
import areasData from '../../data/reform-areas.json' with { type: 'json' };

interface FieldSpec {
  label: string;
  aliases: string[];
}

const fields = columnsData.fields as Record<Field, FieldSpec>;

/** Vietnamese label of each field, as used in messages ("Cơ quan chủ trì"). */
export const FIELD_LABELS = Object.fromEntries(Object.entries(fields).map(([f, s]) => [f, s.label])) as Record<
  Field,
  string
>;
export const REQUIRED_FIELDS = columnsData.required as Field[];
export const RECOMMENDED_FIELDS = columnsData.recommended as Field[];

interface AliasKey {
  key: string;
  field: Field;
}

let aliasKeys: AliasKey[] | undefined;
let aliasExact: Map<string, Field> | undefined;

function aliases(): { list: AliasKey[]; exact: Map<string, Field> } {
  if (!aliasKeys || !aliasExact) {
    const list: AliasKey[] = [];
    const exact = new Map<string, Field>();
    for (const [field, spec] of Object.entries(fields) as [Field, FieldSpec][]) {
      for (const alias of spec.aliases) {
        const key = foldKey(alias);
        if (!key || exact.has(key)) continue;
        exact.set(key, field);
        list.push({ key, field });
      }
    }
    // Longest first, so "co quan chu tri phoi hop" wins over "co quan chu tri".
    list.sort((a, b) => b.key.length - a.key.length);
    aliasKeys = list;
    aliasExact = exact;
  }
  return { list: aliasKeys, exact: aliasExact };
}

/** The field a header text means, or null. Exact alias first, then the longest alias the header starts with. */
export function headerField(text: string): Field | null {
  if (!text || text.length > 160) return null;
  const key = foldKey(text);
  if (!key) return null;
  const { list, exact } = aliases();
  const hit = exact.get(key);
  if (hit) return hit;
  // A prefix match allows a short qualifier ("Thời gian thực hiện (dự kiến)"), not a sentence.
  const words = key.split(' ').length;
  for (const a of list) {
    if (key.length > a.key.length && key.startsWith(a.key) && key.charCodeAt(a.key.length) === 32) {
      return words - a.key.split(' ').length <= 5 ? a.field : null;
    }
  }
  return null;
}

export interface ReformArea {
  code: AreaCode;
  title: string;
  keywords: string[];
}

export const REFORM_AREAS = areasData.areas as ReformArea[];

let areaKeys: { key: string; code: AreaCode }[] | undefined;

/** The reform area a section title names (longest keyword found in the title wins), or null. */
export function matchArea(title: string): AreaCode | null {
  if (!areaKeys) {
    areaKeys = [];
    for (const area of REFORM_AREAS) {
      for (const kw of [area.title, ...area.keywords]) areaKeys.push({ key: ` ${foldKey(kw)} `, code: area.code });
    }
    areaKeys.sort((a, b) => b.key.length - a.key.length);
  }
  const key = ` ${foldKey(title)} `;
  for (const a of areaKeys) if (key.includes(a.key)) return a.code;
  return null;
}
