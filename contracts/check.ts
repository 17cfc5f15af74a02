// The marked copy: an officer's xlsx checked and returned with the issues marked in it (nothing stored).
import { z } from 'zod';

/** Fields sent beside the multipart `file` of POST /api/check/marked.xlsx. */
export const CheckFormFields = z.object({
  /** Province id; defaults to the signed-in user's. */
  province: z.string().trim().min(1).max(100).optional(),
  /** Plan year; read from the document when absent. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
