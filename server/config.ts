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
  /** Load the demo data on start (on its own database: phuluc-demo.sqlite). DEMO=0 is a production start. */
  demo: boolean;
  /** Cookies marked Secure: when serving HTTPS, behind a TLS proxy (TRUST_PROXY) or with SECURE_COOKIES=1. */
  secureCookies: boolean;
  /** Express "trust proxy": TRUST_PROXY=1 (one proxy hop), a number of hops, or addresses/subnets. */
  trustProxy: boolean | number | string;
  /** TRUSTED_ORIGINS: other origins (comma-separated) whose pages may post with the session cookie. */
  trustedOrigins: string[];
}

function trustProxyOf(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === '0' || value === 'false') return 'loopback';
  if (value === '1' || value === 'true') return 1;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
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
    secureCookies:
      Boolean(httpsCert) ||
      env.SECURE_COOKIES === '1' ||
      (env.TRUST_PROXY !== undefined && !['', '0', 'false'].includes(env.TRUST_PROXY)),
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    trustedOrigins: (env.TRUSTED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  };
}

/** The SQLite file: the demo has its own, so a demo start never touches the real data. */
export function sqliteFile(config: Pick<Config, 'dataDir'> & { demo?: boolean }): string {
  return join(config.dataDir, config.demo ? 'phuluc-demo.sqlite' : 'phuluc.sqlite');
}
