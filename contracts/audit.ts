// The audit log.
import { z } from 'zod';

export const AuditQuery = z.object({
  roundId: z.string().optional(),
  limit: z.coerce.number().int().positive().max(5000).optional(),
  afterId: z.coerce.number().int().nonnegative().optional(),
});

export const AuditRow = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  actorId: z.string().nullable(),
  /** The actor as people read it: display name ("Nguyễn Thị Lan (Sở Tư pháp)"), or "Hệ thống". */
  actorName: z.string(),
  /** The agency's name, the round's title and the target's name where the ids are known. */
  agencyName: z.string().nullable(),
  roundTitle: z.string().nullable(),
  targetName: z.string().nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  roundId: z.string().nullable(),
  agencyId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditResponse = z.object({ entries: z.array(AuditRow) });
