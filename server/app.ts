// The express app: JSON API under /api, the dashboard at /, the Excel task pane at /addin/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { authenticate } from './auth/index.js';
import { auditRouter } from './api/audit.js';
import { auditRefusals, csrfGuard, scopeGuard } from './api/guards.js';
import { authRouter } from './api/auth.js';
import { directoryRouter } from './api/directory.js';
import { roundsRouter } from './api/rounds.js';
import { decisionsRouter } from './api/decisions.js';
import { submissionsRouter } from './api/submissions.js';
import { syncRouter } from './api/sync.js';
import { usersRouter } from './api/users.js';
import { templateRouter } from './api/template.js';
import { checkRouter } from './api/check.js';
import { googleRouter } from './google/routes.js';
import type { GoogleOptions } from './google/config.js';
import type { Db, DialectKind } from './db/index.js';
import type { Hooks, Services } from './domain/services.js';
import { appError, errorMiddleware } from './errors.js';
import { openApiDocument } from '../contracts/index.js';
import { JobRunner } from './jobs/runner.js';
import { rawJson } from './api/raw-json.js';
import { ParsePool, type ParsePoolOptions } from './parse/pool.js';
import { jobsRouter, registerJobs } from './api/jobs.js';

export { ROOT };

export interface AppDeps {
  db: { db: Db; dialect: DialectKind };
  maxUploadBytes?: number;
  bcryptCost?: number;
  sessionTtlHours?: number;
  secureCookies?: boolean;
  /** Express "trust proxy" setting: the TLS proxy in front (its X-Forwarded-Proto/-For are believed). */
  trustProxy?: boolean | string | number;
  /** Other origins whose pages may post with the session cookie (besides the server's own). */
  trustedOrigins?: string[];
  /** JSON body limit for every route but the submit routes (bytes). */
  maxJsonBytes?: number;
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
  /** The parse worker pool (threads, time and memory limits, per-user cap). */
  parse?: ParsePoolOptions;
}

/** Where Office frames the task pane from (Excel on the web, Outlook/Teams hosts). */
const OFFICE_HOSTS = [
  'https://*.officeapps.live.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft.com',
  'https://*.sharepoint.com',
  'https://*.cloud.microsoft',
];

export function servicesOf(deps: AppDeps): Services {
  return {
    db: deps.db.db,
    dialect: deps.db.dialect,
    now: deps.now ?? (() => new Date()),
    hooks: deps.hooks ?? {},
    bcryptCost: deps.bcryptCost ?? 10,
    sessionTtlHours: deps.sessionTtlHours ?? 12,
    parse: new ParsePool(deps.parse),
  };
}

export function createApp(deps: AppDeps): Express & { locals: { services: Services; jobs: JobRunner } } {
  const s = servicesOf(deps);
  const runner = new JobRunner(s, deps.log);
  registerJobs(s, runner);
  const maxUploadBytes = deps.maxUploadBytes ?? 20 * 1024 * 1024;
  const root = deps.root ?? ROOT;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.locals.services = s;
  app.locals.jobs = runner;

  // Security headers. The task pane is framed by Office and loads Office.js from Microsoft's CDN; the
  // dashboard is framed by nobody and loads only its own files.
  const addinHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // No inline script: the Office.js fallback loader is a file of its own (addin/office-fallback.js).
        scriptSrc: ["'self'", 'https://appsforoffice.microsoft.com'],
        connectSrc: ["'self'", 'https:'],
        imgSrc: ["'self'", 'data:', 'https:'],
        frameSrc: ["'self'", 'https:'],
        frameAncestors: ["'self'", ...OFFICE_HOSTS],
        formAction: ["'self'"],
      },
    },
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    frameguard: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  const siteHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
  app.use((req, res, next) =>
    (req.path.startsWith('/addin/') || req.path === '/manifest.xml' ? addinHeaders : siteHeaders)(req, res, next),
  );
  app.use(cookieParser());
  if (deps.accessLog) {
    const write = deps.accessLog;
    app.use('/api', (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        write(
          `${new Date().toISOString()} ${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${ms.toFixed(0)}ms${req.user ? ` ${req.user.username}` : ''}`,
        );
      });
      next();
    });
  }

  const api = express.Router();
  // Who is asking comes first (headers only); bodies are read after. Large JSON bodies (grids) only
  // on the submit routes and only for a signed-in caller; everywhere else a small limit.
  api.use(authenticate(s.db));
  api.use(auditRefusals(s.db, s.now));
  api.use(csrfGuard(deps.trustedOrigins));
  api.use(scopeGuard());
  api.post(['/rounds/:roundId/submissions', '/rounds/:roundId/sync'], rawJson(maxUploadBytes));
  api.use(express.json({ limit: deps.maxJsonBytes ?? 256 * 1024 }));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  api.get('/health', (_req, res) => {
    res.json({ ok: true, database: s.dialect });
  });
  api.use(authRouter(s, { secureCookies: deps.secureCookies ?? false }));
  api.use(directoryRouter());
  // Google Sheets intake ({googleSheetUrl} bodies) and export; other submission bodies pass on to rounds.
  api.use(googleRouter(s, deps.google, runner));
  api.use(roundsRouter(s, { maxUploadBytes, jobs: runner }));
  api.use(decisionsRouter(s));
  api.use(jobsRouter(s));
  api.use(templateRouter());
  api.use(checkRouter(s, { maxUploadBytes }));
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

  // Dashboard: the bundle built into dist/dashboard (scripts/build-dashboard.ts), then its page and
  // styles from the sources, so / answers even before the first build.
  const dashboard = join(root, 'dist', 'dashboard');
  if (!existsSync(dashboard)) mkdirSync(dashboard, { recursive: true });
  app.use('/', express.static(dashboard));
  app.use('/', express.static(join(root, 'server', 'dashboard', 'public')));

  app.use(errorMiddleware(deps.log));
  return app as Express & { locals: { services: Services; jobs: JobRunner } };
}
