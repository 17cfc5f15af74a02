// TEMPORARY until the sync router is mounted in server/app.ts: the real app behind a front that serves the sync routes.
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Server } from 'node:http';
import express from 'express';
import cookieParser from 'cookie-parser';
import { createApp } from '../../../server/app.js';
import { authenticate } from '../../../server/auth/index.js';
import { errorMiddleware } from '../../../server/errors.js';
import { openDatabase } from '../../../server/db/index.js';
import { syncRouter } from '../../../server/api/sync.js';
import type { TestServer } from '../api/harness.js';

export async function startServer(opts: { pgUrl?: string } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'phuluc-sync-'));
  const schema = opts.pgUrl ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const handle = await openDatabase(opts.pgUrl ? { url: opts.pgUrl, schema } : { file: join(dir, 'test.sqlite') });
  await handle.db.schema
    .createTable('comment_resolutions')
    .ifNotExists()
    .addColumn('comment_id', 'text', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.notNull())
    .execute();
  const logged: TestServer['logged'] = [];
  const app = createApp({ db: handle, bcryptCost: 4, log: (msg, err) => logged.push({ msg, err }) });
  const outer = express();
  outer.use(cookieParser());
  const api = express.Router();
  api.use(express.json({ limit: 20 * 1024 * 1024 }));
  api.use(authenticate(handle.db));
  api.use(syncRouter(app.locals.services));
  outer.use('/api', api);
  outer.use(app);
  outer.use(errorMiddleware((msg, err) => logged.push({ msg, err })));
  const server: Server = outer.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    handle,
    services: app.locals.services,
    logged,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (schema) await handle.db.schema.dropSchema(schema).ifExists().cascade().execute().catch(() => undefined);
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
