// A worksheet part over 8 MB is inflated by zlib on its thread pool while the reader walks the pieces already
// inflated (io/xlsx-read.ts, Parts.streamAsync): the same cells as the one-thread reader, and the same refusals
// for a directory that lies about sizes, a damaged stream and a DTD.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../io/errors.js';
import { readXlsxToGrids } from '../../io/xlsx-read.js';
import { readXlsxSync } from '../../io/xlsx-read-sync.js';
import { readZipDirectory } from '../../io/zip.js';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const SHEET = 'xl/worksheets/sheet1.xml';

/** An annex sheet of `rows` task rows: about 250 bytes of XML a row, shared and inline strings, numbers. */
function bigXlsx(rows: number, opts: { doctype?: boolean } = {}): Uint8Array {
  const strings = ['Sở Tư pháp', 'Sở Nội vụ', 'Quý I/2026', 'Báo cáo kết quả'];
  const parts: string[] = [];
  for (let r = 1; r <= rows; r++)
    parts.push(
      `<row r="${r}"><c r="A${r}"><v>${r}</v></c>` +
        `<c r="B${r}" t="inlineStr"><is><t>Nhiệm vụ cải cách hành chính số ${r} &amp; kiểm tra</t></is></c>` +
        `<c r="C${r}" t="s"><v>${r % 4}</v></c><c r="D${r}" t="s"><v>${(r + 1) % 4}</v></c>` +
        `<c r="E${r}"><v>${(r * 0.25).toFixed(2)}</v></c></row>`,
    );
  const sheet =
    HEAD +
    (opts.doctype ? '<!DOCTYPE worksheet [<!ENTITY x "y">]>' : '') +
    `<worksheet xmlns="${NS}" xmlns:r="${R}"><sheetData>${parts.join('')}</sheetData></worksheet>`;
  return zipSync(
    {
      '[Content_Types].xml': strToU8(
        `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
      ),
      '_rels/.rels': strToU8(
        `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
      'xl/workbook.xml': strToU8(
        `${HEAD}<workbook xmlns="${NS}" xmlns:r="${R}"><sheets><sheet name="Phụ lục" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ),
      [SHEET]: strToU8(sheet),
      'xl/sharedStrings.xml': strToU8(
        `${HEAD}<sst xmlns="${NS}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
      ),
    },
    { level: 6 },
  );
}

/** The sheet's declared uncompressed size set to `size` in both of its headers. */
function declareSize(bytes: Uint8Array, size: number): Uint8Array {
  const out = bytes.slice();
  const entry = readZipDirectory(out).entries.find((e) => e.name === SHEET)!;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(entry.localHeaderOffset + 22, size, true);
  for (let p = 0; p < out.length - 46; p++)
    if (view.getUint32(p, true) === 0x02014b50 && view.getUint32(p + 42, true) === entry.localHeaderOffset)
      view.setUint32(p + 24, size, true);
  return out;
}

async function refusal(bytes: Uint8Array): Promise<InputError> {
  try {
    await readXlsxToGrids(bytes, 'lon.xlsx');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('read without refusal');
}

const ROWS = 40_000;

describe('a worksheet over 8 MB', () => {
  const bytes = bigXlsx(ROWS);
  const sheetSize = readZipDirectory(bytes).entries.find((e) => e.name === SHEET)!.uncompressedSize;

  it('is big enough to take the thread-pool path', () => {
    expect(sheetSize).toBeGreaterThan(8 * 1024 * 1024);
  });

  it('reads cell for cell as the one-thread reader cutting it into small pieces', async () => {
    const pooled = await readXlsxToGrids(bytes, 'lon.xlsx');
    const pieces = readXlsxSync(bytes, 'lon.xlsx', { inflateStep: 4093 });
    expect(pooled[0].rows.length).toBe(ROWS);
    const row = pooled[0].rows[ROWS - 1];
    expect(row.cells.map((c) => c.text)).toEqual([
      String(ROWS),
      `Nhiệm vụ cải cách hành chính số ${ROWS} & kiểm tra`,
      'Sở Tư pháp',
      'Sở Nội vụ',
      (ROWS * 0.25).toFixed(2).replace(/\.?0+$/, ''),
    ]);
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(pieces));
  });

  it('is refused when the directory understates or overstates its size', async () => {
    for (const size of [sheetSize - 1000, sheetSize + 1000]) {
      const e = await refusal(declareSize(bytes, size));
      expect(e.code, String(size)).toBe('input.zip-inconsistent');
      expect(e.where?.entry).toBe(SHEET);
    }
  });

  it('is refused when its deflate stream stops short, with the part named', async () => {
    // The directory gives the part half its compressed bytes: the stream ends before its last block.
    const cut = bytes.slice();
    const entry = readZipDirectory(cut).entries.find((e) => e.name === SHEET)!;
    const half = Math.floor(entry.compressedSize / 2);
    const view = new DataView(cut.buffer, cut.byteOffset, cut.byteLength);
    view.setUint32(entry.localHeaderOffset + 18, half, true);
    for (let p = 0; p < cut.length - 46; p++)
      if (view.getUint32(p, true) === 0x02014b50 && view.getUint32(p + 42, true) === entry.localHeaderOffset)
        view.setUint32(p + 20, half, true);
    const e = await refusal(cut);
    expect(e.code).toBe('input.zip-truncated');
    expect(e.where?.entry).toBe(SHEET);
  });

  it('is refused when it declares a DTD', async () => {
    const e = await refusal(bigXlsx(ROWS, { doctype: true }));
    expect(e.code).toBe('input.unreadable');
    expect(e.message).toMatch(/DTD/);
  });
});
