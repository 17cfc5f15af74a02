// Bytes → Grid[], deciding the format from the content (the extension only breaks ties between
// text forms). Every refusal is an InputError with a Vietnamese message and where it happened.
import type { Grid } from '../engine/index.js';
import { textToGrid } from '../engine/index.js';
import { decodeText, looksBinary } from './encoding.js';
import { InputError, type InputWhere } from './errors.js';
import { csvToGrid, guessDelimiter, sniffDelimiter, type Delimiter } from './csv.js';
import { LIMITS } from './limits.js';
import { checkZipBomb, isZip, readZipDirectory, verifyInflatedSizes, zipKind } from './zip.js';
import { readXlsxToGrids } from './xlsx-read.js';
import { unescapeCellText } from './escape.js';
import { readPdfToGrids } from './pdf-read.js';
import { detectLegacyEncoding } from '../engine/index.js';

export type InputKind = 'xlsx' | 'docx' | 'pdf' | 'csv' | 'tsv' | 'text';

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function hasUtf16Name(bytes: Uint8Array, name: string): boolean {
  const needle = Buffer.from(name, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}

/** An OLE compound file: a password-protected OOXML file, or a legacy .xls/.doc. */
function cfbError(bytes: Uint8Array, where: InputWhere): InputError {
  if (hasUtf16Name(bytes, 'EncryptedPackage') || hasUtf16Name(bytes, 'EncryptionInfo')) {
    return new InputError('input.encrypted', {}, where);
  }
  if (hasUtf16Name(bytes, 'Workbook') || hasUtf16Name(bytes, 'Book')) {
    return new InputError(
      'input.legacy-office',
      { format: 'Excel 97–2003 (.xls)', formatEn: 'Excel 97–2003 (.xls)' },
      where,
    );
  }
  if (hasUtf16Name(bytes, 'WordDocument')) {
    return new InputError(
      'input.legacy-office',
      { format: 'Word 97–2003 (.doc)', formatEn: 'Word 97–2003 (.doc)' },
      where,
    );
  }
  return new InputError('input.unknown-type', {}, where);
}

function extension(fileName: string): string {
  return /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1].toLowerCase() ?? '';
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() || fileName;
}

async function readDocx(bytes: Uint8Array, fileName: string, where: InputWhere): Promise<Grid[]> {
  // Loaded only for Word files, so reading a spreadsheet does not load the XML parser.
  const { readDocxToGrids } = await import('./docx-read.js');
  try {
    return await readDocxToGrids(bytes, fileName);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(
      'input.unreadable',
      { detail: 'nội dung Word không hợp lệ', detailEn: 'invalid Word content' },
      where,
    );
  }
}

export interface ReadFileOptions {
  /** Force a delimiter for CSV input (otherwise sniffed). */
  delimiter?: Delimiter;
}

/** What readFileToGrids decided, for callers that want to say it. */
export interface SniffResult {
  kind: InputKind;
  encoding?: string;
}

/**
 * Reads a file's bytes into grids: xlsx (one grid per worksheet), csv/tsv (one grid), plain text
 * (one grid, rows = lines), docx (via io/docx-read.ts). Throws InputError for anything else.
 */
export async function readFileToGrids(
  input: Uint8Array | Buffer,
  fileName: string,
  options: ReadFileOptions = {},
): Promise<Grid[]> {
  return (await readFileDetailed(input, fileName, options)).grids;
}

export async function readFileDetailed(
  input: Uint8Array | Buffer,
  fileName: string,
  options: ReadFileOptions = {},
): Promise<{ grids: Grid[] } & SniffResult> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const name = baseName(fileName);
  const where: InputWhere = { file: name };
  if (bytes.length === 0) throw new InputError('input.empty', {}, where);
  if (bytes.length > LIMITS.fileBytes) {
    const size = Math.round((bytes.length / 1024 / 1024) * 10) / 10;
    throw new InputError('input.too-large', { size, limit: LIMITS.fileBytes / 1024 / 1024 }, where);
  }

  if (isZip(bytes)) {
    const dir = readZipDirectory(bytes, where);
    const kind = zipKind(dir);
    if (kind === 'other') throw new InputError('input.zip-not-office', {}, where);
    if (kind === 'xlsb')
      throw new InputError(
        'input.unsupported',
        { format: 'Excel nhị phân (.xlsb)', formatEn: 'Excel binary (.xlsb)' },
        where,
      );
    if (kind === 'ods')
      throw new InputError(
        'input.unsupported',
        { format: 'OpenDocument (.ods)', formatEn: 'OpenDocument (.ods)' },
        where,
      );
    checkZipBomb(dir, bytes.length, where);
    // The xlsx reader inflates each entry itself with the same cap; JSZip (docx) needs them checked first.
    if (kind === 'xlsx') return { kind, grids: unescapeGrids(await readXlsxToGrids(bytes, name, { directory: dir })) };
    verifyInflatedSizes(bytes, dir, where);
    return { kind, grids: await readDocx(bytes, name, where) };
  }
  if (startsWith(bytes, CFB_MAGIC)) throw cfbError(bytes, where);
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return { kind: 'pdf', grids: await readPdfToGrids(bytes, name) };
  if (startsWith(bytes, [0x50, 0x4b]))
    throw new InputError('input.zip-truncated', { detail: 'no local header' }, where);

  const decoded = decodeText(bytes);
  if (looksBinary(decoded.text)) throw new InputError('input.unknown-type', {}, where);
  if (decoded.text.trim() === '') throw new InputError('input.empty', {}, where);
  checkLostLetters(decoded.text, where);

  const result = textGrids(decoded.text, name, options);
  // A file decoded from a legacy code page says so (an info diagnostic), rather than being converted silently.
  if (decoded.encoding === 'windows-1258' || decoded.encoding === 'windows-1252') {
    const font = detectLegacyEncoding(decoded.text.slice(0, 20_000));
    const encoding = decoded.encoding === 'windows-1252' && font && font !== 'cp1258' ? font : decoded.encoding;
    for (const g of result.grids) g.encoding = encoding;
  }
  return { ...result, encoding: decoded.encoding };
}

