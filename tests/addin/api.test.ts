// The pane's HTTP client and offline queue against a real HTTP server on loopback (no fetch stubs):
// connection refused → queued; server back → sent in order; 4xx → shown, not retried.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiError, MemoryStore, OfflineError, SubmitQueue } from '../../addin/api.js';
import { checkServer, loadSettings, saveSettings, tokenFor } from '../../addin/settings.js';
import type { Grid } from '../../engine/model.js';
import { validateGrids } from '../../engine/index.js';

const grid: Grid = { sheet: 'Phụ lục', kind: 'sheet', rows: [{ index: 1, cells: [{ text: 'STT' }] }] };
const round = {
  id: 'r1',
  title: 'Kế hoạch CCHC năm 2026',
  year: 2026,
  province: 'hn',
  deadline: '2026-01-10',
  locked: false,
  lockedAt: null,
  planSubmissionId: null,
  createdAt: '2025-12-01T00:00:00.000Z',
};
let server: Server | undefined;

afterEach(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
  }
});

/** A real server on `port` (0 = any) that records submissions and answers like the API contract. */
async function listen(port = 0, reject = false) {
  const received: { auth?: string; body: any; path: string }[] = [];
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: data ? JSON.parse(data) : undefined, path: req.url! });
      res.setHeader('content-type', 'application/json');
      if (reject) {
        res.statusCode = 403;
        res.end(
          JSON.stringify({ error: { code: 'auth.forbidden', message: 'Cơ quan của bạn không thuộc đợt nộp này.' } }),
        );
        return;
      }
      if (req.url === '/api/rounds') {
        res.end(JSON.stringify({ rounds: [round] }));
        return;
      }
      res.statusCode = 201;
      res.end(
        JSON.stringify({
          submissionId: 's1',
          version: received.filter((r) => r.path.endsWith('/submissions')).length,
          duplicate: false,
          status: 'submitted',
          report: validateGrids([grid]),
        }),
      );
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    port: (server.address() as AddressInfo).port,
    received,
  };
}

describe('ApiClient', () => {
  it('sends the bearer token and JSON grids, reads rounds', async () => {
    const s = await listen();
    const c = new ApiClient({ server: s.base + '/', token: 'tok-123' });
    expect(await c.rounds()).toEqual([round]);
    const r = await c.submit('r1', [grid]);
    expect(r.version).toBe(1);
    const sub = s.received.find((x) => x.path === '/api/rounds/r1/submissions')!;
    expect(sub.auth).toBe('Bearer tok-123');
    expect(sub.body).toEqual({ grids: [grid], source: 'excel-addin' });
  });

  it('turns the server’s error body into an ApiError with its Vietnamese message', async () => {
    const s = await listen(0, true);
    const err = await new ApiClient({ server: s.base, token: 't' }).submit('r1', [grid]).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 403,
      code: 'auth.forbidden',
      message: 'Cơ quan của bạn không thuộc đợt nộp này.',
    });
  });
});

