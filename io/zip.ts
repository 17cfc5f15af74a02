// Zip inspection BEFORE any library inflates anything: reads the central directory to learn what
// the archive is (xlsx, docx, something else), whether it is complete, and whether it would expand
// into something huge (zip bomb). Then `verifyInflatedSizes` inflates each entry with a hard cap,
// so an archive whose directory lies about sizes is caught too.
import { inflateRawSync } from 'node:zlib';
import { InputError, type InputWhere } from './errors.js';
import { LIMITS } from './limits.js';

/** The zip figures of io/limits.ts under the names this module has always used. */
export const ZIP_LIMITS = {
  /** Largest file accepted at all. */
  maxFileBytes: LIMITS.fileBytes,
  /** Largest total uncompressed size. */
  maxUncompressedBytes: LIMITS.inflatedBytes,
  /** Largest expansion ratio (uncompressed / compressed), checked once an archive expands past minRatioBytes. */
  maxRatio: LIMITS.inflateRatio,
  minRatioBytes: LIMITS.ratioFloorBytes,
};

export interface ZipEntryInfo {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  encrypted: boolean;
}

export interface ZipDirectory {
  entries: ZipEntryInfo[];
  totalCompressed: number;
  totalUncompressed: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  );
}

function u64(view: DataView, at: number): number {
  // Sizes past 2^53 are absurd here; Number keeps the check simple.
  return Number(view.getBigUint64(at, true));
}

/** One decoder for every entry name (making one per name cost more than decoding it; each call starts afresh). */
const UTF8 = new TextDecoder();

/** Reads the zip central directory. Throws InputError('input.zip-truncated') when it is missing or cut. */
export function readZipDirectory(bytes: Uint8Array, where: InputWhere = {}): ZipDirectory {
  const truncated = (detail: string) => new InputError('input.zip-truncated', { detail }, where);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  if (len < 22) throw truncated('shorter than a zip end record');

  // End of central directory: last 22 bytes plus up to 65535 bytes of comment.
  let eocd = -1;
  for (let i = len - 22; i >= Math.max(0, len - 22 - 65535); i--) {
    if (view.getUint32(i, true) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw truncated('no end-of-central-directory record');

  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== SIG_EOCD64_LOCATOR) throw truncated('zip64 locator missing');
    const at = u64(view, loc + 8);
    if (at + 56 > len || view.getUint32(at, true) !== SIG_EOCD64) throw truncated('zip64 end record missing');
    count = u64(view, at + 32);
    cdSize = u64(view, at + 40);
    cdOffset = u64(view, at + 48);
  }
  if (cdOffset + cdSize > len) throw truncated('central directory beyond the end of the file');

  const entries: ZipEntryInfo[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > len || view.getUint32(p, true) !== SIG_CENTRAL) throw truncated('central directory entry damaged');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let uncompressedSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen > len) throw truncated('central directory entry damaged');
    const name = UTF8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extended information: only the fields whose 32-bit value is saturated are present, in order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const size = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + size) {
          uncompressedSize = u64(view, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + size) {
          compressedSize = u64(view, q);
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + size) localHeaderOffset = u64(view, q);
      }
      e += 4 + size;
    }
    if (localHeaderOffset + 30 > len || view.getUint32(localHeaderOffset, true) !== SIG_LOCAL) {
      throw truncated(`entry ${name}: local header missing`);
    }
    const localData =
      localHeaderOffset +
      30 +
      view.getUint16(localHeaderOffset + 26, true) +
      view.getUint16(localHeaderOffset + 28, true);
    if (localData + compressedSize > len) throw truncated(`entry ${name}: data cut off`);
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset, encrypted: (flags & 1) === 1 });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return {
    entries,
    totalCompressed: entries.reduce((a, x) => a + x.compressedSize, 0),
    totalUncompressed: entries.reduce((a, x) => a + x.uncompressedSize, 0),
  };
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

/** Refuses archives that would expand too much, judging from the directory's declared sizes. */
export function checkZipBomb(dir: ZipDirectory, fileSize: number, where: InputWhere = {}): void {
  const ratio = dir.totalUncompressed / Math.max(1, Math.min(fileSize, dir.totalCompressed || fileSize));
  const tooBig = dir.totalUncompressed > ZIP_LIMITS.maxUncompressedBytes;
  const tooDense = dir.totalUncompressed > ZIP_LIMITS.minRatioBytes && ratio > ZIP_LIMITS.maxRatio;
  const denseEntry = dir.entries.find(
    (x) =>
      x.uncompressedSize > ZIP_LIMITS.minRatioBytes &&
      x.uncompressedSize / Math.max(1, x.compressedSize) > ZIP_LIMITS.maxRatio,
  );
  if (tooBig || tooDense || denseEntry) {
    const worst =
      denseEntry ?? dir.entries.reduce((a, x) => (x.uncompressedSize > a.uncompressedSize ? x : a), dir.entries[0]);
    throw new InputError(
      'input.zip-bomb',
      { uncompressed: mb(dir.totalUncompressed), ratio: Math.round(ratio) },
      { ...where, ...(worst ? { entry: worst.name } : {}) },
    );
  }
}

/**
 * Inflates every entry with a cap at its declared size, so a directory that understates sizes
 * cannot smuggle a bomb past `checkZipBomb`. Cheap for real annexes (a few MB at most).
 */
export function verifyInflatedSizes(bytes: Uint8Array, dir: ZipDirectory, where: InputWhere = {}): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of dir.entries) {
    if (entry.encrypted) throw new InputError('input.encrypted', {}, { ...where, entry: entry.name });
    const at = entry.localHeaderOffset;
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) {
        throw new InputError(
          'input.zip-truncated',
          { detail: 'stored entry size mismatch' },
          { ...where, entry: entry.name },
        );
      }
      continue;
    }
    if (entry.method !== 8) {
      throw new InputError(
        'input.unreadable',
        { detail: `zip compression method ${entry.method}` },
        { ...where, entry: entry.name },
      );
    }
    let out: Buffer;
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) + 1 });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (
        code === 'ERR_BUFFER_TOO_LARGE' ||
        /Cannot create a Buffer larger|maxOutputLength|too large/i.test(String((e as Error).message))
      ) {
        throw new InputError('input.zip-inconsistent', {}, { ...where, entry: entry.name });
      }
      throw new InputError(
        'input.zip-truncated',
        { detail: `entry ${entry.name} does not inflate` },
        { ...where, entry: entry.name },
      );
    }
    if (out.length !== entry.uncompressedSize) {
      throw new InputError('input.zip-inconsistent', {}, { ...where, entry: entry.name });
    }
  }
}

/** What kind of Office document a zip holds, from its entry names. */
export function zipKind(dir: ZipDirectory): 'xlsx' | 'docx' | 'xlsb' | 'ods' | 'other' {
  const names = new Set(dir.entries.map((e) => e.name));
  if (names.has('xl/workbook.xml')) return 'xlsx';
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('xl/workbook.bin')) return 'xlsb';
  if (names.has('content.xml') && names.has('mimetype')) return 'ods';
  return 'other';
}
