// The Sheets add-on as Apps Script runs it: the bundled Code.js in a vm context over the fake Apps Script
// services, fed with the seed annexes. Verdicts are compared with the engine run directly on the same cells.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { allFixes, applyFixes, readAnnex, textToGrid, validateGrids, type Grid } from '../../engine/index.js';
import { parseA1 } from '../../engine/a1.js';
import { defaultDirectory } from '../../data/index.js';
import { buildSheets } from '../../scripts/build-sheets.js';
import { GLOBAL_FUNCTIONS } from '../../sheets/src/globals.js';
import { MARK_COLORS, NOTE_PREFIX, markFormula } from '../../sheets/src/marks.js';
import { FakeConditionalFormatRuleBuilder, FakeSpreadsheet, type FakeSheet } from './fake-apps-script.js';
import { bundle, loadAddon, OUT } from './run-addon.js';
import { join } from 'node:path';

const SHEET = 'Phụ lục';

function seedRows(file: string): string[][] {
  return textToGrid(readFileSync(join('seeds', file), 'utf8'), SHEET).rows.map((r) => r.cells.map((c) => c.text));
}

function spreadsheetWith(file: string): { ss: FakeSpreadsheet; sheet: FakeSheet } {
  const ss = new FakeSpreadsheet(`Kế hoạch CCHC (${file.slice(0, 3)})`);
  const sheet = ss.addSheetFromTexts(SHEET, seedRows(file));
  return { ss, sheet };
}

/** The sheet as the officer sees it, as an engine Grid (independent of the add-on's own conversion). */
function gridOf(sheet: FakeSheet): Grid {
  return {
    sheet: sheet.getName(),
    kind: 'sheet',
    rows: sheet.texts().map((cells, i) => {
      const line = cells.slice();
      while (line.length && line[line.length - 1] === '') line.pop();
      return { index: i + 1, cells: line.map((text) => ({ text })) };
    }),
  };
}

beforeAll(async () => {
  await bundle();
});

