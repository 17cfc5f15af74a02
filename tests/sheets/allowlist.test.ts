// The server address against Apps Script's URL allow-list (sheets/src/allowlist.ts) and the build that puts the
// list into the script (scripts/build-sheets.ts --server / --allow).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { checkServerUrl, urlAllowed } from '../../sheets/src/allowlist.js';
import { buildSheets, manifestFor } from '../../scripts/build-sheets.js';

describe('server address and the allow-list', () => {
  const list = ['https://phuluc.ninhbinh.gov.vn/', 'https://*.tinh.gov.vn/phuluc/'];

  it('accepts addresses under an entry, a wildcard subdomain included, and refuses the rest', () => {
    expect(urlAllowed('https://phuluc.ninhbinh.gov.vn', list)).toBe(true);
    expect(urlAllowed('https://phuluc.ninhbinh.gov.vn/api', list)).toBe(true);
    expect(urlAllowed('https://hanoi.tinh.gov.vn/phuluc', list)).toBe(true);
    expect(urlAllowed('https://hanoi.tinh.gov.vn/khac', list)).toBe(false);
    expect(urlAllowed('https://tinh.gov.vn/phuluc', list)).toBe(false);
    expect(urlAllowed('https://phuluc.ninhbinh.gov.vn.evil.example/', list)).toBe(false);
    expect(urlAllowed('http://phuluc.ninhbinh.gov.vn/', list)).toBe(false);
  });

  it('says in Vietnamese why an address is refused', () => {
    expect(checkServerUrl('https://phuluc.ninhbinh.gov.vn/', list)).toBe('https://phuluc.ninhbinh.gov.vn');
    expect(() => checkServerUrl('http://phuluc.ninhbinh.gov.vn', list)).toThrow(/chỉ gọi được máy chủ qua https/);
    expect(() => checkServerUrl('https://may-chu-khac.vn', list)).toThrow(
      /chỉ được phép gọi các máy chủ: https:\/\/phuluc\.ninhbinh\.gov\.vn\//,
    );
    expect(() => checkServerUrl('phuluc tỉnh', list)).toThrow(/không hợp lệ/);
    // A build without the list (the local fake) checks the form only.
    expect(checkServerUrl('http://127.0.0.1:3000', undefined)).toBe('http://127.0.0.1:3000');
  });

  it('the build puts --server and --allow prefixes into the manifest and the script', async () => {
    expect(manifestFor('https://phuluc.ninhbinh.gov.vn/api', ['https://*.tinh.gov.vn/']).urlFetchWhitelist).toEqual([
      'https://phuluc.ninhbinh.gov.vn/',
      'https://*.tinh.gov.vn/',
    ]);
    expect(() => manifestFor(undefined, ['http://*.gov.vn/'])).toThrow(/https/);
    expect(() => manifestFor(undefined, ['https://*.gov.vn'])).toThrow(/kết thúc bằng \//);
    const r = await buildSheets({
      outDir: join('test-output', 'sheets', `dist-allow-${process.pid}`),
      serverUrl: 'https://phuluc.ninhbinh.gov.vn',
    });
    expect(r.code).toContain('["https://phuluc.ninhbinh.gov.vn/"]');
  });
});
