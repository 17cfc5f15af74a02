// The agency directory for drop-downs, and the reform areas (titles from the engine's vocabulary).
import { z } from 'zod';
import { AreaCodeSchema } from '../engine/index.js';
import { isoDate } from './common.js';

export const DirectoryQuery = z.object({ province: z.string().optional(), date: isoDate.optional() });

export const DirectoryResponse = z.object({
  /** The province answered: the successor when the one asked for was merged before that date. */
  province: z.string(),
  provinceName: z.string().optional(),
  requestedProvince: z.string(),
  mergedFrom: z.array(z.object({ from: z.string(), fromName: z.string(), since: z.string() })),
  date: z.string(),
  agencies: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
  /** Reform areas in the resolution's order, each with its one title. */
  areas: z.array(z.object({ code: AreaCodeSchema, title: z.string() })),
});
export type DirectoryResponse = z.infer<typeof DirectoryResponse>;

export const TemplateQuery = z.object({
  // A name as typed ("Khánh Hòa", "TP HCM") or an id; the route resolves it, and the file name uses the id.
  province: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .refine(
      (v) => ![...v].some((ch) => ch < ' ' || ch === '"' || ch === '\\' || ch === '/'),
      'tên hoặc mã tỉnh không chứa ký tự điều khiển, dấu ngoặc kép hay gạch chéo',
    )
    .optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày theo dạng YYYY-MM-DD')
    .optional(),
});