// A letter glued to "?" on both sides ("Nhi?m v?", "S? N?i v?") is what a code page without the letter leaves
// behind (iconv, an old editor or "Save as ANSI" writing a toned letter Windows-1258 cannot hold precomposed).
// The words are gone before the file reaches us: say so and name the fix, rather than "no header row found".
const LOST_LETTER = /\p{L}\?(?=\p{L})|\p{L}\?(?=[\s,.;:)]|$)/gmu;
function checkLostLetters(text: string, where: InputWhere): void {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const hits = sample.match(LOST_LETTER)?.length ?? 0;
  if (hits < 8) return;
  const words = sample.match(/\p{L}+/gu)?.length ?? 0;
  // A question mark now and then ("Có?") is prose; one word in twenty-five is damage.
  if (hits * 25 < words) return;
  const lines = sample.split(/\r\n|\n|\r/);
  const row = lines.findIndex((l) => /\p{L}\?\p{L}/u.test(l));
  const line = lines[row] ?? '';
  const at = line.search(/\p{L}\?\p{L}/u);
  const example = line.slice(Math.max(0, at - 20), at + 30).trim();
  throw new InputError('input.lost-letters', { count: hits, row: row + 1, example }, { ...where, row: row + 1 });
}

function textGrids(text: string, name: string, options: ReadFileOptions): { kind: InputKind; grids: Grid[] } {
  const ext = extension(name);
  if (ext === 'tsv' || ext === 'tab') return { kind: 'tsv', grids: [csvToGrid(text, name, '\t')] };
  if (ext === 'csv') {
    const d = options.delimiter ?? sniffDelimiter(text) ?? ',';
    return { kind: 'csv', grids: [csvToGrid(text, name, d)] };
  }
  if (ext === 'txt' || ext === 'text' || ext === 'md') {
    return { kind: 'text', grids: [textToGrid(text, name)] };
  }
  // No telling extension (or a wrong one, like a CSV saved as .xlsx): the content decides.
  // Without the extension's word, only a file that is mostly table rows counts as CSV.
  const guess = guessDelimiter(text);
  const d = options.delimiter ?? (guess && guess.share >= 0.6 ? guess.delimiter : undefined);
  if (d && d !== '\t') return { kind: 'csv', grids: [csvToGrid(text, name, d)] };
  // Tab-separated lines among prose are the seeds' text form; textToGrid keeps line numbers.
  return { kind: d === '\t' ? 'tsv' : 'text', grids: [textToGrid(text, name)] };
}

/**
 * Read-side normalisation of spreadsheet cells: the "'=…" escape the writers add (see escape.ts) is removed, so an
 * exported annex reads back as the annex it was. Kept apart from the xlsx parser, which may change on its own.
 */
function unescapeGrids(grids: Grid[]): Grid[] {
  // Cells are replaced, not changed: the xlsx reader shares one frozen cell among all cells of one shared string.
  // Indexed loops: a million cells, and for…of over rows made an iterator result per row before being optimised.
  for (let g = 0; g < grids.length; g++) {
    const rows = grids[g].rows;
    for (let r = 0; r < rows.length; r++) {
      const cells = rows[r].cells;
      for (let i = 0; i < cells.length; i++) {
        const c = cells[i];
        if (c.text.charCodeAt(0) === 0x27 /* ' */) cells[i] = { ...c, text: unescapeCellText(c.text) };
      }
    }
  }
  return grids;
}
