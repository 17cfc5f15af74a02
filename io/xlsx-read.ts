// xlsx → Grid[]: one Grid per worksheet, cell text as displayed, formulas kept as text, merged ranges
// listed and their covered cells marked, hidden rows, columns and sheets kept.
//
// A reader written for what the engine needs, not a general workbook model: it inflates only the parts
// it reads (workbook, its relationships, shared strings, styles, worksheets), each with the size caps of
// io/limits.ts, and walks each worksheet's XML bytes with a small tokenizer (no DOM, no object per XML
// node, no string of the whole part). Empty cells inside a row share one frozen object. exceljs read the
// same files at 141k cells/s and 935 MB for 1.2 million cells (docs/PERFORMANCE.md); the tests check this
// reader against exceljs cell for cell.
//
// Callers go through readFileToGrids, which has already checked the zip directory (size, bomb, kind).
import { inflateRawSync } from 'node:zlib';
import type { Grid, GridCell, GridRow } from '../engine/index.js';
import { a1, columnIndex, columnLetter } from '../engine/index.js';
import { InputError, type InputWhere } from './errors.js';
import { formatDate, formatNumber } from './format.js';
import { LIMITS, checkCells, checkColumns, checkMerges, checkNumberFormat, checkRows, checkSheets, type Limits } from './limits.js';
import { readZipDirectory, type ZipDirectory, type ZipEntryInfo } from './zip.js';

/** The one object every empty cell of a row points at (frozen: a reader that writes into it fails loudly). */
export const EMPTY_CELL: GridCell = Object.freeze({ text: '' }) as GridCell;

// ---------------------------------------------------------------------------------------------
// Zip parts, inflated with caps
// ---------------------------------------------------------------------------------------------

class Parts {
  private byName = new Map<string, ZipEntryInfo>();
  private inflated = 0;
  readonly readNames = new Set<string>();
  constructor(
    private bytes: Uint8Array,
    dir: ZipDirectory,
    private where: InputWhere,
    private limits: Limits,
  ) {
    // Part names are case-insensitive in OPC; some writers differ from Excel's spelling.
    for (const e of dir.entries) this.byName.set(e.name.replace(/^\//, '').toLowerCase(), e);
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** The part's bytes, inflated with a cap at its declared size; undefined when absent. */
  read(name: string): Buffer | undefined {
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
      throw new InputError('input.zip-bomb', { uncompressed: Math.round((this.inflated + entry.uncompressedSize) / 1048576), ratio: '?' }, where);
    }
    let out: Buffer;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) throw new InputError('input.zip-truncated', { detail: 'stored entry size mismatch' }, where);
      out = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    } else if (entry.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) + 1 });
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|too large/i.test(String((e as Error).message))) {
          throw new InputError('input.zip-inconsistent', {}, where);
        }
        throw new InputError('input.zip-truncated', { detail: `entry ${entry.name} does not inflate` }, where);
      }
      if (out.length !== entry.uncompressedSize) throw new InputError('input.zip-inconsistent', {}, where);
    } else {
      throw new InputError('input.unreadable', { detail: `zip compression method ${entry.method}` }, where);
    }
    this.inflated += out.length;
    return out;
  }

  text(name: string): string | undefined {
    return this.read(name)?.toString('utf8');
  }

  /** XML of a part, refused when it declares a DTD (OOXML has none; entity bombs do). */
  xml(name: string): Buffer | undefined {
    const buf = this.read(name);
    if (buf && buf.indexOf('<!DOCTYPE') >= 0) {
      throw new InputError('input.unreadable', { detail: `phần ${name} chứa khai báo DTD không được phép`, detailEn: `part ${name} declares a DTD, which is not allowed` }, { ...this.where, entry: name });
    }
    return buf;
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
      this.read(name);
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

function resolvePart(base: string, target: string): string {
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
    if (target) out.push({ id: t.attrs.get('Id') ?? '', type: t.attrs.get('Type') ?? '', target: resolvePart(part, target) });
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

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const out: string[] = [];
  const re = /<(?:\w+:)?si(?:\s[^>]*)?(\/)?>/g;
  const closeSi = /<\/(?:\w+:)?si>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    if (m[1]) {
      out.push('');
      continue;
    }
    closeSi.lastIndex = re.lastIndex;
    const end = closeSi.exec(xml) ? closeSi.lastIndex - 3 : -1;
    const body = xml.slice(re.lastIndex, end < 0 ? xml.length : end);
    // Fast path: <si><t>plain</t></si>, the common case.
    const plain = /^<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)<\/(?:\w+:)?t><\/(?:\w+:)?$/.exec(body);
    out.push(unescapeX(plain ? decodeEntities(plain[1]) : runText(body)));
    if (end >= 0) re.lastIndex = end + 3;
  }
  return out;
}

