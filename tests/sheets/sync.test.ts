// Two-way sync end to end: two officers of one agency push the same annex to the real server (own process);
// a stale push gets the per-task comparison, the officer's choices are written back and pushed again.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textToGrid } from '../../engine/index.js';
import { FakeSpreadsheet, type FakeSheet } from './fake-apps-script.js';
import { chromium } from 'playwright-core';
import { loadAddon, OUT } from './run-addon.js';
import { syncFetch } from './sync-fetch.js';

const ID_HEADER = 'Mã nhiệm vụ';

// google.script.run in the page, forwarding to the bundled add-on (as in sidebar.test.ts).
const BRIDGE = `
  window.google = { script: { run: (function make(ok, fail) {
    return new Proxy({}, { get(_t, name) {
      if (name === 'withSuccessHandler') return (f) => make(f, fail);
      if (name === 'withFailureHandler') return (f) => make(ok, f);
      return (...args) => {
        window.__gas(String(name), JSON.stringify(args)).then((raw) => {
          const r = JSON.parse(raw);
          if (r.error) { if (fail) fail(new Error(r.error)); }
          else if (ok) ok(r.value);
        });
      };
    } });
  })(null, null) } };
`;

function columnOf(sheet: FakeSheet, header: string): { row: number; column: number } {
  const texts = sheet.texts();
  for (let r = 0; r < texts.length; r++) {
    const c = texts[r].findIndex((t) => t.trim() === header);
    if (c >= 0) return { row: r + 1, column: c + 1 };
  }
  throw new Error(`no header ${header}`);
}

