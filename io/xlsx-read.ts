// xlsx → Grid[]: one Grid per worksheet, cell text as displayed, formulas kept as text, merged ranges
// listed and their covered cells marked, hidden rows, columns and sheets kept.
//
// A reader written for what the engine needs, not a general workbook model: it inflates only the parts
// it reads (workbook, its relationships, shared strings, styles, worksheets), each with the size caps of
// io/limits.ts. Parts up to 8 MB (all of an agency's annex) are inflated whole by Node's zlib. A bigger worksheet
// is inflated in pieces, by zlib on its thread pool while this thread walks the pieces already inflated
// (readXlsxToGrids; readXlsxSync, in io/xlsx-read-sync.ts, uses fflate's streaming inflate in this thread), and each
// piece is walked by a
// byte tokenizer as it arrives: a big sheet's XML is never whole in memory, there is no DOM, no object per XML
// node and no string of a part. Shared strings stay as bytes and are decoded when a cell uses them; all
// cells showing one shared string share one frozen cell object, and empty cells share one too. exceljs read
// the same files at 141k cells/s and 935 MB for 1.2 million cells (docs/PERFORMANCE.md); the tests check
// this reader against exceljs cell for cell, whatever size the inflated pieces come in.
//
// Callers go through readFileToGrids, which has already checked the zip directory (size, bomb, kind).
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import type { Inflate } from 'fflate';
import type { Grid, GridCell, GridRow } from '../engine/index.js';
import { a1, columnIndex, columnLetter } from '../engine/index.js';
import { InputError, type InputWhere } from './errors.js';
import { formatDate, formatNumber } from './format.js';
import {
  LIMITS,
  checkCells,
  checkColumns,
  checkMerges,
  checkNumberFormat,
  checkRows,
  checkSheets,
  type Limits,
} from './limits.js';
import { readZipDirectory, type ZipDirectory, type ZipEntryInfo } from './zip.js';

/** The one object every empty cell of a row points at (frozen: a reader that writes into it fails loudly). */
export const EMPTY_CELL: GridCell = Object.freeze({ text: '' }) as GridCell;

// ---------------------------------------------------------------------------------------------
// Zip parts, inflated with caps
// ---------------------------------------------------------------------------------------------

/** Compressed bytes handed to the inflater at a time: output arrives in pieces of about ten times this. */
const INFLATE_STEP = 64 * 1024;
/**
 * Parts whose declared size is at most this are inflated in one call of Node's zlib (the 60 KB sheets of a typical
 * annex: 466 → 356 ms for 100 files against fflate); a larger worksheet in pieces (streamAsync, or fflate in
 * readXlsxSync), so that a big sheet is never held whole in memory. Measured in docs/PERFORMANCE.md ("Reader").
 */
const WHOLE_INFLATE_BYTES = 8 * 1024 * 1024;

/** Whether stream() inflates a deflated entry in pieces (with the streaming inflater) rather than in one call. */
function inflatedInPieces(entry: ZipEntryInfo, step: number): boolean {
  return entry.method === 8 && (step !== INFLATE_STEP || entry.uncompressedSize > WHOLE_INFLATE_BYTES);
}

/** Inflated bytes per piece when zlib inflates a big part on its thread pool. */
const ASYNC_PIECE_BYTES = 512 * 1024;
/** Bytes of a new piece joined to the unfinished tag of the last one (most tags need a few dozen). */
const JOIN_BYTES = 4096;
/** A single tag or value longer than this (across inflated pieces) is refused: no cell needs it. */
const MAX_CONSTRUCT_BYTES = 16 * 1024 * 1024;

/**
 * fflate's streaming inflater, for a part inflated in this thread in pieces (readXlsxSync, a test's inflateStep, an
 * unread entry over WHOLE_INFLATE_BYTES). Passed in rather than imported: loading fflate builds its tables and loads
 * worker_threads, about 15 ms of every CLI start, and an agency's annex never needs it.
 */
export type StreamingInflater = typeof Inflate;

