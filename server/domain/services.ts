// What every use case needs: the database, a clock, the parse pool and (tests only) fault-injection hooks.
import type { Db, DialectKind } from '../db/index.js';
import type { ParsePool } from '../parse/pool.js';

export interface Hooks {
  /** Test-only: runs inside the submit transaction right after the version row is inserted. */
  afterVersionInsert?: (info: { submissionId: string; version: number }) => void | Promise<void>;
}

export interface Services {
  db: Db;
  dialect: DialectKind;
  now: () => Date;
  hooks: Hooks;
  bcryptCost: number;
  sessionTtlHours: number;
  /** Worker threads that read and validate submissions; absent: on the calling thread (scripts, domain tests). */
  parse?: ParsePool;
}

export const nowIso = (s: Pick<Services, 'now'>) => s.now().toISOString();
