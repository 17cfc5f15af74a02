// Size limits apply to JSON bodies as to uploaded files: 413 with the limit in the message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerInRound, startServer, type Client, type TestServer } from './harness.js';

let t: TestServer;
let officer: Client;
let roundId: string;

beforeAll(async () => {
  t = await startServer({ maxUploadBytes: 512 * 1024 });
  ({ officer, roundId } = await officerInRound(t, 'Giới hạn', '2023-01-05'));
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
