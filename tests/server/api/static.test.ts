// Static parts served beside the API: the dashboard at /, the Excel task pane at /addin/, the manifest.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { openDatabase, type DatabaseHandle } from '../../../server/db/index.js';

let root: string;
let handle: DatabaseHandle;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'phuluc-static-'));
  mkdirSync(join(root, 'dist', 'addin'), { recursive: true });
  writeFileSync(join(root, 'dist', 'addin', 'taskpane.html'), '<!doctype html><title>Phụ lục</title>');
  writeFileSync(join(root, 'manifest.xml'), '<?xml version="1.0"?><OfficeApp/>');
  handle = await openDatabase({ file: ':memory:' });
  server = createApp({ db: handle, root }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await handle.close();
  rmSync(root, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves the task pane and the manifest; serves the built dashboard, creating its folder when missing', async () => {
    const pane = await fetch(`${base}/addin/taskpane.html`);
    expect(pane.status).toBe(200);
    expect(await pane.text()).toContain('Phụ lục');
    const manifest = await fetch(`${base}/manifest.xml`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/xml/);
    // Then the built copy wins over the source manifest.
    writeFileSync(join(root, 'dist', 'addin', 'manifest.xml'), '<?xml version="1.0"?><OfficeApp built="1"/>');
    expect(await (await fetch(`${base}/manifest.xml`)).text()).toContain('built="1"');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(root, 'dist', 'dashboard'))).toBe(true);
    writeFileSync(join(root, 'dist', 'dashboard', 'index.html'), '<!doctype html><title>Bảng điều khiển</title>');
    writeFileSync(join(root, 'dist', 'dashboard', 'app.js'), 'export {};');
    const js = await fetch(`${base}/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Bảng điều khiển');
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
