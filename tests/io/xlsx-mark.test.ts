// The marked copy (io/xlsx-mark.ts) of each seed, made into the kind of workbook an officer formats by hand:
// - the package keeps every part it did not need to touch byte for byte, and the cells of the marked sheet too;
// - openpyxl sees the officer's formatting, widths, merges, panes and page setup unchanged, one note per problem
//   cell holding each issue's message and fix (an officer's own note keeps its text), and a "Kiểm tra" sheet with
//   one row per issue linking to its cell;
// - our own reader finds the same issues in the copy;
// - LibreOffice (headless) prints it with the highlight colours and the notes (as PDF annotations); the page with
//   a marked cell is kept as a PNG in test-output/marked/ for a person to look at.
// The openpyxl and LibreOffice parts are skipped where python3 with openpyxl or soffice is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { parseA1, readAnnex, validate, type Diagnostic } from '../../engine/index.js';
import { defaultDirectory } from '../../data/index.js';
import { readFileToGrids } from '../../io/read.js';
import { anchorCell, markXlsx, CHECK_SHEET } from '../../io/xlsx-mark.js';
import { MARK_COLORS, NOTE_PREFIX } from '../../clients/marks.js';
import { seeds } from './helpers.js';
import { OFFICER_NOTE, officerWorkbook } from './officer-workbook.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// The first python3 with openpyxl: the one on PATH, else Debian's, where scripts/setup.sh installs it (a python3
// earlier on PATH may be another build without it).
const python = ['python3', '/usr/bin/python3'].find((exe) => spawnSync(exe, ['-c', 'import openpyxl']).status === 0);
const hasOpenpyxl = python !== undefined;
const canRender = has('soffice') && has('pdftoppm');
const dir = mkdtempSync(join(tmpdir(), 'phuluc-mark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const OUT = join('test-output', 'marked');

async function check(bytes: Uint8Array, name: string): Promise<Diagnostic[]> {
  const directory = defaultDirectory();
  const grids = await readFileToGrids(bytes, name);
  return validate(readAnnex(grids, { directory }), { directory }).diagnostics;
}

interface Case {
  seed: string;
  original: Uint8Array;
  marked: Uint8Array;
  issues: Diagnostic[];
  noteCells: string[];
}

const cases: Promise<Case>[] = seeds.map(async (s) => {
  const fromText = await check(s.bytes, s.name);
  // The officer wrote a note of their own on the first problem cell (and on A1).
  const noteCells = fromText
    .map(anchorCell)
    .filter((c): c is string => !!c)
    .slice(0, 1);
  const original = await officerWorkbook(await readFileToGrids(s.bytes, s.name), noteCells);
  const issues = await check(original, 'phu-luc.xlsx');
  const marked = markXlsx(original, issues).bytes;
  return { seed: s.name, original, marked, issues, noteCells };
});

/** The cells of "C5" or a one-column area "C5:C9". */
function cellsOf(ref: string): string[] {
  const [from, to] = ref.split(':');
  if (!to) return [from];
  const [a, b] = [parseA1(from)!, parseA1(to)!];
  return Array.from({ length: b.row - a.row + 1 }, (_, k) => `${from.replace(/\d+$/, '')}${a.row + k}`);
}

function dump(bytes: Uint8Array, file: string): any {
  writeFileSync(join(dir, file), bytes);
  const json = execFileSync(python!, [join(import.meta.dirname, 'xlsx_dump.py'), join(dir, file), CHECK_SHEET], {
    maxBuffer: 64 << 20,
  });
  return JSON.parse(json.toString());
}

describe('marked copy: the package', () => {
  it.each(seeds.map((s, i) => [s.name, i] as const))(
    '%s: untouched parts and cells stay byte for byte',
    async (_name, i) => {
      const c = await cases[i];
      expect(c.issues.length).toBeGreaterThan(0);
      const before = unzipSync(c.original);
      const after = unzipSync(c.marked);
      const touched = new Set([
        '[Content_Types].xml',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/worksheets/sheet1.xml',
        'xl/worksheets/_rels/sheet1.xml.rels',
        'xl/comments1.xml',
        'xl/drawings/vmlDrawing1.vml',
      ]);
      for (const [name, bytes] of Object.entries(before)) {
        expect(after[name], name).toBeDefined();
        if (!touched.has(name)) expect(Buffer.from(after[name]).equals(Buffer.from(bytes)), name).toBe(true);
      }
      const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
      const cells = (xml: string) => xml.slice(xml.indexOf('<sheetData'), xml.indexOf('</sheetData>'));
      expect(cells(text(after['xl/worksheets/sheet1.xml']))).toBe(cells(text(before['xl/worksheets/sheet1.xml'])));
      // Styles only grow: the officer's cell formats keep their indices.
      const xfs = (xml: string) => /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)![1];
      expect(xfs(text(after['xl/styles.xml'])).startsWith(xfs(text(before['xl/styles.xml'])))).toBe(true);
    },
  );

  it.each(seeds.map((s, i) => [s.name, i] as const))(
    '%s: our reader finds the same issues in the copy',
    async (_name, i) => {
      const c = await cases[i];
      const again = await check(c.marked, 'phu-luc.xlsx');
      const key = (d: Diagnostic) => `${d.code} ${d.location.sheet}!${d.location.cell ?? d.location.row}`;
      expect(again.map(key).sort()).toEqual(c.issues.map(key).sort());
    },
  );

  it('writes a second check sheet name when the workbook has one already, and lists issues without a cell', async () => {
    const c = await cases[0];
    const once = markXlsx(c.original, c.issues);
    const twice = markXlsx(once.bytes, [
      { code: 'x', severity: 'warning', message: 'Không có ô', location: { sheet: 'Không tồn tại', row: 0 } },
    ]);
    expect(twice.checkSheet).toBe(`${CHECK_SHEET} (2)`);
    expect(twice.issues).toBe(1);
    expect(twice.notes).toBe(0);
  });
});

describe.skipIf(!hasOpenpyxl)('marked copy: as openpyxl reads it', () => {
  it.each(seeds.map((s, i) => [s.name, i] as const))(
    '%s: formatting kept, one note per problem cell, every issue listed and linked',
    async (name, i) => {
      const c = await cases[i];
      const before = dump(c.original, `${name}.xlsx`);
      const after = dump(c.marked, `${name}.marked.xlsx`);
      expect(after.sheets).toEqual([...before.sheets, CHECK_SHEET]);
      for (const sheet of before.sheets as string[]) {
        const [b, a] = [before.data[sheet], after.data[sheet]];
        for (const k of ['format', 'values', 'widths', 'merges', 'freeze', 'page'])
          expect(a[k], `${sheet} ${k}`).toEqual(b[k]);
      }
      const sheet = after.data['Phụ lục'];
      // One note per problem cell, holding every issue of that cell with its fix.
      const anchors = new Map<string, Diagnostic[]>();
      for (const d of c.issues) {
        const cell = anchorCell(d);
        if (cell) anchors.set(cell, [...(anchors.get(cell) ?? []), d]);
      }
      const ours = Object.entries(sheet.notes as Record<string, string>).filter(([, t]) => t.includes(NOTE_PREFIX));
      expect(ours.map(([cell]) => cell).sort()).toEqual([...anchors.keys()].sort());
      for (const [cell, list] of anchors) {
        for (const d of list) {
          expect(sheet.notes[cell]).toContain(d.message);
          if (d.hint) expect(sheet.notes[cell]).toContain(d.hint);
        }
      }
      // The officer's own notes keep their text, first.
      for (const cell of ['A1', ...c.noteCells]) expect(sheet.notes[cell].startsWith(OFFICER_NOTE)).toBe(true);
      expect(Object.keys(sheet.notes).length).toBe(new Set([...anchors.keys(), 'A1', ...c.noteCells]).size);
      // Our colours are conditional formats over exactly the problem cells.
      const coloured = (sheet.conditional as [string, string[]][]).flatMap(([ref, f]) =>
        f.some((x) => x.includes('phuluc')) ? ref.split(' ').flatMap(cellsOf) : [],
      );
      expect(coloured.sort()).toEqual([...anchors.keys()].sort());
      // The check sheet: one row per issue, in order, its cell linked.
      const check = after.data[CHECK_SHEET];
      expect(check.rows.length).toBe(c.issues.length);
      const messages = check.rows.map((r: unknown[]) => r[4]);
      expect([...messages].sort()).toEqual(c.issues.map((d) => d.message).sort());
      for (const [i, r] of (check.rows as unknown[][]).entries()) {
        const cell = r[2] as string;
        if (/^[A-Z]+\d+$/.test(cell)) expect(check.links[`C${i + 5}`]).toBe(`'Phụ lục'!${cell}`);
      }
    },
  );
});

/** The RGB pixels of a PPM (P6) image. */
function ppmPixels(ppm: Buffer): { width: number; height: number; rgb: Buffer } {
  const head = ppm.toString('latin1', 0, 64).split(/\s+/);
  const [width, height] = [Number(head[1]), Number(head[2])];
  return { width, height, rgb: ppm.subarray(ppm.length - width * height * 3) };
}

const near = (rgb: Buffer, i: number, hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return (
    Math.abs(rgb[i] - (n >> 16)) <= 6 &&
    Math.abs(rgb[i + 1] - ((n >> 8) & 255)) <= 6 &&
    Math.abs(rgb[i + 2] - (n & 255)) <= 6
  );
};

describe.skipIf(!canRender)('marked copy: as LibreOffice prints it', () => {
  it.each(seeds.map((s, i) => [s.name, i] as const))(
    '%s: highlights on the page of a problem cell, one note annotation per problem cell',
    async (name, i) => {
      const c = await cases[i];
      const file = join(dir, `${name.slice(0, 3)}.marked.xlsx`);
      writeFileSync(file, c.marked);
      execFileSync(
        'soffice',
        [
          `-env:UserInstallation=file://${join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'pdf:calc_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
          '--outdir',
          dir,
          file,
        ],
        { stdio: 'ignore', timeout: 240_000 },
      );
      const pdf = file.replace(/\.xlsx$/, '.pdf');
      // Notes: LibreOffice exports each note as a text annotation with the note's text.
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(pdf)), useSystemFonts: true }).promise;
      const notes: string[] = [];
      let pageOfMark = 0;
      const first = c.issues.find((d) => d.severity === 'error') ?? c.issues[0];
      for (let p = 1; p <= doc.numPages; p++) {
        const page = await doc.getPage(p);
        for (const a of await page.getAnnotations())
          if (a.subtype === 'Text') notes.push(String(a.contents ?? a.contentsObj?.str ?? ''));
        const text = (await page.getTextContent()).items.map((t: any) => t.str).join(' ');
        if (!pageOfMark && notes.some((n) => n.includes(first.message))) pageOfMark = p;
        void text;
      }
      const anchors = new Set(c.issues.map(anchorCell).filter(Boolean));
      const ourNotes = notes.filter((n) => n.includes(NOTE_PREFIX.trim()));
      expect(ourNotes.length).toBe(anchors.size);
      for (const d of c.issues) expect(ourNotes.some((n) => n.includes(d.message))).toBe(true);
      // Highlights: the page holding the first error's note shows its severity colour.
      expect(pageOfMark).toBeGreaterThan(0);
      const base = join(dir, `${name.slice(0, 3)}-page`);
      execFileSync('pdftoppm', [
        '-q',
        '-r',
        '60',
        '-f',
        String(pageOfMark),
        '-l',
        String(pageOfMark),
        '-singlefile',
        pdf,
        base,
      ]);
      const { rgb } = ppmPixels(readFileSync(`${base}.ppm`));
      let hits = 0;
      for (let k = 0; k < rgb.length; k += 3) if (near(rgb, k, MARK_COLORS[first.severity])) hits++;
      expect(hits).toBeGreaterThan(50);
      mkdirSync(OUT, { recursive: true });
      execFileSync('pdftoppm', [
        '-q',
        '-r',
        '70',
        '-png',
        '-f',
        String(pageOfMark),
        '-l',
        String(pageOfMark),
        '-singlefile',
        pdf,
        join(OUT, `${name.slice(0, 3)}-marked`),
      ]);
    },
    300_000,
  );
});