describe('Đồng bộ hai chiều with the real server', () => {
  let child: ChildProcess;
  let info: { base: string; token: string; token2: string; roundId: string };

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

  it('pushes with ids, sees a colleague’s push, resolves a stale push and the server holds the merged version', async () => {
    const rows = textToGrid(readFileSync(join('seeds', '002_2bb1168879fd1a86.txt'), 'utf8'), 'Phụ lục').rows.map((r) =>
      r.cells.map((c) => c.text),
    );
    const ssA = new FakeSpreadsheet('Kế hoạch CCHC 2024 (A)');
    ssA.addSheetFromTexts('Phụ lục', rows);
    const a = await loadAddon(ssA, syncFetch);
    a.run('saveSettings', {
      serverUrl: info.base,
      token: info.token,
      roundId: info.roundId,
      roundTitle: 'Kế hoạch CCHC năm 2024',
    });

    // 1. First push: version 1, ids in the hidden column and as row metadata.
    const first = a.run('syncPush');
    expect(first).toMatchObject({ kind: 'stored', version: 1, duplicate: false });
    expect(first.idsWritten).toBeGreaterThan(50);
    const sheetA = ssA.getSheetByName('Phụ lục')!;
    const idAt = columnOf(sheetA, ID_HEADER);
    expect(sheetA.isColumnHiddenByUser(idAt.column)).toBe(true);
    const meta = sheetA.createDeveloperMetadataFinder().withKey('phuluc.taskId').find();
    expect(meta.length).toBe(55); // one per task; the writes also hold the column header
    for (const m of meta) expect(sheetA.texts()[m.row - 1][idAt.column - 1]).toBe(m.getValue());
    expect(a.run('syncStatusView')).toMatchObject({
      state: 'in-sync',
      label: 'Đã đồng bộ',
      baseVersion: 1,
      latestVersion: 1,
    });

    // Ids survive the id column being emptied: the metadata puts them back into the grid that is pushed.
    const ids = meta.map((m) => m.getValue()).sort();
    const below = sheetA.getLastRow() - idAt.row;
    sheetA.getRange(idAt.row + 1, idAt.column, below, 1).setValues(Array.from({ length: below }, () => ['']));
    expect(a.run('syncStatusView')).toMatchObject({ state: 'ahead', label: 'Có thay đổi chưa gửi' });
    const again = a.run('syncPush');
    // Version 1 went out before the ids existed; this one carries them, taken from the metadata.
    expect(again).toMatchObject({ kind: 'stored', version: 2, duplicate: false });
    const stored2 = await fetch(`${info.base}/api/submissions/${again.submissionId}/versions/2`, {
      headers: { authorization: `Bearer ${info.token}` },
    }).then((r) => r.json());
    const storedIds = stored2.grids[0].rows
      .map((r: { cells: { text: string }[] }) => r.cells[idAt.column - 1]?.text ?? '')
      .filter((t: string) => /^NV-/.test(t));
    expect(storedIds.sort()).toEqual(ids);
    expect(a.run('syncPush')).toMatchObject({ version: 2, duplicate: true });
    expect(
      sheetA
        .createDeveloperMetadataFinder()
        .withKey('phuluc.taskId')
        .find()
        .map((m) => m.getValue())
        .sort(),
    ).toEqual(ids);

    // 2. A colleague works on a copy of the document (same document properties) and pushes first.
    const ssB = new FakeSpreadsheet('Kế hoạch CCHC 2024 (B)');
    ssB.addSheetFromTexts('Phụ lục', sheetA.texts());
    const b = await loadAddon(ssB, syncFetch);
    for (const [k, v] of Object.entries(a.env.documentProperties.getProperties()))
      b.env.documentProperties.setProperty(k, v);
    b.run('saveSettings', { serverUrl: info.base, token: info.token2 });
    const sheetB = ssB.getSheetByName('Phụ lục')!;
    const taskAt = columnOf(sheetB, 'Nhiệm vụ');
    const idRows = sheetB
      .texts()
      .map((line, i) => ({ row: i + 1, id: line[idAt.column - 1] ?? '' }))
      .filter((x) => /^NV-/.test(x.id));
    const [conflictRow, theirRow, myRow] = [idRows[3].row, idRows[10].row, idRows[20].row];
    sheetB.typeInto(conflictRow, taskAt.column, 'Nhiệm vụ sửa bởi đồng nghiệp');
    sheetB.typeInto(theirRow, taskAt.column, 'Nhiệm vụ chỉ đồng nghiệp sửa');
    expect(b.run('syncStatusView')).toMatchObject({ state: 'ahead' });
    expect(b.run('syncPush')).toMatchObject({ kind: 'stored', version: 3 });
    expect(a.run('syncStatusView')).toMatchObject({
      state: 'behind',
      label: 'Máy chủ có phiên bản mới hơn',
      latestVersion: 3,
    });

    // 3. Officer A edited the same task and another one: the push is refused with the comparison.
    sheetA.typeInto(conflictRow, taskAt.column, 'Nhiệm vụ sửa bởi tôi');
    sheetA.typeInto(myRow, taskAt.column, 'Nhiệm vụ chỉ tôi sửa');
    expect(a.run('syncStatusView')).toMatchObject({
      state: 'diverged',
      label: 'Cả hai bên đều có thay đổi: cần đối chiếu',
    });
    const stale = a.run('syncPush');
    expect(stale).toMatchObject({ kind: 'conflict', baseVersion: 2, latestVersion: 3, conflicts: 1 });
    const conflict = stale.tasks.find((t: { needsChoice: boolean }) => t.needsChoice);
    expect(conflict.mine).toContain('Nhiệm vụ sửa bởi tôi');
    expect(conflict.theirs).toContain('Nhiệm vụ sửa bởi đồng nghiệp');
    // Without a choice nothing is written.
    const before = sheetA.texts();
    expect(() => a.run('resolveSync', {})).toThrow();
    expect(sheetA.texts()).toEqual(before);

    // 4. Keep mine: one setValues, then pushed from version 2.
    const prose = sheetA.texts().slice(0, idAt.row - 1);
    const resolved = a.run('resolveSync', { [conflict.key]: 'mine' });
    // The prose above the table is kept; the merged table starts at the old header row.
    expect(
      sheetA
        .texts()
        .slice(0, idAt.row - 1)
        .map((l) => l.slice(0, 8)),
    ).toEqual(prose.map((l) => l.slice(0, 8)));
    expect(sheetA.createDeveloperMetadataFinder().withKey('phuluc.taskId').find().length).toBe(55);
    expect(resolved).toMatchObject({ kind: 'stored', version: 4 });
    const texts = sheetA.texts().flat();
    expect(texts).toContain('Nhiệm vụ sửa bởi tôi');
    expect(texts).toContain('Nhiệm vụ chỉ tôi sửa');
    expect(texts).toContain('Nhiệm vụ chỉ đồng nghiệp sửa');
    const stored = await fetch(`${info.base}/api/submissions/${resolved.submissionId}/versions/4`, {
      headers: { authorization: `Bearer ${info.token}` },
    }).then((r) => r.json());
    const storedTexts = stored.grids.flatMap((g: { rows: { cells: { text: string }[] }[] }) =>
      g.rows.flatMap((r) => r.cells.map((c) => c.text)),
    );
    expect(storedTexts).toContain('Nhiệm vụ sửa bởi tôi');
    expect(storedTexts).toContain('Nhiệm vụ chỉ đồng nghiệp sửa');
    expect(storedTexts).not.toContain('Nhiệm vụ sửa bởi đồng nghiệp');
    expect(a.run('syncStatusView')).toMatchObject({ state: 'in-sync', baseVersion: 4 });

    // 5. The colleague, still on version 3, edits the same task again: the sidebar (in Chromium) shows the
    // comparison, "Lấy của máy chủ" is picked, and the server's text ends up in the sheet.
    sheetB.typeInto(conflictRow, taskAt.column, 'Nhiệm vụ đồng nghiệp sửa lần hai');
    b.fn.showSidebar('none');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.exposeFunction('__gas', (name: string, args: string) => {
        try {
          return JSON.stringify({ value: b.run(name, ...(JSON.parse(args) as unknown[])) ?? null });
        } catch (e) {
          return JSON.stringify({ error: (e as Error).message });
        }
      });
      // The bridge goes in before the sidebar's own script, as Apps Script's iframe provides it.
      await page.setContent(b.env.ui.sidebars.at(-1)!.html.replace('<script>', `<script>${BRIDGE}</script><script>`), {
        waitUntil: 'load',
      });
      await expect.poll(() => page.locator('#sync-state').textContent()).toContain('Cả hai bên đều có thay đổi');
      await page.click('#btn-sync');
      await page.waitForSelector('#conflict table.compare');
      expect(await page.locator('#conflict th').allTextContents()).toEqual([
        'Nhiệm vụ',
        'Bản gốc',
        'Của tôi',
        'Máy chủ',
        'Chọn',
      ]);
      const row = page.locator('#conflict tr', { hasText: 'Nhiệm vụ đồng nghiệp sửa lần hai' });
      await expect.poll(() => row.textContent()).toContain('Nhiệm vụ sửa bởi tôi');
      await row.locator('input[value="theirs"]').check();
      await page.screenshot({ path: join(OUT, 'sync-conflict.png'), fullPage: true });
      await page.click('#btn-resolve');
      // Taking the server's side for the only change leaves exactly version 4: nothing new is stored.
      await expect
        .poll(() => page.locator('#status').textContent())
        .toContain('Máy chủ đã có đúng nội dung này (phiên bản 4)');
      await expect.poll(() => page.locator('#sync-state').textContent()).toContain('Đã đồng bộ · Lần đồng bộ gần nhất');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
    const textsB = sheetB.texts().flat();
    expect(textsB).toContain('Nhiệm vụ sửa bởi tôi');
    expect(textsB).not.toContain('Nhiệm vụ đồng nghiệp sửa lần hai');
  }, 120_000);
});
