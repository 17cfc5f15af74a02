// Server configuration from the environment, with defaults that work on a fresh checkout.
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Where the SQLite file lives when DATABASE_URL is not set. */
  dataDir: string;
  /** postgres://… to use PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema (search_path); tests give each run its own. */
  databaseSchema?: string;
  httpsCert?: string;
  httpsKey?: string;
  /** Upload limit in bytes (multipart files and JSON bodies). */
  maxUploadBytes: number;
  /** bcrypt cost; lower only in tests. */
  bcryptCost: number;
  sessionTtlHours: number;
  /** Load the demo data on start. */
  demo: boolean;
  /** Cookies marked Secure (set when serving HTTPS). */
  secureCookies: boolean;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Invalid ${name}: "${value}" (expected a non-negative integer)`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const httpsCert = env.HTTPS_CERT || undefined;
  const httpsKey = env.HTTPS_KEY || undefined;
  if (Boolean(httpsCert) !== Boolean(httpsKey)) {
    throw new Error('HTTPS_CERT and HTTPS_KEY must be set together (paths to the certificate and its key)');
  }
  return {
    port: int(env.PORT, 3000, 'PORT'),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(root, env.DATA_DIR || '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    httpsCert,
    httpsKey,
    maxUploadBytes: int(env.MAX_UPLOAD_BYTES, 20 * 1024 * 1024, 'MAX_UPLOAD_BYTES'),
    bcryptCost: int(env.BCRYPT_COST, 10, 'BCRYPT_COST'),
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 12, 'SESSION_TTL_HOURS'),
    demo: env.DEMO !== '0',
    secureCookies: Boolean(httpsCert),
  };
}

export function sqliteFile(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'phuluc.sqlite');
}
