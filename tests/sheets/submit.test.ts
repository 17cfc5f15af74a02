// Nộp báo cáo end to end: the bundled add-on's UrlFetchApp (synchronous, as in Apps Script) posts the sheet to the
// real server running in its own process; the server's verdict equals the engine's check in the add-on.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textToGrid } from '../../engine/index.js';
import { FakeSpreadsheet } from './fake-apps-script.js';
import { loadAddon } from './run-addon.js';
import { syncFetch } from './sync-fetch.js';

describe('Nộp báo cáo to the real server', () => {
  let child: ChildProcess;
  let info: { base: string; token: string; roundId: string; agency: { id: string; name: string } };

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', join('tests', 'sheets', 'server-process.ts')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    });
    info = JSON.parse(line);
  }, 120_000);

  afterAll(() => {
    child?.stdin?.end();
  });

  it('submits the sheet as JSON grids with the agency token and shows the server’s stats', async () => {
    const ss = new FakeSpreadsheet('Kế hoạch CCHC Bình Thuận 2024');
    const rows = textToGrid(readFileSync(join('seeds', '002_2bb1168879fd1a86.txt'), 'utf8'), 'Phụ lục').rows.map((r) =>
      r.cells.map((c) => c.text),
    );
    ss.addSheetFromTexts('Phụ lục', rows);
    const addon = await loadAddon(ss, syncFetch);
    // The server is plain http on loopback here; a deployment allows only its https origin (appsscript.json).
    addon.run('saveSettings', { serverUrl: info.base, token: info.token });
    const rounds = addon.run('listRounds');
    expect(rounds).toEqual([
      { id: info.roundId, title: 'Kế hoạch CCHC năm 2024', deadline: expect.any(String), locked: false },
    ]);
    addon.run('saveSettings', { roundId: rounds[0].id, roundTitle: rounds[0].title });

    const local = addon.run('check');
    const first = addon.run('submit');
    expect(first).toMatchObject({
      version: 1,
      duplicate: false,
      status: 'submitted',
      roundTitle: 'Kế hoạch CCHC năm 2024',
    });
    // Same table read on both sides. (The server's checkGrids does not yet pass the grids to validate(), so its
    // cell-level rules such as text.html do not run there: its findings are a subset of the add-on's.)
    expect({ ...first.stats, errors: 0, warnings: 0, infos: 0 }).toEqual({
      ...local.stats,
      errors: 0,
      warnings: 0,
      infos: 0,
    });
    expect(first.stats.errors + first.stats.warnings + first.stats.infos).toBeLessThanOrEqual(
      local.stats.errors + local.stats.warnings + local.stats.infos,
    );
    expect(first.stats.tasks).toBe(55);

    // Fix in the sheet, submit again: a new version; the same content again is not.
    addon.run('normalize');
    const second = addon.run('submit');
    expect(second.version).toBe(2);
    const v1 = await fetch(`${info.base}/api/submissions/${first.submissionId}/versions/1`, {
      headers: { authorization: `Bearer ${info.token}` },
    }).then((r) => r.json());
    const v2 = await fetch(`${info.base}/api/submissions/${first.submissionId}/versions/2`, {
      headers: { authorization: `Bearer ${info.token}` },
    }).then((r) => r.json());
    const codes = (v: { report: { diagnostics: { code: string }[] } }) => v.report.diagnostics.map((d) => d.code);
    expect(codes(v1)).toContain('timeline.in-product');
    // The timelines moved out of the product cells (which the engine now reports as empty products).
    expect(codes(v2)).not.toContain('timeline.in-product');
    expect(second.stats.tasks).toBe(55);
    expect(addon.run('submit')).toMatchObject({ version: 2, duplicate: true });

    // What the server stored is the sheet as the add-on read it.
    const stored = await fetch(`${info.base}/api/submissions/${first.submissionId}/versions/2`, {
      headers: { authorization: `Bearer ${info.token}` },
    }).then((r) => r.json());
    expect(stored.grids[0].sheet).toBe('Phụ lục');
    expect(stored.report.stats).toEqual(second.stats);
    const detail = await fetch(`${info.base}/api/submissions/${first.submissionId}`, {
      headers: { authorization: `Bearer ${info.token}` },
    }).then((r) => r.json());
    expect(detail.versions.map((v: { source: string }) => v.source)).toEqual(['sheets-addon', 'sheets-addon']);

    // A revoked or wrong token is refused with the server's message.
    addon.run('saveSettings', { token: 'khong-hop-le' });
    expect(() => addon.run('submit')).toThrow(/Mã truy cập \(API token\) không hợp lệ/);
  });
});
