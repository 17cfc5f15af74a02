// Columns of the annex table (data/layouts/columns.json), checked once with zod: the one header each field is
// written with, the aliases a header is recognised by, which fields are required, and the standard column order.
import * as z from 'zod/mini';
import columnsData from '../../data/layouts/columns.json' with { type: 'json' };
import { foldKey } from '../normalize/text.js';
import { FIELDS, type Field } from './codes.js';

const FieldName = z.enum(FIELDS);

export const FieldSpecSchema = z.object({
  /** The header written by every writer and quoted in messages ("Cơ quan chủ trì"). */
  label: z.string().check(z.minLength(1)),
  /** Headers that mean this field (compared with foldKey; a header may also start with one). */
  aliases: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});
export type FieldSpec = z.infer<typeof FieldSpecSchema>;

export const ColumnsFileSchema = z.object({
  $comment: z.optional(z.string()),
  fields: z.record(FieldName, FieldSpecSchema),
  required: z.array(FieldName),
  recommended: z.array(FieldName),
  /** The columns of an official annex, in order (Nghị định 30 style). */
  standard: z.array(FieldName).check(z.minLength(1)),
  /** Columns the template offers after the standard ones. */
  optional: z.array(FieldName),
});

const COLUMNS = ColumnsFileSchema.parse(columnsData);

/** Header of each field, as written by the writers and quoted in messages ("Cơ quan chủ trì"). */
export const FIELD_LABELS: Readonly<Record<Field, string>> = Object.fromEntries(
  Object.entries(COLUMNS.fields).map(([f, s]) => [f, s.label]),
) as Record<Field, string>;

/** The header of one field ("STT", "Nhiệm vụ", …). */
export function columnHeader(field: Field): string {
  return FIELD_LABELS[field];
}

export const REQUIRED_FIELDS: readonly Field[] = COLUMNS.required;
export const RECOMMENDED_FIELDS: readonly Field[] = COLUMNS.recommended;
/** Fields of the official annex table in order: STT, Nhiệm vụ, Sản phẩm, Cơ quan chủ trì, phối hợp, Thời gian. */
export const STANDARD_FIELDS: readonly Field[] = COLUMNS.standard;
/** Fields the template offers after the standard ones (Theo dõi…, Ghi chú). */
export const OPTIONAL_FIELDS: readonly Field[] = COLUMNS.optional;

interface AliasKey {
  key: string;
  field: Field;
}

let aliasKeys: { list: AliasKey[]; exact: Map<string, Field> } | undefined;

function aliases(): { list: AliasKey[]; exact: Map<string, Field> } {
  if (!aliasKeys) {
    const list: AliasKey[] = [];
    const exact = new Map<string, Field>();
    for (const [field, spec] of Object.entries(COLUMNS.fields) as [Field, FieldSpec][]) {
      for (const alias of spec.aliases) {
        const key = foldKey(alias);
        if (!key || exact.has(key)) continue;
        exact.set(key, field);
        list.push({ key, field });
      }
    }
    // Longest first, so "co quan chu tri phoi hop" wins over "co quan chu tri".
    list.sort((a, b) => b.key.length - a.key.length);
    aliasKeys = { list, exact };
  }
  return aliasKeys;
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

/** Column letters ("A", "AB") belong to the column vocabulary of light bundles (templates/layout.ts). */
export { columnLetter } from '../a1.js';