class Parts {
  private byName = new Map<string, ZipEntryInfo>();
  private inflated = 0;
  readonly readNames = new Set<string>();
  constructor(
    private bytes: Uint8Array,
    dir: ZipDirectory,
    private where: InputWhere,
    private limits: Limits,
    private step = INFLATE_STEP,
    private Inflater?: StreamingInflater,
  ) {
    // Part names are case-insensitive in OPC; some writers differ from Excel's spelling.
    for (const e of dir.entries) this.byName.set(e.name.replace(/^\//, '').toLowerCase(), e);
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** A part's entry and compressed bytes, checked against the caps; undefined when the part is absent. */
  private open(name: string): { entry: ZipEntryInfo; where: InputWhere; data: Uint8Array } | undefined {
    const entry = this.byName.get(name.toLowerCase());
    if (!entry) return undefined;
    this.readNames.add(name.toLowerCase());
    const where = { ...this.where, entry: entry.name };
    if (entry.encrypted) throw new InputError('input.encrypted', {}, where);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localHeaderOffset;
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    if (this.inflated + entry.uncompressedSize > this.limits.inflatedBytes) {
      throw new InputError(
        'input.zip-bomb',
        { uncompressed: Math.round((this.inflated + entry.uncompressedSize) / 1048576), ratio: '?' },
        where,
      );
    }
    return { entry, where, data };
  }

  /**
   * stream(), but a big deflated part is inflated by Node's zlib on its thread pool while this thread walks the
   * pieces already inflated: the inflating costs this thread almost nothing, where fflate inflated in it (and, in
   * a fresh process, before its code was compiled: a third of reading a 1.2-million-cell sheet). Pieces arrive
   * one or two ahead of the walk, so the part is still never whole in memory. Same caps and refusals as stream().
   */
  async streamAsync(name: string, sink: (piece: Buffer) => void): Promise<boolean> {
    const entry = this.byName.get(name.toLowerCase());
    if (!entry || entry.method !== 8 || this.step !== INFLATE_STEP || entry.uncompressedSize <= WHOLE_INFLATE_BYTES)
      return this.stream(name, sink);
    const { where, data } = this.open(name)!;
    const inflater = createInflateRaw({ chunkSize: ASYNC_PIECE_BYTES });
    inflater.end(data);
    let out = 0;
    let fromSink: unknown;
    try {
      for await (const piece of inflater as AsyncIterable<Buffer>) {
        out += piece.length;
        if (out > entry.uncompressedSize) throw new InputError('input.zip-inconsistent', {}, where);
        try {
          sink(piece);
        } catch (e) {
          fromSink = e;
          throw e;
        }
      }
    } catch (e) {
      inflater.destroy();
      if (e === fromSink || e instanceof InputError) throw e;
      throw new InputError('input.zip-truncated', { detail: `entry ${entry.name} does not inflate` }, where);
    }
    if (out !== entry.uncompressedSize) throw new InputError('input.zip-inconsistent', {}, where);
    this.inflated += entry.uncompressedSize;
    return true;
  }

  /**
   * Inflates a part piece by piece into `sink`, never holding the whole part: with a cap at its declared size
   * (a directory that lies is refused) and at the archive's total. False when the part is absent.
   */
  stream(name: string, sink: (piece: Buffer) => void, whole = false): boolean {
    // `whole`: in one zlib call whatever the size (a part the caller keeps whole anyway).
    const opened = this.open(name);
    if (!opened) return false;
    const { entry, where, data } = opened;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize || data.length !== entry.compressedSize)
        throw new InputError('input.zip-truncated', { detail: 'stored entry size mismatch' }, where);
      sink(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    } else if (entry.method === 8 && (whole || !inflatedInPieces(entry, this.step))) {
      let inflated: Buffer;
      try {
        // maxOutputLength caps the output at the declared size: a directory that understates it is refused here.
        // One output chunk of the declared size: zlib's default (16 KB) cuts a part into chunks that are then
        // concatenated, a second copy of it (a third of reading a 22 MB shared-strings part).
        const size = Math.max(1, entry.uncompressedSize);
        inflated = inflateRawSync(data, { maxOutputLength: size, chunkSize: Math.max(64, size + 64) });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw new InputError('input.zip-inconsistent', {}, where);
        throw new InputError('input.zip-truncated', { detail: `entry ${entry.name} does not inflate` }, where);
      }
      if (inflated.length !== entry.uncompressedSize) throw new InputError('input.zip-inconsistent', {}, where);
      sink(inflated);
    } else if (entry.method === 8) {
      if (!this.Inflater) throw new Error('a part inflated in pieces needs a streaming inflater');
      let out = 0;
      let fromSink: unknown;
      const inflater = new this.Inflater((piece) => {
        out += piece.length;
        if (out > entry.uncompressedSize) throw new InputError('input.zip-inconsistent', {}, where);
        try {
          sink(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
        } catch (e) {
          fromSink = e;
          throw e;
        }
      });
      try {
        if (data.length === 0) inflater.push(new Uint8Array(0), true);
        for (let i = 0; i < data.length; i += this.step)
          inflater.push(data.subarray(i, i + this.step), i + this.step >= data.length);
      } catch (e) {
        if (e === fromSink || e instanceof InputError) throw e;
        throw new InputError('input.zip-truncated', { detail: `entry ${entry.name} does not inflate` }, where);
      }
      if (out !== entry.uncompressedSize) throw new InputError('input.zip-inconsistent', {}, where);
    } else {
      throw new InputError('input.unreadable', { detail: `zip compression method ${entry.method}` }, where);
    }
    this.inflated += entry.uncompressedSize;
    return true;
  }

  /**
   * The part's bytes in one buffer; undefined when absent. For the parts kept whole anyway (workbook, styles,
   * shared strings): inflated by zlib in one call, at most to the declared size.
   */
  read(name: string): Buffer | undefined {
    const pieces: Buffer[] = [];
    if (!this.stream(name, (piece) => pieces.push(piece), true)) return undefined;
    return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
  }

  /** XML of a part, refused when it declares a DTD (OOXML has none; entity bombs do). */
  xml(name: string): Buffer | undefined {
    const buf = this.read(name);
    if (buf && buf.indexOf('<!DOCTYPE') >= 0) throw this.dtd(name);
    return buf;
  }

  /** The same refusal for a part read in pieces: the pieces overlap by a few bytes so a split mark is seen. */
  xmlStream(name: string, sink: (piece: Buffer) => void): boolean {
    return this.stream(name, this.refusingDtd(name, sink));
  }

  /** xmlStream over streamAsync. */
  xmlStreamAsync(name: string, sink: (piece: Buffer) => void): Promise<boolean> {
    return this.streamAsync(name, this.refusingDtd(name, sink));
  }

  private refusingDtd(name: string, sink: (piece: Buffer) => void): (piece: Buffer) => void {
    let tail = '';
    return (piece) => {
      if (
        piece.indexOf('<!DOCTYPE') >= 0 ||
        (tail + piece.toString('latin1', 0, Math.min(8, piece.length))).includes('<!DOCTYPE')
      )
        throw this.dtd(name);
      tail = piece.toString('latin1', Math.max(0, piece.length - 8));
      sink(piece);
    };
  }

  private dtd(name: string): InputError {
    return new InputError(
      'input.unreadable',
      {
        detail: `phần ${name} chứa khai báo DTD không được phép`,
        detailEn: `part ${name} declares a DTD, which is not allowed`,
      },
      { ...this.where, entry: name },
    );
  }

  xmlText(name: string): string | undefined {
    return this.xml(name)?.toString('utf8');
  }

  /**
   * Inflates, with the same cap, every entry this reader did not read, so that a directory that lies
   * about sizes is refused as it was before (nothing else would ever inflate those entries).
   */
  verifyUnread(readNames: Set<string>): void {
    for (const [name, entry] of this.byName) {
      if (readNames.has(name) || entry.name.endsWith('/')) continue;
      const before = this.inflated;
      this.stream(name, () => undefined);
      this.inflated = before;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Small parts (workbook, relationships, styles, shared strings): a regex walk over tags
// ---------------------------------------------------------------------------------------------

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name];
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** OOXML escapes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x); exceljs undoes them too. */
function unescapeX(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Local name of a possibly prefixed XML name ("x:c" → "c"). */
const local = (name: string) => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

function attrs(s: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.set(m[1], decodeEntities(m[2] ?? m[3] ?? ''));
  return out;
}

/** Every start tag of a small part: local name and attributes, in document order. */
function* tags(xml: string): Generator<{ name: string; attrs: Map<string, string>; at: number; end: number }> {
  const re = /<([A-Za-z_][\w:.-]*)((?:\s+[^>]*?)?)\/?>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) yield { name: local(m[1]), attrs: attrs(m[2]), at: m.index, end: re.lastIndex };
}

const attrEnding = (a: Map<string, string>, suffix: string): string | undefined => {
  for (const [k, v] of a) if (k === suffix || k.endsWith(`:${suffix}`)) return v;
  return undefined;
};

/** A relationship target resolved against the part that names it ("../media/x.png" from "xl/drawings/d.xml"). */
export function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** The relationships of a part ('' for the package's own, _rels/.rels). */
function relationships(parts: Parts, part: string): { id: string; type: string; target: string }[] {
  const slash = part.lastIndexOf('/');
  const relsPath = part === '' ? '_rels/.rels' : `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  const xml = parts.xmlText(relsPath);
  if (!xml) return [];
  const out: { id: string; type: string; target: string }[] = [];
  for (const t of tags(xml)) {
    if (t.name !== 'Relationship' || t.attrs.get('TargetMode') === 'External') continue;
    const target = t.attrs.get('Target');
    if (target)
      out.push({ id: t.attrs.get('Id') ?? '', type: t.attrs.get('Type') ?? '', target: resolvePart(part, target) });
  }
  return out;
}

/** Text of the <t> elements of one <si> or <is>, phonetic runs (<rPh>) left out. */
function runText(xml: string): string {
  let out = '';
  const re = /<(\/?)([\w:]*?)(rPh|t)((?:\s[^>]*?)?)(\/?)>/g;
  let m: RegExpExecArray | null;
  let inPhonetic = false;
  while ((m = re.exec(xml))) {
    if (m[2] && !m[2].endsWith(':')) continue; // another element whose name merely ends in "t"
    if (m[3] === 'rPh') {
      inPhonetic = m[1] !== '/' && m[5] !== '/';
      continue;
    }
    if (m[1] === '/' || m[5] === '/' || inPhonetic) continue;
    const close = xml.indexOf('</', re.lastIndex);
    if (close < 0) break;
    out += decodeEntities(xml.slice(re.lastIndex, close));
    re.lastIndex = close;
  }
  return out;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOT = 0x22;
const APOS = 0x27;
const COLON = 0x3a;

const isNameByte = (b: number) => b > 0x20 && b !== SLASH && b !== GT && b !== 0x3d;

/**
 * The shared strings, decoded only when a cell refers to them: the part's bytes are kept and each <si> is
 * found once by position (no string of the whole part, no array of strings no cell uses). Every cell that
 * shows the same shared string points at one frozen cell object.
 */
class SharedStrings {
  private starts: Int32Array;
  private ends: Int32Array;
  /** 1 where the string's body has exactly three '<' (<t>, </t> and that of </si>): no markup inside the text. */
  private simple: Uint8Array;
  readonly count: number;
  /**
   * The one cell object of each shared string, once a cell has used it. Grown by push only (an index assigned far
   * past the end would turn it into a dictionary); Excel numbers shared strings in order of first use, so the
   * array grows as the sheet is read.
   */
  private cells: (GridCell | undefined)[] = [];

  constructor(private buf: Buffer | undefined) {
    let starts = new Int32Array(1024);
    let ends = new Int32Array(1024);
    let simple = new Uint8Array(1024);
    let n = 0;
    const len = buf?.length ?? 0;
    let p = 0;
    // Byte loops rather than Buffer.indexOf: a call per tag cost more than the short scans themselves.
    while (buf && p < len) {
      while (p < len && buf[p] !== LT) p++;
      if (p >= len) break;
      let q = p + 1;
      if (buf[q] === SLASH) {
        p = q;
        continue;
      }
      let ns = q;
      while (q < len && isNameByte(buf[q])) {
        if (buf[q] === COLON) ns = q + 1;
        q++;
      }
      p = q;
      if (q - ns !== 2 || buf[ns] !== 0x73 || buf[ns + 1] !== 0x69 /* si */) continue;
      let gt = q;
      while (gt < len && buf[gt] !== GT) gt++;
      if (gt >= len) break;
      if (n === starts.length) {
        const s2 = new Int32Array(n * 2);
        s2.set(starts);
        starts = s2;
        const e2 = new Int32Array(n * 2);
        e2.set(ends);
        ends = e2;
        const f2 = new Uint8Array(n * 2);
        f2.set(simple);
        simple = f2;
      }
      if (buf[gt - 1] === SLASH) {
        starts[n] = ends[n++] = gt + 1;
        p = gt + 1;
        continue;
      }
      // The body runs to the "si>" of the end tag (</si> or </x:si>): what the text decoder expects.
      const close = siEnd(buf, gt + 1, len);
      simple[n] = close >= 0 && siEndLessThans === 3 ? 1 : 0;
      starts[n] = gt + 1;
      ends[n++] = close < 0 ? len : close;
      p = close < 0 ? len : close + 3;
    }
    this.starts = starts;
    this.ends = ends;
    this.simple = simple;
    this.count = n;
  }

  text(i: number): string {
    return this.cell(i).text;
  }

  /** Text of shared string i, as it stands in the part (line breaks as written). */
  private decode(i: number): string {
    const buf = this.buf!;
    const start = this.starts[i];
    const end = this.ends[i];
    // Fast path, the common case: <si><t>plain</t></si> (or <t xml:space="preserve">), decoded straight from the
    // bytes. Anything else (runs, prefixes, phonetic text) goes through the general decoder.
    if (buf[start] === LT && buf[start + 1] === 0x74 /* t */) {
      let p = start + 2;
      const b = buf[p];
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) while (p < end && buf[p] !== GT) p++;
      if (buf[p] === GT) {
        const from = p + 1;
        let q = from;
        // A simple body has no '<' in its text: the text ends where "</t></" would start.
        if (this.simple[i] === 1 && end - 6 >= from) q = end - 6;
        else while (q < end && buf[q] !== LT) q++;
        if (
          q + 6 === end &&
          buf[q + 1] === SLASH &&
          buf[q + 2] === 0x74 &&
          buf[q + 3] === GT &&
          buf[q + 4] === LT &&
          buf[q + 5] === SLASH
        )
          return unescapeX(decodeEntities(buf.toString('utf8', from, q)));
      }
    }
    const body = buf.toString('utf8', start, end);
    const plain = /^<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)<\/(?:\w+:)?t><\/(?:\w+:)?$/.exec(body);
    return unescapeX(plain ? decodeEntities(plain[1]) : runText(body));
  }

  /** The one cell object of shared string i (line breaks as \n, as every other cell). */
  cell(i: number): GridCell {
    if (!(i >= 0 && i < this.count)) return EMPTY_CELL;
    const cells = this.cells;
    if (i < cells.length) {
      const known = cells[i];
      if (known) return known;
    }
    let text = this.decode(i);
    if (text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
    const cell = text === '' ? EMPTY_CELL : (Object.freeze({ text }) as GridCell);
    if (i < cells.length) cells[i] = cell;
    else {
      while (cells.length < i) cells.push(undefined);
      cells.push(cell);
    }
    return cell;
  }
}

/** How many '<' the last siEnd passed, its end tag's included. */
let siEndLessThans = 0;

/**
 * Where the first end tag </si> (or </prefix:si>) at or after `from` has its "si>", or -1: found by walking from
 * one '<' to the next, the bytes of a string's text looked at once.
 */
function siEnd(buf: Buffer, from: number, len: number): number {
  let p = from;
  siEndLessThans = 0;
  while (true) {
    while (p < len && buf[p] !== LT) p++;
    if (p + 1 >= len) return -1;
    siEndLessThans++;
    if (buf[p + 1] !== SLASH) {
      p++;
      continue;
    }
    let q = p + 2;
    while (q < len && isNameByte(buf[q])) q++;
    // The name ends in "si" after the slash or a colon, and the tag ends right after it.
    if (
      q < len &&
      buf[q] === GT &&
      q - 2 >= p + 2 &&
      buf[q - 2] === 0x73 &&
      buf[q - 1] === 0x69 &&
      (q - 2 === p + 2 || buf[q - 3] === COLON)
    )
      return q - 2;
    p += 2; // not past the name: '<' counts as a name byte, and the next tag may start inside it
  }
}

/** Built-in number formats by id, as exceljs knows them (so both readers show the same text). */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy "h":mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)',
  40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};

/** Whether a number under this format is a date: exceljs' rule, which the officers' files were read with until now. */
function isDateStyle(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

interface Style {
  fmt?: string;
  date: boolean;
}

/** Number format of each cell style (cellXfs index). */
function styles(xml: string | undefined, where: InputWhere, limits: Limits): Style[] {
  if (!xml) return [];
  const custom = new Map<number, string>();
  const out: Style[] = [];
  const xfsAt = xml.search(/<(?:\w+:)?cellXfs[\s>]/);
  const xfsEnd = xfsAt < 0 ? -1 : xml.search(/<\/(?:\w+:)?cellXfs>/);
  for (const t of tags(xml)) {
    if (t.name === 'numFmt') {
      const code = t.attrs.get('formatCode') ?? '';
      checkNumberFormat(code, where, limits);
      custom.set(Number(t.attrs.get('numFmtId')), code);
    } else if (t.name === 'xf' && xfsAt >= 0 && t.at > xfsAt && (xfsEnd < 0 || t.at < xfsEnd)) {
      const id = Number(t.attrs.get('numFmtId') ?? 0);
      const fmt = custom.get(id) ?? BUILTIN_FORMATS[id];
      out.push({ fmt, date: isDateStyle(fmt) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Worksheets: a byte tokenizer
// ---------------------------------------------------------------------------------------------

/** Shifts the relative references of a shared formula from its master cell to another (as Excel does). */
function slideFormula(
  formula: string,
  from: { row: number; column: number },
  to: { row: number; column: number },
): string {
  return formula.replace(
    /(([a-z_\-0-9]*)!)?([a-z0-9_$]{2,})([(])?/gi,
    (whole, sheet: string | undefined, _s, addr: string, paren: string | undefined) => {
      if (paren) return whole;
      const m = /^([$])?([a-z]+)([$])?([1-9][0-9]*)$/i.exec(addr);
      if (!m) return whole;
      const letters = m[2].toUpperCase();
      if (letters.length > 3 || (letters.length === 3 && letters > 'XFD')) return whole;
      const column = columnIndex(letters) + (m[1] ? 0 : to.column - from.column);
      const row = Number(m[4]) + (m[3] ? 0 : to.row - from.row);
      return `${sheet ?? ''}${m[1] ?? ''}${columnLetter(column)}${m[3] ?? ''}${row}`;
    },
  );
}

interface SheetContext {
  name: string;
  strings: SharedStrings;
  styles: Style[];
  date1904: boolean;
  where: InputWhere;
  limits: Limits;
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86400 * 1000));
}

/** Digits only, no leading zero, at most 15 of them: a General number whose text is the digits themselves. */
function plainInteger(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 15 || (s.charCodeAt(0) === 0x30 && n > 1)) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

// Attribute bounds of the last tag read by scanTag (name start/end, value start/end), reused for every tag.
const MAX_ATTRS = 32;
const attrBounds = new Int32Array(MAX_ATTRS * 4);
let attrCount = 0;
let tagSelfClosing = false;

/**
 * Reads the attributes of a tag whose name ends at `p`, up to its '>' (quotes respected). Returns the index
 * after the '>', or -1 when the tag does not end within the buffer (the rest comes with the next piece).
 */
function scanTag(buf: Buffer, p: number, len: number): number {
  attrCount = 0;
  tagSelfClosing = false;
  while (p < len) {
    const b = buf[p];
    if (b === GT) return p + 1;
    if (b === SLASH) {
      if (p + 1 >= len) return -1;
      if (buf[p + 1] === GT) {
        tagSelfClosing = true;
        return p + 2;
      }
      p++;
      continue;
    }
    if (b <= 0x20) {
      p++;
      continue;
    }
    const ns = p;
    while (p < len && isNameByte(buf[p])) p++;
    const ne = p;
    while (p < len && buf[p] !== QUOT && buf[p] !== APOS && buf[p] !== GT) p++;
    if (p >= len) return -1;
    if (buf[p] === GT) continue;
    const vs = p + 1;
    // Values are short: a loop beats a call into Buffer.indexOf.
    const quote = buf[p];
    let ve = vs;
    while (ve < len && buf[ve] !== quote) ve++;
    if (ve >= len) return -1;
    if (attrCount < MAX_ATTRS) {
      const k = attrCount++ * 4;
      attrBounds[k] = ns;
      attrBounds[k + 1] = ne;
      attrBounds[k + 2] = vs;
      attrBounds[k + 3] = ve;
    }
    p = ve + 1;
  }
  return -1;
}

/** Index of the attribute of the last scanned tag with this one-letter name, or -1. */
function attr1(buf: Buffer, letter: number): number {
  for (let i = 0; i < attrCount; i++) {
    const k = i * 4;
    if (attrBounds[k + 1] - attrBounds[k] === 1 && buf[attrBounds[k]] === letter) return k;
  }
  return -1;
}

/** Number(value) of an attribute: plain digits read from the bytes, anything else as Number reads its text. */
function attrNumber(buf: Buffer, vs: number, ve: number): number {
  if (ve > vs && ve - vs <= 9) {
    let n = 0;
    let i = vs;
    for (; i < ve; i++) {
      const d = buf[i] - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === ve) return n;
  }
  return Number(buf.toString('latin1', vs, ve));
}

/** Index of the attribute of the last scanned tag with this name, or -1. */
function attrNamed(buf: Buffer, name: string): number {
  for (let i = 0; i < attrCount; i++) {
    const k = i * 4;
    if (
      attrBounds[k + 1] - attrBounds[k] === name.length &&
      buf.toString('latin1', attrBounds[k], attrBounds[k + 1]) === name
    )
      return k;
  }
  return -1;
}

/**
 * A worksheet read from its XML in pieces, as they are inflated: feed() takes the bytes so far and returns how
 * many it used (a tag or value cut by the end of a piece waits for the next one); finish() makes the grid.
 * Values are taken out of the bytes at once, so no piece is kept once read.
 */
class SheetReader {
  /** Rows with a value, by row number (an array: rows come in order and mostly without gaps). */
  private rows: (GridRow | undefined)[] = [];
  private rowExtents = new Map<number, number>();
  private merges: string[] = [];
  private sharedFormulas = new Map<string, { row: number; column: number; text: string }>();
  private width = 0; // last column that holds something (exceljs counts covered and unstyled empty cells too)
  private lastRow = 0; // last row that holds something
  private cellSlots = 0;
  // Current row and cell.
  private rowNum = 0;
  /**
   * The current row's cells, in a scratch array reused for every row (copied out at the exact length): its first
   * cellCount entries are the row's. Never truncated, so that its storage is not made again for every row.
   */
  private cells: GridCell[] = [];
  private cellCount = 0;
  private rowHasValue = false;
  private rowExtent = 0;
  private col = 0;
  private cType = '';
  private cStyle = -1;
  private cCounts = false;
  /** The <v> text (undefined: no <v>), or for a shared string its index in sIndex. */
  private value: string | undefined;
  private sIndex = -1;
  private formula: string | undefined;
  private inline: string | undefined;
  private inSheetData = false;

  constructor(private ctx: SheetContext) {}

  // Rows without a value are left out (a sheet formatted down to row 1,048,576 must not turn into a
  // million rows); within a row with values, empty cells that exist in the file (a bordered table
  // cell) are kept up to the sheet's width, so a row is as wide as the table the officer sees.
  private finishRow(): void {
    if (this.rowNum === 0) return;
    if (this.rowHasValue) {
      const { where, limits } = this.ctx;
      checkRows(this.rowNum, where, limits);
      const n = this.cellCount;
      const cells = this.cells.slice(0, n);
      this.rows[this.rowNum - 1] = { index: this.rowNum, cells };
      if (this.rowExtent > n) this.rowExtents.set(this.rowNum, this.rowExtent);
      this.cellSlots += n;
      checkCells(this.cellSlots, where, limits);
      if (this.rowNum > this.lastRow) this.lastRow = this.rowNum;
    }
    this.cellCount = 0;
    this.rowHasValue = false;
    this.rowExtent = 0;
  }

  private finishCell(): void {
    const { ctx, col } = this;
    const value = this.value;
    const fmt = this.cStyle >= 0 ? ctx.styles[this.cStyle] : undefined;
    let cell: GridCell | undefined;
    let text: string;
    if (this.inline !== undefined) text = this.inline;
    else if (value === undefined || value === '') text = '';
    else if (this.cType === 's') {
      cell = this.formula === undefined ? ctx.strings.cell(this.sIndex) : undefined;
      text = cell ? cell.text : ctx.strings.text(this.sIndex);
    } else if (this.cType === 'str' || this.cType === 'e') text = decodeEntities(value);
    else if (this.cType === 'b')
      text = value.charCodeAt(0) === 0x31 || decodeEntities(value).trim() === 'true' ? 'TRUE' : 'FALSE';
    else if (this.cType === 'd') {
      const d = new Date(decodeEntities(value));
      text = Number.isNaN(d.getTime()) ? decodeEntities(value) : formatDate(d, fmt?.fmt);
    } else if (!fmt?.date && (fmt?.fmt === undefined || fmt.fmt === 'General') && plainInteger(value)) text = value;
    else {
      const n = Number(value);
      if (Number.isNaN(n)) text = decodeEntities(value);
      else text = fmt?.date ? formatDate(excelDate(n, ctx.date1904), fmt.fmt) : formatNumber(n, fmt?.fmt);
    }
    if (!cell && text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
    const hasValue = value !== undefined || this.inline !== undefined || this.formula !== undefined;
    if (hasValue || this.cCounts) {
      this.rowHasValue = true;
      checkColumns(col, ctx.where, ctx.limits);
      if (col > this.width) this.width = col;
    }
    if (col > this.rowExtent) this.rowExtent = col;
    if (text !== '' || this.formula !== undefined) {
      const cells = this.cells;
      let n = this.cellCount;
      while (n < col - 1) {
        if (n < cells.length) cells[n++] = EMPTY_CELL;
        else n = cells.push(EMPTY_CELL);
      }
      if (!cell) {
        cell = { text };
        if (this.formula !== undefined && this.formula !== '') cell.formula = this.formula.replace(/^=/, '');
      }
      if (col - 1 < cells.length) cells[col - 1] = cell;
      else cells.push(cell);
      if (col > n) n = col;
      this.cellCount = n;
    }
  }

  /** Reads the tags of buf from `p`; returns the index where an unfinished tag starts (or buf.length). */
  feed(buf: Buffer, p: number, final: boolean): number {
    const len = buf.length;
    while (true) {
      // Tags follow each other closely in sheet data: a loop beats a call into Buffer.indexOf.
      let lt = p;
      while (lt < len && buf[lt] !== LT) lt++;
      if (lt >= len) return len;
      let q = lt + 1;
      if (q + 1 >= len) return final ? len : lt;
      const first = buf[q];
      if (first === 0x3f || first === 0x21) {
        // <?xml …?>, <!-- … -->, <![CDATA[ … ]]>: nothing this reader needs
        const close = first === 0x21 && buf[q + 1] === 0x2d ? buf.indexOf('-->', q) : buf.indexOf(GT, q);
        if (close < 0) return final ? len : lt;
        p = close + 1;
        continue;
      }
      const closing = first === SLASH;
      if (closing) q++;
      let ns = q;
      while (q < len && isNameByte(buf[q])) {
        if (buf[q] === COLON) ns = q + 1;
        q++;
      }
      if (q >= len) return final ? len : lt;
      const n0 = buf[ns];
      const nlen = q - ns;
      if (closing) {
        let gt = q;
        while (gt < len && buf[gt] !== GT) gt++;
        if (gt >= len) return final ? len : lt;
        p = gt + 1;
        if (nlen === 1 && n0 === 0x63 /* c */) this.finishCell();
        else if (nlen === 3 && n0 === 0x72 && buf[ns + 1] === 0x6f /* row */) this.finishRow();
        else if (nlen === 9 && n0 === 0x73 /* sheetData */) this.inSheetData = false;
        continue;
      }
      const end = scanTag(buf, q, len);
      if (end < 0) return final ? len : lt;
      if (!this.inSheetData) {
        p = end;
        if (nlen === 9 && n0 === 0x73 && buf.toString('latin1', ns, q) === 'sheetData')
          this.inSheetData = !tagSelfClosing;
        else if (nlen === 9 && n0 === 0x6d && buf.toString('latin1', ns, q) === 'mergeCell') {
          const k = attrNamed(buf, 'ref');
          if (k >= 0) this.merges.push(buf.toString('latin1', attrBounds[k + 2], attrBounds[k + 3]));
          if (this.merges.length > this.ctx.limits.mergeCount)
            checkMerges(this.merges, this.ctx.where, this.ctx.limits);
        }
        continue;
      }
      if (nlen === 1 && n0 === 0x63 /* c */) {
        p = end;
        this.col++;
        this.cType = '';
        this.cStyle = -1;
        this.cCounts = true;
        this.value = undefined;
        this.formula = undefined;
        this.inline = undefined;
        // r, t and s in one pass over the attributes (the first of each name counts).
        let seen = 0;
        for (let i = 0; i < attrCount; i++) {
          const k = i * 4;
          if (attrBounds[k + 1] - attrBounds[k] !== 1) continue;
          const a = buf[attrBounds[k]];
          const vs = attrBounds[k + 2];
          const ve = attrBounds[k + 3];
          if (a === 0x72 /* r */ && !(seen & 1)) {
            seen |= 1;
            let j = vs;
            let c = 0;
            while (j < ve && buf[j] >= 0x41) c = c * 26 + ((buf[j++] | 0x20) - 0x60);
            if (c > 0) this.col = c;
          } else if (a === 0x74 /* t */ && !(seen & 2)) {
            seen |= 2;
            // "s" is by far the most common: no string made for it.
            this.cType = ve - vs === 1 && buf[vs] === 0x73 ? 's' : buf.toString('latin1', vs, ve);
          } else if (a === 0x73 /* s */ && !(seen & 4)) {
            seen |= 4;
            this.cStyle = attrNumber(buf, vs, ve);
            this.cCounts = false; // exceljs: a styled cell without a value is "null", an unstyled one is not
          }
        }
        if (tagSelfClosing) this.finishCell();
      } else if (nlen === 1 && n0 === 0x76 /* v */) {
        if (tagSelfClosing) {
          p = end;
          continue;
        }
        let ve = end;
        while (ve < len && buf[ve] !== LT) ve++;
        if (ve >= len && !final) return lt;
        if (this.cType === 's') {
          let i = end;
          let n = 0;
          let digits = 0;
          while (i < ve && digits < 10 && buf[i] >= 0x30 && buf[i] <= 0x39) {
            n = n * 10 + (buf[i++] - 0x30);
            digits++;
          }
          // Anything but plain digits goes the way Number() reads it (spaces, signs): as exceljs does.
          this.sIndex = i === ve && digits > 0 ? n : Number(buf.toString('latin1', end, ve));
          this.value = ve > end ? 's' : '';
        } else {
          // Plain digits (no sign, no leading zero, at most 15 of them): the same text made from the number,
          // without a call into Buffer.toString (most numbers of an annex are its task numbers).
          let i = end;
          let n = 0;
          if (ve - end <= 15 && (buf[end] !== 0x30 || ve - end === 1))
            for (; i < ve; i++) {
              const d = buf[i] - 0x30;
              if (d < 0 || d > 9) break;
              n = n * 10 + d;
            }
          this.value = i === ve && ve > end ? String(n) : buf.toString('utf8', end, ve);
        }
        p = ve;
      } else if (nlen === 1 && n0 === 0x66 /* f */) {
        let fType = '';
        let si = '';
        let ref = false;
        for (let i = 0; i < attrCount; i++) {
          const k = i * 4;
          const as = attrBounds[k];
          const ae = attrBounds[k + 1];
          if (ae - as === 1 && buf[as] === 0x74) fType = buf.toString('latin1', attrBounds[k + 2], attrBounds[k + 3]);
          else if (ae - as === 2 && buf[as] === 0x73 && buf[as + 1] === 0x69)
            si = buf.toString('latin1', attrBounds[k + 2], attrBounds[k + 3]);
          else if (ae - as === 3 && buf[as] === 0x72 && buf[as + 1] === 0x65 && buf[as + 2] === 0x66) ref = true;
        }
        let text = '';
        p = end;
        if (!tagSelfClosing) {
          const close = buf.indexOf(LT, end);
          if (close < 0 && !final) return lt;
          const fe = close < 0 ? len : close;
          text = decodeEntities(buf.toString('utf8', end, fe));
          p = fe;
        }
        if (fType === 'shared') {
          if (text && ref) {
            this.sharedFormulas.set(si, { row: this.rowNum, column: this.col, text });
            this.formula = text;
          } else {
            const master = this.sharedFormulas.get(si);
            this.formula = master ? slideFormula(master.text, master, { row: this.rowNum, column: this.col }) : text;
          }
        } else this.formula = text;
      } else if (nlen === 2 && n0 === 0x69 && buf[ns + 1] === 0x73 /* is */) {
        if (tagSelfClosing) {
          this.inline = '';
          p = end;
          continue;
        }
        let close = buf.indexOf('is>', end);
        while (close >= 0 && buf[close - 1] !== SLASH && buf[close - 1] !== COLON)
          close = buf.indexOf('is>', close + 3);
        if (close < 0 && !final) return lt;
        const ie = close < 0 ? len : close;
        this.inline = unescapeX(runText(buf.toString('utf8', end, ie)));
        p = ie;
      } else if (nlen === 3 && n0 === 0x72 && buf[ns + 1] === 0x6f && buf[ns + 2] === 0x77 /* row */) {
        p = end;
        this.finishRow();
        this.rowNum++;
        this.col = 0;
        const k = attr1(buf, 0x72 /* r */);
        if (k >= 0) {
          const r = attrNumber(buf, attrBounds[k + 2], attrBounds[k + 3]);
          if (Number.isInteger(r) && r > 0) this.rowNum = r;
        }
        if (tagSelfClosing) this.finishRow();
      } else {
        p = end;
        if (nlen === 9 && n0 === 0x6d && buf.toString('latin1', ns, q) === 'mergeCell') {
          const k = attrNamed(buf, 'ref');
          if (k >= 0) this.merges.push(buf.toString('latin1', attrBounds[k + 2], attrBounds[k + 3]));
          if (this.merges.length > this.ctx.limits.mergeCount)
            checkMerges(this.merges, this.ctx.where, this.ctx.limits);
        }
      }
    }
  }

  finish(): Grid {
    this.finishRow();
    const { ctx, merges, rowExtents } = this;
    const { where, limits } = ctx;
    let { width, lastRow } = this;
    // Merged ranges: measured before a single covered cell is marked.
    const ranges = checkMerges(merges, where, limits);
    for (const m of ranges) {
      if (m.bottom > m.top || m.right > m.left) {
        if (m.bottom > lastRow) lastRow = m.bottom;
        if (m.right > width) width = m.right;
      }
    }
    checkRows(lastRow, where, limits);
    checkColumns(width, where, limits);

    const rows = this.rows as GridRow[];
    rows.length = lastRow;
    for (let r = 1; r <= lastRow; r++) {
      const row = rows[r - 1];
      if (!row) {
        rows[r - 1] = { index: r, cells: [] };
        continue;
      }
      const extent = Math.min(rowExtents.get(r) ?? 0, width);
      while (row.cells.length < extent) row.cells.push(EMPTY_CELL);
      if (row.cells.length > width) row.cells = row.cells.slice(0, width);
    }
    let covered = 0;
    for (const m of ranges) {
      const anchor = a1(m.top, m.left);
      for (let r = m.top; r <= m.bottom && r <= lastRow; r++) {
        const row = rows[r - 1];
        for (let c = m.left; c <= m.right; c++) {
          if (r === m.top && c === m.left) continue;
          while (row.cells.length < c) row.cells.push(EMPTY_CELL);
          row.cells[c - 1] = { text: '', mergedInto: anchor };
          covered++;
        }
      }
    }
    checkCells(this.cellSlots + covered, where, limits);
    const grid: Grid = { sheet: ctx.name, kind: 'sheet', rows };
    if (merges.length) grid.merges = merges;
    return grid;
  }
}

/**
 * Reads one worksheet part into a grid as it is inflated. Refused when the part does not end with its root's
 * end tag (a cut or broken part): only the last bytes are kept to tell.
 */
function readSheet(parts: Parts, part: string, ctx: SheetContext): Grid | undefined {
  const walk = sheetWalk(part, ctx);
  return parts.xmlStream(part, walk.piece) ? walk.finish() : undefined;
}

/** readSheet, with a big sheet inflated off this thread (Parts.streamAsync). */
async function readSheetAsync(parts: Parts, part: string, ctx: SheetContext): Promise<Grid | undefined> {
  const walk = sheetWalk(part, ctx);
  return (await parts.xmlStreamAsync(part, walk.piece)) ? walk.finish() : undefined;
}

/** The walk of one worksheet's XML, given in pieces of any size, then finished into its grid. */
function sheetWalk(part: string, ctx: SheetContext): { piece: (piece: Buffer) => void; finish: () => Grid } {
  const reader = new SheetReader(ctx);
  let carry: Buffer | undefined;
  let tail = '';
  const piece = (piece: Buffer) => {
    tail = (tail + piece.toString('latin1', Math.max(0, piece.length - 256))).slice(-256);
    let buf = piece;
    let from = 0;
    if (carry) {
      // The tag cut at the end of the last piece, completed from the head of this one: the whole piece is
      // copied only when the tag runs on past that head.
      const head = Buffer.concat([carry, piece.subarray(0, JOIN_BYTES)]);
      const used = reader.feed(head, 0, false);
      if (used >= carry.length) from = used - carry.length;
      else if (piece.length <= JOIN_BYTES) buf = head;
      else buf = Buffer.concat([carry, piece]);
      if (buf !== piece) from = used;
    }
    const used = from >= buf.length ? buf.length : reader.feed(buf, from, false);
    if (used >= buf.length) carry = undefined;
    else if (buf.length - used > MAX_CONSTRUCT_BYTES) {
      throw new InputError(
        'input.unreadable',
        {
          detail: `trang tính "${ctx.name}" có thẻ XML quá dài`,
          detailEn: `sheet "${ctx.name}" has an overlong XML tag`,
        },
        { ...ctx.where, entry: part },
      );
    } else carry = Buffer.from(buf.subarray(used));
  };
  const finish = () => {
    if (!complete(Buffer.from(tail, 'latin1').toString('utf8'), 'worksheet')) {
      throw new InputError(
        'input.unreadable',
        { detail: `trang tính "${ctx.name}" bị hỏng`, detailEn: `sheet "${ctx.name}" is damaged` },
        { ...ctx.where, entry: part },
      );
    }
    if (carry) reader.feed(carry, 0, true);
    return reader.finish();
  };
  return { piece, finish };
}

// ---------------------------------------------------------------------------------------------
// The workbook
// ---------------------------------------------------------------------------------------------

const REL = {
  officeDocument: /\/officeDocument$/,
  worksheet: /\/worksheet$/,
  sharedStrings: /\/sharedStrings$/,
  styles: /\/styles$/,
};

export interface XlsxReadOptions {
  /** Caps other than the defaults of io/limits.ts (tests, benches). */
  limits?: Partial<Limits>;
  /** The zip directory, when the caller has read it already. */
  directory?: ZipDirectory;
  /** Compressed bytes inflated at a time (tests use a few, so that pieces cut every kind of tag). */
  inflateStep?: number;
}

/**
 * Reads xlsx bytes into grids, one per worksheet in workbook order (hidden sheets included; chart sheets
 * have no cells and are left out). Throws InputError for damaged parts and for anything over the caps.
 */
export async function readXlsxToGrids(
  bytes: Uint8Array,
  fileName = 'tệp',
  options: XlsxReadOptions = {},
): Promise<Grid[]> {
  const directory = options.directory ?? readZipDirectory(bytes, { file: fileName });
  // Only a part inflated in pieces in this thread needs fflate (see StreamingInflater): loaded for such a file alone.
  const step = options.inflateStep ?? INFLATE_STEP;
  const Inflater = directory.entries.some((e) => inflatedInPieces(e, step))
    ? (await import('fflate')).Inflate
    : undefined;
  const book = openWorkbook(bytes, fileName, { ...options, directory }, Inflater);
  const grids: Grid[] = [];
  for (const s of book.sheets) {
    const grid = await readSheetAsync(book.parts, s.part, book.context(s.name));
    if (grid) grids.push(grid);
  }
  book.parts.verifyUnread(book.parts.readNames);
  return grids;
}

/** readXlsxToGrids in this thread alone, with the given streaming inflater (io/xlsx-read-sync.ts readXlsxSync). */
export function readXlsxSyncWith(
  bytes: Uint8Array,
  fileName: string,
  options: XlsxReadOptions,
  Inflater: StreamingInflater,
): Grid[] {
  const book = openWorkbook(bytes, fileName, options, Inflater);
  const grids: Grid[] = [];
  for (const s of book.sheets) {
    const grid = readSheet(book.parts, s.part, book.context(s.name));
    if (grid) grids.push(grid);
  }
  book.parts.verifyUnread(book.parts.readNames);
  return grids;
}

/** The workbook part, its sheets in order, and what reading a sheet needs (styles, shared strings, caps). */
function openWorkbook(bytes: Uint8Array, fileName: string, options: XlsxReadOptions, Inflater?: StreamingInflater) {
  const limits: Limits = { ...LIMITS, ...options.limits };
  const where: InputWhere = { file: fileName };
  const dir = options.directory ?? readZipDirectory(bytes, where);
  const parts = new Parts(bytes, dir, where, limits, options.inflateStep, Inflater);
  const unreadable = (detail: string, detailEn: string, entry?: string) =>
    new InputError('input.unreadable', { detail, detailEn }, entry ? { ...where, entry } : where);

  const root = relationships(parts, '');
  const workbookPart = root.find((r) => REL.officeDocument.test(r.type))?.target ?? 'xl/workbook.xml';
  const workbookXml = parts.xmlText(workbookPart) ?? parts.xmlText('xl/workbook.xml');
  if (!workbookXml) throw unreadable('thiếu phần xl/workbook.xml', 'xl/workbook.xml is missing', workbookPart);
  if (!complete(workbookXml, 'workbook'))
    throw unreadable(`phần ${workbookPart} bị hỏng`, `part ${workbookPart} is damaged`, workbookPart);
  const rels = relationships(parts, workbookPart);
  const relById = new Map(rels.map((r) => [r.id, r]));

  const sheets: { name: string; part: string }[] = [];
  let date1904 = false;
  for (const t of tags(workbookXml)) {
    if (t.name === 'workbookPr') date1904 = ['1', 'true'].includes(t.attrs.get('date1904') ?? '');
    if (t.name !== 'sheet') continue;
    const rel = relById.get(attrEnding(t.attrs, 'id') ?? '');
    const name = t.attrs.get('name') ?? `Sheet${sheets.length + 1}`;
    if (rel && !REL.worksheet.test(rel.type)) continue; // chart sheets, dialog sheets
    const part = rel?.target ?? `xl/worksheets/sheet${t.attrs.get('sheetId') ?? sheets.length + 1}.xml`;
    if (parts.has(part)) sheets.push({ name, part });
  }
  checkSheets(sheets.length, where, limits);

  const stylesPart = rels.find((r) => REL.styles.test(r.type))?.target ?? 'xl/styles.xml';
  const stringsPart = rels.find((r) => REL.sharedStrings.test(r.type))?.target ?? 'xl/sharedStrings.xml';
  const styleList = styles(parts.xmlText(stylesPart), { ...where, entry: stylesPart }, limits);
  const strings = new SharedStrings(parts.xml(stringsPart));
  const context = (name: string): SheetContext => ({
    name,
    strings,
    styles: styleList,
    date1904,
    where: { ...where, sheet: name },
    limits,
  });
  return { parts, sheets, context };
}

const completeTests = new Map<string, RegExp>();

/** Whether an XML part ends with its root's end tag (a cut or broken part does not). */
function complete(tail: string, root: string): boolean {
  let re = completeTests.get(root);
  if (!re) {
    re = new RegExp(`(</(?:[\\w.-]+:)?${root}>|<(?:[\\w.-]+:)?${root}\\b[^>]*/>)\\s*$`);
    completeTests.set(root, re);
  }
  return re.test(tail);
}
