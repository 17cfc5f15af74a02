// Reform areas of Nghị quyết 76/NQ-CP (data/reform-areas.json), checked once with zod: their codes, the one title
// every layer shows, the keywords a section title is matched with, and the order the resolution gives them.
// zod/mini keeps light bundles (the template layout of the add-in) small.
import * as z from 'zod/mini';
import areasData from '../../data/reform-areas.json' with { type: 'json' };
import { foldKey } from '../normalize/text.js';
import { AREA_CODES, type AreaCode } from './codes.js';

export const ReformAreaSchema = z.object({
  code: z.enum(AREA_CODES),
  /** The title written in section headings, reports, messages and the dashboard. */
  title: z.string().check(z.minLength(1)),
  /** Phrases that name the area inside a section title (compared with foldKey). */
  keywords: z.array(z.string().check(z.minLength(1))),
});
export type ReformArea = z.infer<typeof ReformAreaSchema>;

export const ReformAreasFileSchema = z.object({
  $comment: z.optional(z.string()),
  source: z.string(),
  areas: z.array(ReformAreaSchema).check(
    z.minLength(1),
    z.refine((list) => new Set(list.map((a) => a.code)).size === list.length, 'each area code appears once'),
  ),
});

/** The reform areas in the order of the resolution ("direction" first, as plans usually put it). */
export const REFORM_AREAS: readonly ReformArea[] = ReformAreasFileSchema.parse(areasData).areas;

const TITLES = new Map(REFORM_AREAS.map((a) => [a.code, a.title]));

/** The one title of an area ("Cải cách thể chế"). */
export function areaTitle(code: AreaCode): string {
  return TITLES.get(code) ?? code;
}

/** Area code → title, for lookups and for clients that receive the table as JSON. */
export const AREA_TITLES: Readonly<Record<AreaCode, string>> = Object.fromEntries(
  AREA_CODES.map((code) => [code, areaTitle(code)]),
) as Record<AreaCode, string>;

/**
 * The six reform areas whose order Nghị quyết 76/NQ-CP fixes. "Chỉ đạo, điều hành" is not one of them: plans put it
 * first or last, so the order check leaves it out.
 */
export const AREA_ORDER: readonly AreaCode[] = REFORM_AREAS.map((a) => a.code).filter((c) => c !== 'direction');

/** Position of an area in the resolution's order (direction first); unknown areas sort last. */
export function areaRank(code: AreaCode | null | undefined): number {
  const i = code ? REFORM_AREAS.findIndex((a) => a.code === code) : -1;
  return i < 0 ? REFORM_AREAS.length : i;
}

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
