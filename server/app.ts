// The express app: JSON API under /api, the dashboard at /, the Excel task pane at /addin/.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { authenticate } from './auth/index.js';
import { auditRouter } from './api/audit.js';
import { authRouter } from './api/auth.js';
import { directoryRouter } from './api/directory.js';
import { roundsRouter } from './api/rounds.js';
import { submissionsRouter } from './api/submissions.js';
import { syncRouter } from './api/sync.js';
import { usersRouter } from './api/users.js';
import { templateRouter } from './api/template.js';
import { googleRouter } from './google/routes.js';
import type { GoogleOptions } from './google/config.js';
import type { Db, DialectKind } from './db/index.js';
import type { Hooks, Services } from './domain/services.js';
import { appError, errorMiddleware } from './errors.js';
import { openApiDocument } from './openapi.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  db: { db: Db; dialect: DialectKind };
  maxUploadBytes?: number;
  bcryptCost?: number;
  sessionTtlHours?: number;
  secureCookies?: boolean;
  now?: () => Date;
  /** Test-only fault injection. */
  hooks?: Hooks;
  log?: (msg: string, err: unknown) => void;
  /** One line per API request (method, path, status, ms) to this function. */
  accessLog?: (line: string) => void;
  /** Project root for static folders (defaults to this checkout). */
  root?: string;
  /** Google Sheets intake/export: explicit options, null = off, undefined = from GOOGLE_* environment variables. */
  google?: GoogleOptions | null;
}

export function servicesOf(deps: AppDeps): Services {
  return {
    db: deps.db.db,
    dialect: deps.db.dialect,
    now: deps.now ?? (() => new Date()),
    hooks: deps.hooks ?? {},
    bcryptCost: deps.bcryptCost ?? 10,
    sessionTtlHours: deps.sessionTtlHours ?? 12,
  };
}

export function createApp(deps: AppDeps): Express & { locals: { services: Services } } {
  const s = servicesOf(deps);
  const maxUploadBytes = deps.maxUploadBytes ?? 20 * 1024 * 1024;
  const root = deps.root ?? ROOT;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.locals.services = s;

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.use(cookieParser());
  if (deps.accessLog) {
    const write = deps.accessLog;
    app.use('/api', (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        write(`${new Date().toISOString()} ${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${ms.toFixed(0)}ms${req.user ? ` ${req.user.username}` : ''}`);
      });
      next();
    });
  }

  const api = express.Router();
  api.use(express.json({ limit: maxUploadBytes }));
  api.use(authenticate(s.db));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  api.get('/health', (_req, res) => {
    res.json({ ok: true, database: s.dialect });
  });
  api.use(authRouter(s, { secureCookies: deps.secureCookies ?? false }));
  api.use(directoryRouter());
  // Google Sheets intake ({googleSheetUrl} bodies) and export; other submission bodies pass on to rounds.
  api.use(googleRouter(s, deps.google));
  api.use(roundsRouter(s, { maxUploadBytes }));
  api.use(templateRouter());
  api.use(submissionsRouter(s));
  api.use(syncRouter(s));
  api.use(auditRouter(s));
  api.use(usersRouter(s));
  api.use((req, _res, next) => next(appError('not-found', { path: `${req.method} /api${req.path}` })));
  app.use('/api', api);

  // Excel task pane (built into dist/addin by the add-in build) and its manifest.
  const addinDir = join(root, 'dist', 'addin');
  // Mounted even before the first build: static passes through until dist/addin exists.
  app.use('/addin', express.static(addinDir));
  app.get('/manifest.xml', (_req, res, next) => {
    // The built copy (URLs rewritten for this server) first, then the source manifest.
    const file = [join(addinDir, 'manifest.xml'), join(root, 'manifest.xml')].find((f) => existsSync(f));
    if (!file) return next(appError('not-found', { path: '/manifest.xml' }));
    res.type('application/xml').sendFile(file);
  });

  const dashboard = join(root, 'server', 'dashboard', 'public');
  if (!existsSync(dashboard)) mkdirSync(dashboard, { recursive: true });
  app.use('/', express.static(dashboard));

  app.use(errorMiddleware(deps.log));
  return app as Express & { locals: { services: Services } };
}
