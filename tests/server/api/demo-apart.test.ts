// The demo kept apart from real data: demo accounts are marked; a demo load is refused on a database
// with real accounts; a production start is refused on a database with demo accounts, naming them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { openDatabase } from '../../../server/db/index.js';
import { assertDemoAllowed, assertProductionAllowed, DEMO_PASSWORD, loadDemo } from '../../../server/demo.js';
import { createUser } from '../../../server/domain/users.js';
import { addUser, startServer, type TestServer } from './harness.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const t of servers) await t.close();
});

describe('demo apart', () => {
  it('demo accounts are marked; a database holding them refuses a production start, naming them', async () => {
    const t = await startServer();
    servers.push(t);
    await loadDemo(t.services, ROOT);
    const marked = await t.handle.db.selectFrom('users').select(['username', 'demo']).execute();
    expect(marked.every((u) => Number(u.demo) === 1)).toBe(true);
    await expect(assertProductionAllowed(t.services, 'CSDL thử')).rejects.toThrow(/admin, chuyenvien, .*tuphap/);
    await expect(assertDemoAllowed(t.services, 'CSDL thử')).resolves.toBeUndefined();
    const refusals = await t.handle.db
      .selectFrom('audit')
      .select('detail_json')
      .where('action', '=', 'demo.refused')
      .execute();
    expect(JSON.parse(refusals[0].detail_json)).toMatchObject({ mode: 'production' });
  });

  it('a database with real accounts refuses the demo: no demo user is added', async () => {
    const t = await startServer();
    servers.push(t);
    await addUser(t, 'that', 'admin', null);
    await expect(assertDemoAllowed(t.services, 'CSDL thật')).rejects.toThrow(/1 tài khoản thật/);
    expect((await t.handle.db.selectFrom('users').select('username').execute()).map((u) => u.username)).toEqual([
      'that',
    ]);
    await expect(assertProductionAllowed(t.services, 'CSDL thật')).resolves.toBeUndefined();
  });

  it('a production start on a database from before the mark, with a demo password account, stops naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phuluc-demo-apart-'));
    try {
      const handle = await openDatabase({ file: join(dir, 'phuluc.sqlite') });
      const s = {
        db: handle.db,
        dialect: handle.dialect,
        now: () => new Date(),
        hooks: {},
        bcryptCost: 4,
        sessionTtlHours: 1,
      };
      // As the old loader made it: no demo mark, the published password.
      await createUser(s, {
        username: 'chuyenvien',
        password: DEMO_PASSWORD,
        displayName: 'Chuyên viên',
        role: 'reviewer',
        province: 'nam-dinh',
      });
      await createUser(s, {
        username: 'thuc',
        password: 'mat-khau-that-2026',
        displayName: 'Người thật',
        role: 'admin',
        province: 'nam-dinh',
      });
      await handle.close();
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dir,
          DATABASE_URL: '',
          DEMO: '0',
          BCRYPT_COST: '4',
          ACCESS_LOG: '0',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr + r.stdout).toMatch(/tài khoản dùng thử với mật khẩu công khai: chuyenvien\./);
      // The demo start uses its own file and says so, and refuses nothing there.
      const demo = spawnSync(
        process.execPath,
        ['--import', 'tsx', '-e', "import('./server/config.ts').then(m => console.log(m.sqliteFile(m.loadConfig())))"],
        {
          env: { ...process.env, DATA_DIR: dir, DEMO: '' },
          encoding: 'utf8',
        },
      );
      expect(demo.stdout.trim()).toBe(join(dir, 'phuluc-demo.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