describe('SubmitQueue', () => {
  it('queues when the server is unreachable, then sends when it is back', async () => {
    // find a free port, then close it so connections are refused
    const probe = await listen();
    const port = probe.port;
    server!.close();
    server = undefined;
    const store = new MemoryStore();
    const q = new SubmitQueue(store, (srv) => new ApiClient({ server: srv, token: 'tok' }));
    const base = `http://127.0.0.1:${port}`;
    const out = await q.submit(base, 'r1', [grid], 'Kế hoạch CCHC năm 2026');
    expect(out.kind).toBe('queued');
    if (out.kind === 'queued') expect(out.reason).toMatch(/Không kết nối được máy chủ/);
    // a newer submission for the same round replaces the waiting one
    await q.submit(base, 'r1', [{ ...grid, sheet: 'Phụ lục mới' }]);
    expect(q.items()).toHaveLength(1);
    expect(q.items()[0].grids[0].sheet).toBe('Phụ lục mới');
    // still offline: the item stays, attempts counted
    const again = await q.flush();
    expect(again[0].kind).toBe('queued');
    expect(q.items()[0].attempts).toBe(2);
    // a new queue object (pane reopened) finds it in storage and sends it
    const s = await listen(port);
    const q2 = new SubmitQueue(store, (srv) => new ApiClient({ server: srv, token: 'tok' }));
    const sent = await q2.flush();
    expect(sent.map((o) => o.kind)).toEqual(['sent']);
    expect(q2.items()).toEqual([]);
    expect(s.received.find((r) => r.path === '/api/rounds/r1/submissions')?.body.grids[0].sheet).toBe('Phụ lục mới');
  });

  it('does not queue a rejection: the officer must fix it', async () => {
    const s = await listen(0, true);
    const q = new SubmitQueue(new MemoryStore(), (srv) => new ApiClient({ server: srv, token: 'tok' }));
    const out = await q.submit(s.base, 'r1', [grid]);
    expect(out.kind).toBe('rejected');
    expect(q.items()).toEqual([]);
  });

  it('reports an unreachable host as OfflineError, not as a server answer', async () => {
    const err = await new ApiClient({ server: 'http://127.0.0.1:9', token: '' }).rounds().catch((e) => e);
    expect(err).toBeInstanceOf(OfflineError);
  });

  it('says when an answer is not of the contract’s shape (client and server of different versions)', async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      // A round as an older server would send it: every field but the year.
      const round = {
        id: 'r1',
        title: 'Đợt cũ',
        province: 'nam-dinh',
        deadline: '2026-03-31',
        createdAt: '2026-01-02T00:00:00Z',
        locked: false,
        lockedAt: null,
        planSubmissionId: null,
      };
      res.end(JSON.stringify({ rounds: [round] }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const err = await new ApiClient({ server: base, token: 't' }).rounds().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'http.contract' });
    expect(err.message).toMatch(/không đúng định dạng.*rounds\.0\.year/);
  });
});

describe('pane settings', () => {
  it('keeps the token on this computer and the server address in the workbook', () => {
    const doc = new Map<string, unknown>();
    let saved = 0;
    const docSettings = {
      get: (k: string) => doc.get(k) ?? null,
      set: (k: string, v: unknown) => void doc.set(k, v),
      remove: (k: string) => void doc.delete(k),
      saveAsync: () => void saved++,
    };
    const local = new MemoryStore();
    saveSettings(docSettings, local, {
      server: 'https://phuluc.tinh.gov.vn',
      token: 'bí-mật',
      roundId: 'r1',
      province: 'binh-thuan',
    });
    expect([...doc.values()]).not.toContain('bí-mật');
    expect(local.getItem('phuluc.token@https://phuluc.tinh.gov.vn')).toBe('bí-mật');
    expect(saved).toBe(1);
    expect(loadSettings(docSettings, local, 'https://x')).toEqual({
      server: 'https://phuluc.tinh.gov.vn',
      token: 'bí-mật',
      roundId: 'r1',
      province: 'binh-thuan',
    });
    // A workbook whose settings name another server (a crafted file) opens with no token for it.
    doc.set('phuluc.server', 'https://thu-thap.example');
    expect(loadSettings(docSettings, local, 'https://x').token).toBe('');
    expect(tokenFor(local, 'https://thu-thap.example/api')).toBe('');
    expect(tokenFor(local, 'https://phuluc.tinh.gov.vn/')).toBe('bí-mật');
    expect(checkServer(' https://a.b/ ')).toEqual({ ok: true, value: 'https://a.b' });
    expect(checkServer('ftp://a.b')).toMatchObject({ ok: false });
    expect(checkServer('')).toEqual({ ok: false, error: 'Chưa nhập địa chỉ máy chủ.' });
  });

  it('binds the token of older versions to the server that serves the pane, nowhere else', () => {
    const doc = new Map<string, unknown>([['phuluc.server', 'https://thu-thap.example']]);
    const docSettings = {
      get: (k: string) => doc.get(k) ?? null,
      set: (k: string, v: unknown) => void doc.set(k, v),
      remove: (k: string) => void doc.delete(k),
      saveAsync: () => undefined,
    };
    const local = new MemoryStore();
    local.setItem('phuluc.token', 'cu');
    expect(loadSettings(docSettings, local, 'https://phuluc.tinh.gov.vn').token).toBe('');
    expect(local.getItem('phuluc.token')).toBeNull();
    expect(tokenFor(local, 'https://phuluc.tinh.gov.vn')).toBe('cu');
  });
});
