// Size limits apply to JSON bodies as to uploaded files: 413 with the limit in the message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, Client, pickAgencies, startServer, type TestServer } from './harness.js';

let t: TestServer;
let officer: Client;
let roundId: string;

beforeAll(async () => {
  t = await startServer({ maxUploadBytes: 512 * 1024 });
  await addUser(t, 'admin', 'admin', null);
  const admin = new Client(t.base);
  await admin.login('admin');
  const [agency] = await pickAgencies(admin, 1);
  await addUser(t, 'officer', 'agency', agency);
  officer = new Client(t.base);
  await officer.login('officer');
  roundId = (
    await admin.post('/api/rounds', {
      title: 'Giới hạn',
      year: 2023,
      province: 'nam-dinh',
      deadline: '2023-01-05',
      expectedAgencyIds: [agency.id],
    })
  ).body.round.id;
});
afterAll(async () => {
  await t?.close();
});

describe('upload limits', () => {
  it('a JSON body over the limit gets 413, like a file', async () => {
    const big = 'x'.repeat(600 * 1024);
    const r = await officer.post(`/api/rounds/${roundId}/submissions`, {
      grids: [{ sheet: 'A', kind: 'sheet', rows: [{ index: 1, cells: [{ text: big }] }] }],
    });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('submission.too-large');
    expect(r.body.error.message).toContain('tối đa 0,5 MB');
    const f = await officer.upload(roundId, new Uint8Array(600 * 1024), 'lon.xlsx');
    expect(f.status).toBe(413);
    expect(f.body.error.message).toContain('tối đa 0,5 MB');
    const rows = await t.handle.db.selectFrom('submissions').select('id').execute();
    expect(rows).toHaveLength(0);
  });
});
