// The server the server benches measure: the real app on a SQLite file in a temporary folder, an admin, and a round
// of Nam Định expecting the given agencies. One set-up, so the submission and rebuild benches measure the same thing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/app.js';
import { openDatabase } from '../server/db/index.js';
import { createRound } from '../server/domain/rounds.js';
import { createUser } from '../server/domain/users.js';

export async function benchServer(name: string, round: { title: string; agencies: { id: string; name: string }[] }) {
  const dir = mkdtempSync(join(tmpdir(), `phuluc-bench-${name}-`));
  const handle = await openDatabase({ file: join(dir, 'bench.sqlite') });
  // A low bcrypt cost: the benches sign in officers by the dozen and measure submissions, not hashing.
  const app = createApp({ db: handle, bcryptCost: 4 });
  const s = app.locals.services;
  const admin = await createUser(s, {
    username: 'admin',
    password: 'x',
    displayName: 'Quản trị',
    role: 'admin',
    province: 'nam-dinh',
  });
  const opened = await createRound(s, admin, {
    title: round.title,
    year: 2023,
    province: 'nam-dinh',
    deadline: '2099-01-01',
    expected: round.agencies,
  });
  return {
    app,
    s,
    admin,
    round: opened,
    /** Stops the parse pool (after the caller stopped its load), closes the database and removes the folder. */
    async close() {
      await s.parse?.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
