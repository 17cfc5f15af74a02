// A new stable task id (docs/SYNC.md). Its own module so that the parse workers use it without the database layer.
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';

/** A new task id: "NV-" and 12 base32 letters from 60 random bits. */
export function newTaskId(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (const b of bytes) s += ALPHABET[b & 31];
  return `NV-${s}`;
}
