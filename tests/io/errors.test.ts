// Bad inputs, each made here from scratch, each refused with its own InputError code and a message
// in both languages that names the file. Nothing gets as far as exceljs when the zip is unsafe.
import { beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { readFileToGrids } from '../../io/read.js';
import { INPUT_ERROR_CODES, InputError } from '../../io/errors.js';
import { errorEntry } from '../../contracts/errors.js';
import { readZipDirectory } from '../../io/zip.js';
import { readAnnex } from '../../engine/read/index.js';

async function refusal(bytes: Uint8Array | Buffer, name: string): Promise<InputError> {
  try {
    await readFileToGrids(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`${name} was accepted`);
}

/** Deterministic "random" bytes (xorshift), so a failure can be reproduced. */
function noise(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function smallXlsx(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Phụ lục');
  ws.addRow(['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện']);
  for (let i = 1; i <= 200; i++)
    ws.addRow([i, `Nhiệm vụ số ${i}`, 'Báo cáo', 'Sở Nội vụ', 'Các sở, ngành', 'Quý IV/2025']);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

describe('bad input files', () => {
  let bomb: Uint8Array;
  beforeAll(async () => {
    // 300 MB of zeros, streamed into JSZip in 1 MB chunks: about 1.3 MB on disk.
    const chunk = Buffer.alloc(1024 * 1024);
    let n = 0;
    const stream = new Readable({
      read() {
        this.push(n++ < 300 ? chunk : null);
      },
    });
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    zip.file('xl/workbook.xml', '<workbook/>');
    zip.file('xl/worksheets/sheet1.xml', stream as unknown as NodeJS.ReadableStream);
    bomb = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 1 } });
  }, 120_000);

  it('every code has Vietnamese and English texts', () => {
    for (const code of INPUT_ERROR_CODES) {
      const e = errorEntry(code);
      expect(e.vi).toMatch(/[ạảãáàâấầẩẫậăắằẳẵặẹẻẽéèêếềểễệịỉĩíìọỏõóòôốồổỗộơớờởỡợụủũúùưứừửữựỵỷỹýỳđ]/i);
      expect(e.en).not.toBe(e.vi);
      expect(e.hint?.length).toBeGreaterThan(10);
    }
  });

  it('empty file', async () => {
    const e = await refusal(new Uint8Array(0), 'trong.xlsx');
    expect(e.code).toBe('input.empty');
    expect(e.message).toBe('Tệp "trong.xlsx" rỗng, không có nội dung.');
    expect(e.messageEn).toBe('File "trong.xlsx" is empty.');
    expect(e.where).toEqual({ file: 'trong.xlsx' });
    expect((await refusal(Buffer.from('\uFEFF  \r\n\r\n'), 'trang.txt')).code).toBe('input.empty');
  });

  it('random bytes', async () => {
    expect((await refusal(noise(4096), 'phu-luc.xlsx')).code).toBe('input.unknown-type');
    expect((await refusal(noise(100, 7), 'du-lieu.txt')).code).toBe('input.unknown-type');
  });

  it('a zip that is neither xlsx nor docx', async () => {
    const zip = new JSZip();
    zip.file('ghi-chu.txt', 'không phải phụ lục');
    zip.file('anh/logo.bin', noise(2000));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    const e = await refusal(bytes, 'ho-so.zip');
    expect(e.code).toBe('input.zip-not-office');
    expect(e.message).toContain('ho-so.zip');
  });

  it('a truncated xlsx', async () => {
    const full = await smallXlsx();
    for (const keep of [0.3, 0.7, 0.99]) {
      const e = await refusal(full.subarray(0, Math.floor(full.length * keep)), 'cat-cut.xlsx');
      expect(e.code).toBe('input.zip-truncated');
    }
  });

  it('a zip bomb: 300 MB declared in the directory, refused before inflating', async () => {
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const dir = readZipDirectory(bomb);
    expect(dir.entries.find((x) => x.name === 'xl/worksheets/sheet1.xml')?.uncompressedSize).toBe(300 * 1024 * 1024);
    const e = await refusal(bomb, 'bom.xlsx');
    expect(e.code).toBe('input.zip-bomb');
    expect(e.where?.entry).toBe('xl/worksheets/sheet1.xml');
    expect(e.message).toMatch(/300 MB/);
  });

  it('a dense archive under the size limit is refused by its ratio', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    zip.file('xl/sharedStrings.xml', Buffer.alloc(8 * 1024 * 1024, 0x41));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect((await refusal(bytes, 'nen-chat.xlsx')).code).toBe('input.zip-bomb');
  });

  it('a directory that understates sizes is caught while inflating with a cap', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    zip.file('xl/worksheets/sheet1.xml', 'x'.repeat(500_000));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    // Rewrite the declared uncompressed size of sheet1.xml to 1 KB in both headers.
    const dir = readZipDirectory(bytes);
    const entry = dir.entries.find((x) => x.name === 'xl/worksheets/sheet1.xml')!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint32(entry.localHeaderOffset + 22, 1024, true);
    for (let p = 0; p < bytes.length - 4; p++) {
      if (view.getUint32(p, true) === 0x02014b50 && view.getUint32(p + 42, true) === entry.localHeaderOffset)
        view.setUint32(p + 24, 1024, true);
    }
    const e = await refusal(bytes, 'gia-mao.xlsx');
    expect(e.code).toBe('input.zip-inconsistent');
    expect(e.where?.entry).toBe('xl/worksheets/sheet1.xml');
  });

  it('a password-protected xlsx (OLE container with EncryptionInfo/EncryptedPackage)', async () => {
    const cfb = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.from(noise(200)));
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.from(noise(5000, 3)));
    const bytes = XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer;
    expect([...bytes.subarray(0, 4)]).toEqual([0xd0, 0xcf, 0x11, 0xe0]);
    const e = await refusal(bytes, 'mat-khau.xlsx');
    expect(e.code).toBe('input.encrypted');
    expect(e.message).toContain('mật khẩu');
  });

  it('a legacy .xls workbook', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      wb,
      XLSX.utils.aoa_to_sheet([
        ['STT', 'Nhiệm vụ'],
        [1, 'Rà soát'],
      ]),
      'Sheet1',
    );
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'biff8' }) as Buffer;
    const e = await refusal(bytes, 'cu.xls');
    expect(e.code).toBe('input.legacy-office');
    expect(e.message).toContain('.xls');
  });

  it('a damaged PDF (PDFs with text are read: tests/io/pdf-read.test.ts)', async () => {
    expect((await refusal(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'ke-hoach.pdf')).code).toBe(
      'input.unreadable',
    );
  });

  it('a file over 20 MB', async () => {
    const e = await refusal(Buffer.alloc(21 * 1024 * 1024, 0x41), 'lon.csv');
    expect(e.code).toBe('input.too-large');
    expect(e.message).toContain('20 MB');
  });

  it('an xlsx whose XML is broken', async () => {
    const zip = await JSZip.loadAsync(await smallXlsx());
    zip.file('xl/workbook.xml', '<workbook><sheets><sheet name=');
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    const e = await refusal(bytes, 'hong.xlsx');
    expect(e.code).toBe('input.unreadable');
  });

  it('an xlsx with an entity-expansion bomb in its XML is refused, not expanded', async () => {
    const zip = await JSZip.loadAsync(await smallXlsx());
    let entities = '<!ENTITY lol "lol">';
    for (let i = 1; i <= 9; i++) entities += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
    zip.file(
      'xl/sharedStrings.xml',
      `<?xml version="1.0"?><!DOCTYPE sst [${entities}]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>`,
    );
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect((await refusal(bytes, 'thuc-the.xlsx')).code).toBe('input.unreadable');
  });

  it('an xlsx with no annex table reads, and the reader says header.not-found', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Danh sách').addRows([
      ['Họ và tên', 'Chức vụ'],
      ['Nguyễn Văn A', 'Chuyên viên'],
    ]);
    const grids = await readFileToGrids(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer), 'danh-sach.xlsx');
    const read = readAnnex(grids);
    expect(read.annex.sections).toHaveLength(0);
    expect(read.diagnostics.map((d) => d.code)).toContain('header.not-found');
  });

  it('a real xlsx passes all the checks', async () => {
    const grids = await readFileToGrids(await smallXlsx(), 'tot.xlsx');
    expect(grids[0].rows).toHaveLength(201);
  });
});