/** Built-in number formats by id, as exceljs knows them (so both readers show the same text). */
const BUILTIN_FORMATS: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??',
  14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss',
  22: 'm/d/yy "h":mm', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00 ;(#,##0.00)', 40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@',
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

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOT = 0x22;
const APOS = 0x27;
const COLON = 0x3a;

const isNameByte = (b: number) => b > 0x20 && b !== SLASH && b !== GT && b !== 0x3d;

/** Shifts the relative references of a shared formula from its master cell to another (as Excel does). */
function slideFormula(formula: string, from: { row: number; column: number }, to: { row: number; column: number }): string {
  return formula.replace(/(([a-z_\-0-9]*)!)?([a-z0-9_$]{2,})([(])?/gi, (whole, sheet: string | undefined, _s, addr: string, paren: string | undefined) => {
    if (paren) return whole;
    const m = /^([$])?([a-z]+)([$])?([1-9][0-9]*)$/i.exec(addr);
    if (!m) return whole;
    const letters = m[2].toUpperCase();
    if (letters.length > 3 || (letters.length === 3 && letters > 'XFD')) return whole;
    const column = columnIndex(letters) + (m[1] ? 0 : to.column - from.column);
    const row = Number(m[4]) + (m[3] ? 0 : to.row - from.row);
    return `${sheet ?? ''}${m[1] ?? ''}${columnLetter(column)}${m[3] ?? ''}${row}`;
  });
}

interface SheetContext {
  name: string;
  strings: string[];
  styles: Style[];
  date1904: boolean;
  where: InputWhere;
  limits: Limits;
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86400 * 1000));
}

