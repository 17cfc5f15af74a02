// Hostile inputs that cost little to send and much to read: each is refused by its cap in io/limits.ts,
// with its own code and a Vietnamese message, before the reader allocates per cell.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { readFileToGrids } from '../../io/read.js';
import { InputError } from '../../io/errors.js';
import { checkGridLimits, LIMITS } from '../../io/limits.js';
import { HEADER, NS, sheet, xlsx } from './helpers.js';

async function refusal(bytes: Uint8Array, name: string): Promise<InputError> {
  try {
    await readFileToGrids(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`${name} was accepted`);
}

describe('caps on hostile input', () => {
  it('a 3 KB xlsx merging A3:XFD1048576 is refused by merge area, at once', async () => {
    const bytes = await xlsx(sheet(HEADER, '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'));
    expect(bytes.length).toBeLessThan(3 * 1024);
    const started = performance.now();
    const e = await refusal(bytes, 'gop.xlsx');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(e.code).toBe('input.limit-merge-area');
    expect(e.message).toContain('A3:XFD1048576');
    expect(e.message).toContain('vượt giới hạn');
    expect(e.where?.sheet).toBe('Phụ lục');
  });

  it('too many merged ranges are refused by count', async () => {
    const refs = Array.from({ length: LIMITS.mergeCount + 1 }, (_, i) => `<mergeCell ref="C${i + 2}:D${i + 2}"/>`).join(
      '',
    );
    const e = await refusal(await xlsx(sheet(HEADER, `<mergeCells>${refs}</mergeCells>`)), 'nhieu-gop.xlsx');
    expect(e.code).toBe('input.limit-merge-count');
  });

  it('a value in the last row or column of the sheet is refused by the row and column caps', async () => {
    expect(
      (await refusal(await xlsx(sheet(`${HEADER}<row r="1048576"><c r="A1048576"><v>1</v></c></row>`)), 'dong.xlsx'))
        .code,
    ).toBe('input.limit-rows');
    expect(
      (await refusal(await xlsx(sheet(`${HEADER}<row r="2"><c r="XFD2"><v>1</v></c></row>`)), 'cot.xlsx')).code,
    ).toBe('input.limit-columns');
  });

  it('a 64k-character number format is refused by its length (Excel stops at 255)', async () => {
    const code = 'dd/mm/yyyy hh:mm:ss '.repeat(3300);
    const styles = `<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="${code}"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`;
    const e = await refusal(
      await xlsx(sheet(`${HEADER}<row r="2"><c r="A2" s="1"><v>45000</v></c></row>`), { styles }),
      'dinh-dang.xlsx',
    );
    expect(e.code).toBe('input.limit-number-format');
    expect(e.message).toContain('255');
  });

  it('a docx with a huge gridSpan or gridBefore is refused before any loop runs on it', async () => {
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    for (const [what, trPr, tcPr] of [
      ['gridSpan', '', '<w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr>'],
      ['gridBefore', '<w:trPr><w:gridBefore w:val="2000000000"/></w:trPr>', ''],
    ]) {
      const zip = new JSZip();
      zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
      zip.file(
        'word/document.xml',
        `<w:document xmlns:w="${W}"><w:body><w:tbl><w:tr>${trPr}<w:tc>${tcPr}<w:p><w:r><w:t>Nhiệm vụ</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`,
      );
      const e = await refusal(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }), `${what}.docx`);
      expect(e.code, what).toBe('input.limit-docx-span');
      expect(e.message).toContain('63');
    }
  });

  it('JSON grids merging B2:B30000000 are refused by measuring the range, not walking it', () => {
    const grid = {
      sheet: 'Phụ lục',
      kind: 'sheet',
      rows: [{ index: 1, cells: [{ text: 'STT' }] }],
      merges: ['B2:B30000000'],
    };
    const started = performance.now();
    let err: unknown;
    try {
      checkGridLimits([grid]);
    } catch (e) {
      err = e;
    }
    expect(performance.now() - started).toBeLessThan(50);
    expect((err as InputError).code).toBe('input.limit-merge-area');
    expect(() => checkGridLimits([{ ...grid, merges: ['B2:B30'] }])).not.toThrow();
  });
});