describe('the bundle', () => {
  it('is one script with every entry point as a global function and the narrowest scopes', async () => {
    const code = await bundle();
    for (const name of GLOBAL_FUNCTIONS) expect(code).toMatch(new RegExp(`^function ${name}\\(\\)`, 'm'));
    expect(code).not.toMatch(/\brequire\(|\bprocess\.env\b|\bawait import\(/);
    const r = await buildSheets({
      outDir: join(OUT, `dist-addon-${process.pid}`),
      serverUrl: 'https://phuluc.tinh.gov.vn/api',
      addon: true,
    });
    expect(r.manifest.oauthScopes).toEqual([
      'https://www.googleapis.com/auth/spreadsheets.currentonly',
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/script.external_request',
    ]);
    expect(r.manifest.urlFetchWhitelist).toEqual(['https://phuluc.tinh.gov.vn/']);
    await expect(
      buildSheets({ outDir: join(OUT, `dist-bad-${process.pid}`), serverUrl: 'http://phuluc.tinh.gov.vn' }),
    ).rejects.toThrow(/HTTPS/);
  });

  it('adds the "Phụ lục" menu whose items all name global functions', async () => {
    const { ss } = spreadsheetWith('000_683635a77beddbc9.txt');
    const addon = await loadAddon(ss);
    addon.fn.onOpen({ authMode: 'FULL' });
    expect(addon.env.ui.menus).toHaveLength(1);
    const menu = addon.env.ui.menus[0];
    expect(menu.title).toBe('Phụ lục');
    const items = menu.items.filter((i) => i !== 'separator') as { caption: string; fn: string }[];
    expect(items.map((i) => i.caption)).toEqual([
      'Kiểm tra',
      'Chuẩn hóa',
      'Chèn danh mục thả xuống',
      'Nộp báo cáo',
      'Đồng bộ với máy chủ',
      'Nhận nhiệm vụ được giao',
      'Xóa đánh dấu',
      'Cài đặt',
    ]);
    for (const i of items) expect(typeof addon.context[i.fn]).toBe('function');
    addon.fn.menuCheck();
    expect(addon.env.ui.sidebars.at(-1)?.title).toBe('Phụ lục');
    expect(addon.env.ui.sidebars.at(-1)?.html).toContain('var START = "check"');
    addon.fn.showSettings();
    expect(addon.env.ui.sidebars.at(-1)?.html).toContain('var START = "settings"');
  });
});

describe('Kiểm tra', () => {
  it('lists the same issues as the engine and marks them as a layer beside the officer’s own notes and rules', async () => {
    const { ss, sheet } = spreadsheetWith('000_683635a77beddbc9.txt');
    const expected = validateGrids([gridOf(sheet)]);
    expect(expected.stats.tasks).toBeGreaterThan(20);
    const cellIssue = expected.diagnostics.find((d) => d.location.cell)!;
    const other = expected.diagnostics.find((d) => d.location.cell && d.location.cell !== cellIssue.location.cell)!;
    // The officer's own note on one flagged cell, and an own colour rule.
    sheet.getRange(other.location.cell!).setNote('Ghi chú riêng của chuyên viên');
    const officerRule = new FakeConditionalFormatRuleBuilder()
      .whenTextContains('Sở Nội vụ')
      .setBackground('#00FF00')
      .setRanges([sheet.getRange('D1:D400')])
      .build();
    sheet.setConditionalFormatRules([officerRule]);

    const addon = await loadAddon(ss);
    const notesBefore = ss.log.setNotes.length;
    const view = addon.run('check');
    expect(view.stats).toEqual(expected.stats);
    expect(view.issues.map((i: { code: string; cell: string }) => `${i.code}@${i.cell}`)).toEqual(
      expected.diagnostics.map((d) => `${d.code}@${d.location.cell ?? `A${Math.max(1, d.location.row)}`}`),
    );
    // One notes batch for the whole sheet.
    expect(ss.log.setNotes).toHaveLength(notesBefore + 1);
    const note = sheet.getRange(cellIssue.location.cell!).getNote();
    expect(note.startsWith(NOTE_PREFIX)).toBe(true);
    expect(note).toContain(cellIssue.message);
    expect(sheet.getRange(other.location.cell!).getNote()).toBe('Ghi chú riêng của chuyên viên');
    expect(view.marks.notesSkipped).toBeGreaterThanOrEqual(1);

    const rules = sheet.getConditionalFormatRules();
    const ours = rules.filter((r) => String(r.getBooleanCondition().getCriteriaValues()[0]).includes('phuluc'));
    expect(rules.length).toBe(ours.length + 1);
    expect(rules.at(-1)!.getBooleanCondition().getCriteriaValues()).toEqual(['Sở Nội vụ']);
    const sev = cellIssue.severity;
    const rule = ours.find((r) => r.getBooleanCondition().getCriteriaValues()[0] === markFormula(sev))!;
    expect(rule.getBooleanCondition().getBackground()).toBe(MARK_COLORS[sev]);
    const { row, column } = parseA1(cellIssue.location.cell!)!;
    const covered = rule
      .getRanges()
      .some(
        (r) => r.getRow() <= row && r.getLastRow() >= row && r.getColumn() <= column && r.getLastColumn() >= column,
      );
    expect(covered).toBe(true);

    // Checking again changes nothing: no note or rule rewrite.
    addon.run('check');
    expect(ss.log.setNotes).toHaveLength(notesBefore + 1);
    expect(ss.log.setConditionalFormatRules).toHaveLength(2); // the officer's own + ours once

    // The layer is removable and leaves the officer's note and rule in place.
    const cleared = addon.run('clearMarks');
    expect(cleared.rules).toBe(ours.length);
    expect(cleared.notes).toBeGreaterThan(0);
    expect(sheet.getConditionalFormatRules().map((r) => r.getBooleanCondition().getCriteriaValues()[0])).toEqual([
      'Sở Nội vụ',
    ]);
    expect(sheet.getRange(cellIssue.location.cell!).getNote()).toBe('');
    expect(sheet.getRange(other.location.cell!).getNote()).toBe('Ghi chú riêng của chuyên viên');
  });

  it('jumps to the clicked cell', async () => {
    const { ss } = spreadsheetWith('000_683635a77beddbc9.txt');
    ss.insertSheet('Bìa');
    const addon = await loadAddon(ss);
    addon.run('goToCell', SHEET, 'E42');
    expect(ss.getActiveSheet().getName()).toBe(SHEET);
    expect(ss.getActiveRange()?.getA1Notation()).toBe('E42');
    expect(() => addon.run('goToCell', 'Không có', 'A1')).toThrow(/Không còn trang tính "Không có"/);
  });
});

describe('onEdit (simple trigger)', () => {
  it('re-validates after an edit and marks exactly the cells the engine flags; undoing the edit removes the marks', async () => {
    const { ss, sheet } = spreadsheetWith('002_2bb1168879fd1a86.txt');
    const addon = await loadAddon(ss);
    addon.run('check');
    const before = gridOf(sheet);
    const read = readAnnex([before], { directory: defaultDirectory() });
    const leadCol = read.annex.meta.columns!.find((c) => c.field === 'lead')!.index;
    const task = read.annex.sections[1].tasks[0];
    const cell = sheet.getRange(task.source.row, leadCol);
    const old = cell.getValue();
    expect(old).not.toBe('');

    cell.setValue('');
    const expected = validateGrids([gridOf(sheet)], {
      province: read.annex.meta.province,
      planYear: read.annex.meta.planYear,
    });
    const atCell = expected.diagnostics.filter((d) => d.location.cell === cell.getA1Notation());
    expect(atCell.map((d) => d.code)).toContain('lead.missing');

    addon.env.setSimpleTrigger(true);
    const notesBefore = ss.log.setNotes.length;
    const out = addon.fn.onEdit({ range: cell, source: ss, value: '', oldValue: old, authMode: 'LIMITED' });
    expect(out.rows).toEqual([task.source.row]);
    expect(out.issues).toBeGreaterThanOrEqual(1);
    expect(ss.log.setNotes.length).toBe(notesBefore + 1);
    const note = cell.getNote();
    for (const d of atCell) expect(note).toContain(d.message);
    const errorRule = sheet
      .getConditionalFormatRules()
      .find((r) => r.getBooleanCondition().getCriteriaValues()[0] === markFormula('error'))!;
    expect(errorRule.getRanges().map((r) => r.getA1Notation())).toContain(cell.getA1Notation());
    // Every cell with a diagnostic carries a note of ours, and no other cell does.
    const flagged = new Set(
      expected.diagnostics.filter((d) => d.location.sheet === SHEET && d.location.cell).map((d) => d.location.cell),
    );
    const noted = new Set<string>();
    sheet
      .getDataRange()
      .getNotes()
      .forEach((line, i) =>
        line.forEach((n, j) => n.startsWith(NOTE_PREFIX) && noted.add(`${String.fromCharCode(65 + j)}${i + 1}`)),
      );
    expect([...noted].sort()).toEqual([...flagged].sort());

    cell.setValue(old);
    addon.fn.onEdit({ range: cell, source: ss, value: old, oldValue: '', authMode: 'LIMITED' });
    expect(cell.getNote()).toBe('');
    expect(
      sheet
        .getConditionalFormatRules()
        .find((r) => r.getBooleanCondition().getCriteriaValues()[0] === markFormula('error')),
    ).toBeUndefined();
  });

  it('leaves the marking to the run holding the document lock, and releases the lock when done', async () => {
    const { ss, sheet } = spreadsheetWith('002_2bb1168879fd1a86.txt');
    const addon = await loadAddon(ss);
    addon.env.setSimpleTrigger(true);
    const cell = sheet.getRange('B20');
    addon.env.documentLock.tryLock(0); // another edit's run is marking
    expect(addon.fn.onEdit({ range: cell, source: ss })).toBeNull();
    expect(ss.log.setNotes).toHaveLength(0);
    expect(ss.log.setConditionalFormatRules).toHaveLength(0);
    addon.env.documentLock.releaseLock();
    expect(addon.fn.onEdit({ range: cell, source: ss })).not.toBeNull();
    expect(ss.log.setConditionalFormatRules.length).toBeGreaterThan(0);
    expect(addon.env.documentLock.hasLock()).toBe(false);
  });

  it('ignores edits on the dropdown list sheet and on sheets without an annex', async () => {
    const ss = new FakeSpreadsheet();
    const notes = ss.addSheetFromTexts('Ghi chép', [
      ['Việc cần làm', 'Hạn'],
      ['Gọi Sở Tài chính', '31/12/2024'],
    ]);
    const addon = await loadAddon(ss);
    addon.env.setSimpleTrigger(true);
    expect(addon.fn.onEdit({ range: notes.getRange('A2'), source: ss })).toBeNull();
    expect(ss.log.setNotes).toHaveLength(0);
    expect(ss.log.setConditionalFormatRules).toHaveLength(0);
  });
});

describe('Chuẩn hóa', () => {
  it('applies exactly the engine’s fixes for seed 002 (timeline written in the product cell) in one setValues', async () => {
    const { ss, sheet } = spreadsheetWith('002_2bb1168879fd1a86.txt');
    const original = gridOf(sheet);
    const report = validateGrids([original]);
    const inProduct = report.diagnostics.filter((d) => d.code === 'timeline.in-product');
    expect(inProduct.length).toBeGreaterThanOrEqual(1);
    const fixes = allFixes(report);
    const expected = applyFixes([original], fixes)[0];

    const addon = await loadAddon(ss);
    const out = addon.run('normalize');
    expect(ss.log.setValues).toHaveLength(1);
    expect(out.applied).toBe(fixes.length);
    expect(out.rejected).toEqual([]);
    const edited = new Set(fixes.flatMap((f) => f.edits.map((e) => `${SHEET}!${e.cell}`)));
    expect(new Set(out.cells)).toEqual(edited);

    // Cell by cell, the sheet now reads as the engine's own applyFixes result.
    const after = gridOf(sheet);
    const width = Math.max(...expected.rows.map((r) => r.cells.length), ...after.rows.map((r) => r.cells.length));
    for (const r of expected.rows) {
      const got = after.rows.find((x) => x.index === r.index);
      for (let c = 0; c < width; c++)
        expect(`${r.index}:${c + 1}=${got?.cells[c]?.text ?? ''}`).toBe(
          `${r.index}:${c + 1}=${r.cells[c]?.text ?? ''}`,
        );
    }
    // The product cells moved into the timeline column, and the re-check no longer reports them.
    for (const d of inProduct) {
      const target = String(d.params!.target);
      expect(sheet.getRange(target).getValue()).toBe(String(d.params!.text));
      expect(sheet.getRange(d.location.cell!).getValue()).toBe('');
    }
    expect(out.view.issues.filter((i: { code: string }) => i.code === 'timeline.in-product')).toEqual([]);
    expect(out.view.issues.filter((i: { code: string }) => i.code === 'text.html')).toEqual([]);
  });

  it('keeps formulas and typed values between fixed cells, and refuses a one-click fix whose cell changed', async () => {
    const { ss, sheet } = spreadsheetWith('002_2bb1168879fd1a86.txt');
    const report = validateGrids([gridOf(sheet)]);
    const html = report.diagnostics.filter((d) => d.code === 'text.html' && d.fix);
    expect(html.length).toBeGreaterThanOrEqual(2);
    const addon = await loadAddon(ss);
    const view = addon.run('check');
    const issue = view.issues.find((i: { code: string; fix?: unknown }) => i.code === 'text.html' && i.fix);
    const cell = sheet.getRange(issue.cell);
    cell.setValue('Nội dung chuyên viên vừa sửa tay');
    const writes = ss.log.setValues.length;
    const out = addon.run('applyFix', issue.fix);
    expect(out.applied).toBe(0);
    expect(out.rejected.join(' ')).toMatch(new RegExp(`Ô ${issue.cell}.*đã thay đổi`));
    expect(cell.getValue()).toBe('Nội dung chuyên viên vừa sửa tay');
    expect(ss.log.setValues).toHaveLength(writes);
    // Two fixes in one column: the block written between them keeps a formula and a typed number as they were.
    const spots = html
      .filter((d) => d.location.cell !== issue.cell)
      .map((d) => ({ cell: d.location.cell!, ...parseA1(d.location.cell!)! }));
    const taken = new Set(html.map((d) => d.location.cell));
    const pair = spots
      .flatMap((p) => spots.map((q) => [p, q] as const))
      .find(
        ([p, q]) =>
          p.column === q.column &&
          q.row - p.row >= 2 &&
          !taken.has(`${String.fromCharCode(64 + p.column)}${p.row + 1}`),
      )!;
    expect(pair).toBeDefined();
    const [first, second] = pair;
    const between = sheet.getRange(first.row + 1, first.column);
    const beside = sheet.getRange(first.row + 1, first.column + 1);
    between.setValue('=ROWS(A1:A3)');
    sheet.cell(first.row + 1, first.column).value = 3; // the value Sheets computed
    const fixA = view.issues.find(
      (i: { cell: string; code: string }) => i.code === 'text.html' && i.cell === first.cell,
    ).fix;
    const fixB = view.issues.find(
      (i: { cell: string; code: string }) => i.code === 'text.html' && i.cell === second.cell,
    ).fix;
    const typed = beside.getValue();
    const before = ss.log.setValues.length;
    const done = addon.fn.applyFix({ label: 'hai đề xuất', edits: [...fixA.edits, ...fixB.edits] });
    expect(done.applied).toBe(1);
    expect(ss.log.setValues.length).toBe(before + 1);
    expect(between.getFormulas()[0][0]).toBe('=ROWS(A1:A3)');
    expect(between.getValue()).toBe(3);
    expect(beside.getValue()).toEqual(typed);
    for (const c of [first.cell, second.cell]) expect(String(sheet.getRange(c).getValue())).not.toMatch(/<\/?[a-z]+>/i);
  });
});

describe('Chèn danh mục thả xuống', () => {
  it('writes the province directory on a hidden "Danh mục" sheet and links the agency columns to it', async () => {
    const { ss, sheet } = spreadsheetWith('002_2bb1168879fd1a86.txt');
    const addon = await loadAddon(ss);
    const r = addon.run('insertDropdowns');
    const agencies = [
      ...new Set(
        defaultDirectory()
          .agencies(r.province, '2024-01-01')
          .map((a) => a.name),
      ),
    ];
    expect(r.province).toBe('binh-thuan');
    expect(r.agencies).toBe(agencies.length);
    expect(r.columns).toEqual(['Chủ trì thực hiện', 'Phối hợp thực hiện', 'Theo dõi, kiểm tra, đôn đốc']);
    const list = ss.getSheetByName('Danh mục')!;
    expect(list.isSheetHidden()).toBe(true);
    expect(
      list
        .getRange(1, 1, agencies.length, 1)
        .getValues()
        .map((x) => x[0]),
    ).toEqual(agencies);
    const read = readAnnex([gridOf(sheet)], { directory: defaultDirectory() });
    const lead = read.annex.meta.columns!.find((c) => c.field === 'lead')!.index;
    const v = sheet.getRange(r.firstRow + 5, lead).getDataValidation()!;
    expect(v.getCriteriaType()).toBe('VALUE_IN_RANGE');
    const [range, dropdown] = v.getCriteriaValues() as [{ getSheet(): FakeSheet; getA1Notation(): string }, boolean];
    expect(range.getSheet().getName()).toBe('Danh mục');
    expect(range.getA1Notation()).toBe(`A1:A${agencies.length}`);
    expect(dropdown).toBe(true);
    expect(v.getAllowInvalid()).toBe(true);
    expect(sheet.getRange(r.firstRow - 1, lead).getDataValidation()).toBeNull(); // not on the header
    // The list sheet is never read as part of the annex.
    const view = addon.run('check');
    expect(view.issues.every((i: { sheet: string }) => i.sheet !== 'Danh mục')).toBe(true);
    // A second run replaces the lists instead of failing on the existing sheet.
    expect(addon.run('insertDropdowns').agencies).toBe(agencies.length);
  });
});

describe('Cài đặt and Nộp báo cáo (through a recording UrlFetchApp)', () => {
  it('keeps the token in user properties, the round in the document, and posts the JSON grids with the bearer token', async () => {
    const { ss, sheet } = spreadsheetWith('000_683635a77beddbc9.txt');
    sheet.getRange('H3').setValue('31/12/2024'); // typed date: stored as a Date in the spreadsheet's zone
    const calls: { url: string; method: string; headers: Record<string, string>; body?: string }[] = [];
    const addon = await loadAddon(ss, (url, init) => {
      calls.push({ url, ...init });
      if (url.endsWith('/api/rounds'))
        return {
          status: 200,
          body: JSON.stringify({
            rounds: [
              {
                id: 'r1',
                title: 'Đợt 2024',
                year: 2024,
                province: 'nam-dinh',
                deadline: '2024-01-10',
                locked: false,
                lockedAt: null,
                planSubmissionId: null,
                createdAt: '2023-12-01T00:00:00.000Z',
              },
            ],
          }),
        };
      if (init.headers.Authorization !== 'Bearer tok-123')
        return {
          status: 401,
          body: JSON.stringify({ error: { code: 'auth.invalid-token', message: 'Mã truy cập không hợp lệ.' } }),
        };
      return {
        status: 201,
        body: JSON.stringify({
          submissionId: 's1',
          version: 3,
          duplicate: false,
          status: 'submitted',
          report: validateGrids([{ sheet: 'Phụ lục', kind: 'sheet', rows: [] }]),
        }),
      };
    });
    expect(() => addon.run('submit')).toThrow(/Chưa chọn đợt báo cáo/);
    expect(() => addon.run('saveSettings', { serverUrl: 'phuluc tỉnh' })).toThrow(/không hợp lệ/);
    addon.run('saveSettings', { serverUrl: 'https://phuluc.tinh.gov.vn/', token: 'tok-123' });
    expect(addon.run('listRounds')).toEqual([{ id: 'r1', title: 'Đợt 2024', deadline: '2024-01-10', locked: false }]);
    const s = addon.run('saveSettings', { roundId: 'r1', roundTitle: 'Đợt 2024', province: 'nam-dinh' });
    expect(s).toMatchObject({
      serverUrl: 'https://phuluc.tinh.gov.vn',
      hasToken: true,
      roundId: 'r1',
      province: 'nam-dinh',
    });
    expect(JSON.stringify(s)).not.toContain('tok-123');
    expect(addon.env.userProperties.getProperty('phuluc.token')).toBe('tok-123');
    expect(addon.env.documentProperties.getProperty('phuluc.token')).toBeNull();
    expect(JSON.parse(addon.env.documentProperties.getProperty('phuluc.round')!)).toEqual({
      id: 'r1',
      title: 'Đợt 2024',
    });

    const result = addon.run('submit');
    expect(result).toMatchObject({ submissionId: 's1', version: 3, duplicate: false, roundTitle: 'Đợt 2024' });
    const post = calls.at(-1)!;
    expect(post.url).toBe('https://phuluc.tinh.gov.vn/api/rounds/r1/submissions');
    expect(post.method).toBe('POST');
    expect(post.headers['Content-Type']).toBe('application/json');
    const body = JSON.parse(post.body!);
    expect(body.source).toBe('sheets-addon');
    expect(body.fileName).toBe(ss.getName());
    expect(body.grids).toHaveLength(1);
    expect(body.grids[0].rows.find((r: { index: number }) => r.index === 3).cells[7].text).toBe('31/12/2024');
    expect(body.grids[0].rows).toHaveLength(sheet.getLastRow());

    addon.run('saveSettings', { token: 'sai' });
    expect(() => addon.run('submit')).toThrow('Mã truy cập không hợp lệ.');
  });
});