/** Reads one worksheet part into a grid. */
function readSheet(buf: Buffer, ctx: SheetContext): Grid {
  const { strings, limits, where } = ctx;
  const len = buf.length;
  const rowCells = new Map<number, GridCell[]>();
  const merges: string[] = [];
  const sharedFormulas = new Map<string, { row: number; column: number; text: string }>();
  let width = 0; // last column that holds something (exceljs counts covered and unstyled empty cells too)
  let lastRow = 0; // last row that holds something
  let cellSlots = 0;

  // Current row and cell.
  let rowNum = 0;
  let cells: GridCell[] = [];
  let rowHasValue = false;
  let rowExtent = 0;
  const rowExtents = new Map<number, number>();
  let col = 0;
  let cType = '';
  let cStyle = -1;
  let cCounts = false;
  let vStart = -1;
  let vEnd = -1;
  let formula: string | undefined;
  let inline: string | undefined;
  let inSheetData = false;

  const str = (s: number, e: number) => decodeEntities(buf.toString('utf8', s, e));

  /** Walks a tag's attributes; calls back with name bounds and value bounds. Returns the index after '>'. */
  let selfClosing = false;
  const walkAttrs = (p: number, on: (ns: number, ne: number, vs: number, ve: number) => void): number => {
    selfClosing = false;
    while (p < len) {
      const b = buf[p];
      if (b === GT) return p + 1;
      if (b === SLASH && buf[p + 1] === GT) {
        selfClosing = true;
        return p + 2;
      }
      if (b <= 0x20) {
        p++;
        continue;
      }
      const ns = p;
      while (p < len && isNameByte(buf[p])) p++;
      const ne = p;
      while (p < len && buf[p] !== QUOT && buf[p] !== APOS && buf[p] !== GT) p++;
      if (buf[p] === GT) continue;
      const q = buf[p];
      const vs = p + 1;
      const ve = buf.indexOf(q, vs);
      if (ve < 0) return len;
      on(ns, ne, vs, ve);
      p = ve + 1;
    }
    return len;
  };
  const nameIs = (s: number, e: number, n: number) => e - s === 1 && buf[s] === n;

  // Rows without a value are left out (a sheet formatted down to row 1,048,576 must not turn into a
  // million rows); within a row with values, empty cells that exist in the file (a bordered table
  // cell) are kept up to the sheet's width, so a row is as wide as the table the officer sees.
  const finishRow = () => {
    if (rowNum === 0) return;
    if (rowHasValue) {
      checkRows(rowNum, where, limits);
      rowCells.set(rowNum, cells);
      if (rowExtent > cells.length) rowExtents.set(rowNum, rowExtent);
      cellSlots += cells.length;
      checkCells(cellSlots, where, limits);
      if (rowNum > lastRow) lastRow = rowNum;
    }
    cells = [];
    rowHasValue = false;
    rowExtent = 0;
  };

  const finishCell = () => {
    let text: string;
    const fmt = cStyle >= 0 ? ctx.styles[cStyle] : undefined;
    if (inline !== undefined) text = inline;
    else if (vStart < 0 || vEnd === vStart) text = '';
    else if (cType === 's') text = strings[Number(buf.toString('latin1', vStart, vEnd))] ?? '';
    else if (cType === 'str' || cType === 'e') text = str(vStart, vEnd);
    else if (cType === 'b') text = buf[vStart] === 0x31 || str(vStart, vEnd).trim() === 'true' ? 'TRUE' : 'FALSE';
    else if (cType === 'd') {
      const d = new Date(str(vStart, vEnd));
      text = Number.isNaN(d.getTime()) ? str(vStart, vEnd) : formatDate(d, fmt?.fmt);
    } else {
      const n = Number(buf.toString('latin1', vStart, vEnd));
      if (Number.isNaN(n)) text = str(vStart, vEnd);
      else text = fmt?.date ? formatDate(excelDate(n, ctx.date1904), fmt.fmt) : formatNumber(n, fmt?.fmt);
    }
    if (text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
    const hasValue = vStart >= 0 || inline !== undefined || formula !== undefined;
    if (hasValue || cCounts) {
      rowHasValue = true;
      checkColumns(col, where, limits);
      if (col > width) width = col;
    }
    if (col > rowExtent) rowExtent = col;
    if (text !== '' || formula !== undefined) {
      while (cells.length < col - 1) cells.push(EMPTY_CELL);
      const cell: GridCell = { text };
      if (formula !== undefined && formula !== '') cell.formula = formula.replace(/^=/, '');
      cells[col - 1] = cell;
    }
  };

  let p = 0;
  while (true) {
    const lt = buf.indexOf(LT, p);
    if (lt < 0) break;
    let q = lt + 1;
    const first = buf[q];
    if (first === 0x3f || first === 0x21) {
      // <?xml …?>, <!-- … -->, <![CDATA[ … ]]>: nothing this reader needs
      const close = first === 0x21 && buf[q + 1] === 0x2d ? buf.indexOf('-->', q) : buf.indexOf(GT, q);
      p = close < 0 ? len : close + 1;
      continue;
    }
    const closing = first === SLASH;
    if (closing) q++;
    let ns = q;
    while (q < len && isNameByte(buf[q])) {
      if (buf[q] === COLON) ns = q + 1;
      q++;
    }
    const n0 = buf[ns];
    const nlen = q - ns;
    if (closing) {
      p = buf.indexOf(GT, q) + 1 || len;
      if (nlen === 1 && n0 === 0x63 /* c */) finishCell();
      else if (nlen === 3 && n0 === 0x72 && buf[ns + 1] === 0x6f /* row */) finishRow();
      else if (nlen === 9 && n0 === 0x73 /* sheetData */) inSheetData = false;
      continue;
    }
    if (nlen === 1 && n0 === 0x63 /* c */ && inSheetData) {
      col++;
      cType = '';
      cStyle = -1;
      cCounts = true;
      vStart = vEnd = -1;
      formula = undefined;
      inline = undefined;
      p = walkAttrs(q, (as, ae, vs, ve) => {
        if (nameIs(as, ae, 0x72 /* r */)) {
          let i = vs;
          let c = 0;
          while (i < ve && buf[i] >= 0x41) c = c * 26 + ((buf[i++] | 0x20) - 0x60);
          if (c > 0) col = c;
        } else if (nameIs(as, ae, 0x74 /* t */)) cType = buf.toString('latin1', vs, ve);
        else if (nameIs(as, ae, 0x73 /* s */)) {
          cStyle = Number(buf.toString('latin1', vs, ve));
          cCounts = false; // exceljs: a styled cell without a value is "null", an unstyled one is not
        }
      });
      if (selfClosing) finishCell();
    } else if (nlen === 1 && n0 === 0x76 /* v */ && inSheetData) {
      p = walkAttrs(q, () => undefined);
      if (selfClosing) continue;
      vStart = p;
      vEnd = buf.indexOf(LT, p);
      if (vEnd < 0) vEnd = len;
      p = vEnd;
    } else if (nlen === 1 && n0 === 0x66 /* f */ && inSheetData) {
      let fType = '';
      let si = '';
      let ref = false;
      p = walkAttrs(q, (as, ae, vs, ve) => {
        if (nameIs(as, ae, 0x74)) fType = buf.toString('latin1', vs, ve);
        else if (ae - as === 2 && buf[as] === 0x73 && buf[as + 1] === 0x69) si = buf.toString('latin1', vs, ve);
        else if (ae - as === 3 && buf[as] === 0x72 && buf[as + 1] === 0x65 && buf[as + 2] === 0x66) ref = true;
      });
      let text = '';
      if (!selfClosing) {
        const end = buf.indexOf(LT, p);
        text = str(p, end < 0 ? len : end);
        p = end < 0 ? len : end;
      }
      if (fType === 'shared') {
        if (text && ref) {
          sharedFormulas.set(si, { row: rowNum, column: col, text });
          formula = text;
        } else {
          const master = sharedFormulas.get(si);
          formula = master ? slideFormula(master.text, master, { row: rowNum, column: col }) : text;
        }
      } else formula = text;
    } else if (nlen === 2 && n0 === 0x69 && buf[ns + 1] === 0x73 /* is */ && inSheetData) {
      p = walkAttrs(q, () => undefined);
      if (selfClosing) {
        inline = '';
        continue;
      }
      let close = buf.indexOf('is>', p);
      while (close >= 0 && buf[close - 1] !== SLASH && buf[close - 1] !== COLON) close = buf.indexOf('is>', close + 3);
      const end = close < 0 ? len : close;
      inline = unescapeX(runText(buf.toString('utf8', p, end)));
      p = end;
    } else if (nlen === 3 && n0 === 0x72 && buf[ns + 1] === 0x6f && buf[ns + 2] === 0x77 /* row */ && inSheetData) {
      finishRow();
      rowNum++;
      col = 0;
      p = walkAttrs(q, (as, ae, vs, ve) => {
        if (nameIs(as, ae, 0x72)) {
          const r = Number(buf.toString('latin1', vs, ve));
          if (Number.isInteger(r) && r > 0) rowNum = r;
        }
      });
      if (selfClosing) finishRow();
    } else if (nlen === 9 && n0 === 0x73 && buf.toString('latin1', ns, q) === 'sheetData') {
      p = walkAttrs(q, () => undefined);
      inSheetData = !selfClosing;
    } else if (nlen === 9 && n0 === 0x6d && buf.toString('latin1', ns, q) === 'mergeCell') {
      p = walkAttrs(q, (as, ae, vs, ve) => {
        if (ae - as === 3 && buf.toString('latin1', as, ae) === 'ref') merges.push(buf.toString('latin1', vs, ve));
      });
      if (merges.length > limits.mergeCount) checkMerges(merges, where, limits);
    } else {
      p = walkAttrs(q, () => undefined);
    }
  }
  finishRow();

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

  const rows: GridRow[] = new Array(lastRow);
  for (let r = 1; r <= lastRow; r++) {
    let cs = rowCells.get(r) ?? [];
    const extent = Math.min(rowExtents.get(r) ?? 0, width);
    while (cs.length < extent) cs.push(EMPTY_CELL);
    if (cs.length > width) cs = cs.slice(0, width);
    rows[r - 1] = { index: r, cells: cs };
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
  checkCells(cellSlots + covered, where, limits);
  const grid: Grid = { sheet: ctx.name, kind: 'sheet', rows };
  if (merges.length) grid.merges = merges;
  return grid;
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
}

/**
 * Reads xlsx bytes into grids, one per worksheet in workbook order (hidden sheets included; chart sheets
 * have no cells and are left out). Throws InputError for damaged parts and for anything over the caps.
 */
export async function readXlsxToGrids(bytes: Uint8Array, fileName = 'tệp', options: XlsxReadOptions = {}): Promise<Grid[]> {
  return readXlsxSync(bytes, fileName, options);
}

export function readXlsxSync(bytes: Uint8Array, fileName = 'tệp', options: XlsxReadOptions = {}): Grid[] {
  const limits: Limits = { ...LIMITS, ...options.limits };
  const where: InputWhere = { file: fileName };
  const dir = options.directory ?? readZipDirectory(bytes, where);
  const parts = new Parts(bytes, dir, where, limits);
  const unreadable = (detail: string, detailEn: string, entry?: string) =>
    new InputError('input.unreadable', { detail, detailEn }, entry ? { ...where, entry } : where);

  const root = relationships(parts, '');
  const workbookPart = root.find((r) => REL.officeDocument.test(r.type))?.target ?? 'xl/workbook.xml';
  const workbookXml = parts.xmlText(workbookPart) ?? parts.xmlText('xl/workbook.xml');
  if (!workbookXml) throw unreadable('thiếu phần xl/workbook.xml', 'xl/workbook.xml is missing', workbookPart);
  if (!complete(workbookXml, 'workbook')) throw unreadable(`phần ${workbookPart} bị hỏng`, `part ${workbookPart} is damaged`, workbookPart);
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
  const strings = sharedStrings(parts.xmlText(stringsPart));

  const grids: Grid[] = [];
  for (const s of sheets) {
    const buf = parts.xml(s.part);
    if (!buf) continue;
    if (!complete(buf.toString('utf8', Math.max(0, buf.length - 256)), 'worksheet')) {
      throw unreadable(`trang tính "${s.name}" bị hỏng`, `sheet "${s.name}" is damaged`, s.part);
    }
    grids.push(readSheet(buf, { name: s.name, strings, styles: styleList, date1904, where: { ...where, sheet: s.name }, limits }));
  }
  parts.verifyUnread(parts.readNames);
  return grids;
}

/** Whether an XML part ends with its root's end tag (a cut or broken part does not). */
function complete(tail: string, root: string): boolean {
  return new RegExp(`(</(?:[\\w.-]+:)?${root}>|<(?:[\\w.-]+:)?${root}\\b[^>]*/>)\\s*$`).test(tail);
}
