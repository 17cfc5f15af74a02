// A write-once xlsx writer for big reports: sheets of rows (text and numbers) with shared cell styles, row
// heights, merged spans, column widths, frozen header rows, A4 page setup, repeated print titles and a page
// header. Nothing else: no formulas, no reading back.
//
// Why not exceljs, which writes every other xlsx of the product: its streaming writer builds a cell object, a
// row model and a style lookup per cell, and deflates in JavaScript; a provincial report of 20,000 tasks took
// 1.44 s there, against 0.77 s here (docs/PERFORMANCE.md, "annex consolidate"). Parts are deflated in 1 MB
// pieces on the thread pool while rows are still being written (DeflatedPart). The output is
// plain SpreadsheetML that Excel, LibreOffice, WPS, exceljs and our own reader open; the report tests read it
// back with exceljs and render it through LibreOffice.
//
// Text is written as shared strings. Characters XML 1.0 cannot hold (C0 controls but tab and line feed) and
// carriage returns are written as OOXML's _xHHHH_ escapes, and a literal "_xHHHH_" in the text as _x005F_xHHHH_,
// so that every character of an officer's text comes back (exceljs drops control characters).
import { crc32 as nodeCrc32, deflateRaw, deflateRawSync, constants as zlibConstants } from 'node:zlib';

export interface XlsxFont {
  name?: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
}
type Side = { style: 'thin' };
export interface XlsxCellStyle {
  font?: XlsxFont;
  border?: { top?: Side; left?: Side; bottom?: Side; right?: Side };
  alignment?: {
    horizontal?: 'left' | 'center' | 'right';
    vertical?: 'top' | 'middle' | 'bottom';
    wrapText?: boolean;
  };
  fill?: { type: 'pattern'; pattern: 'solid'; fgColor: { argb: string } };
  /** "@": the Text format, which Excel never evaluates. */
  numFmt?: '@';
}

export interface XlsxPageSetup {
  /** 9: A4. */
  paperSize?: number;
  orientation?: 'portrait' | 'landscape';
  fitToPage?: boolean;
  fitToWidth?: number;
  fitToHeight?: number;
  horizontalCentered?: boolean;
  /** Inches. */
  margins?: { top: number; bottom: number; left: number; right: number; header: number; footer: number };
  /** Rows printed at the top of every page, "5:6". */
  printTitlesRow?: string;
}

export interface XlsxSheetOptions {
  /** Column widths in characters, from column A. */
  widths: number[];
  pageSetup?: XlsxPageSetup;
  /** The header printed on every page, in Excel's codes ("&C&P": page number at the centre). */
  oddHeader?: string;
  /** Rows frozen at the top of the window. */
  frozenRows?: number;
}

export type XlsxValue = string | number;

/**
 * A row whose height comes from its wrapped texts (XlsxSheetWriter.addRow): `widths` are the columns its values
 * wrap in (a merged span counted as one column), `height` the row's height in points when its tallest cell takes
 * `lines` lines. The lines a text takes are counted by the workbook's `wrappedLines`.
 */
export interface XlsxRowFit {
  widths: readonly number[];
  height: (lines: number) => number;
}

/** Characters of row XML gathered before they are encoded into the part's current slab. */
const CHUNK_CHARS = 1 << 16;
/**
 * Bytes deflated as one piece. A deflate call has a fixed cost (its state is set up each time): 100 KB pieces took
 * fourteen times as long as 1 MB ones for the same 15 MB.
 */
const SLAB_BYTES = 1 << 20;

const COLUMN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/**
 * Column letters by index, as far as rows have used them: one array for every sheet, so that addRow meets one map
 * (a sheet's own array started empty, of another elements kind than the strings it comes to hold).
 */
const LETTERS: string[] = [];

/** Whether number cells have gone through XlsxSheetWriter.addRow in this process (see addSheet). */
let numberCellsSeen = false;

function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = COLUMN_LETTERS[(n - 1) % 26] + s;
  return s;
}

const XML_SPECIAL = /[&<>"]/g;
const HAS_XML_SPECIAL = /[&<>"]/;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
// C0 controls XML cannot hold (all but tab and line feed), carriage return (an XML reader would turn it into a
// line feed), and a literal escape-shaped "_xHHHH_", which a reader would otherwise decode.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const OOXML_ESCAPE = /[\x00-\x08\x0B-\x1F]|_(?=x[0-9A-Fa-f]{4}_)/g;
// eslint-disable-next-line no-control-regex -- the same characters
const HAS_OOXML_ESCAPE = /[\x00-\x08\x0B-\x1F]|_(?=x[0-9A-Fa-f]{4}_)/;

/** Any character xmlText changes: XML's specials, the controls it escapes, an escape-shaped "_xHHHH_". */
// eslint-disable-next-line no-control-regex -- the same characters
const NEEDS_XML_TEXT = /[\x00-\x08\x0B-\x1F&<>"]|_x[0-9A-Fa-f]{4}_/;

/** Text as an XML attribute or element body. */
export function xmlText(s: string): string {
  // One native scan for the characters that need work, which most cell texts have none of (a report has 43,000
  // distinct texts); the replacements only run on the rest. A charCodeAt loop here took several times as long:
  // the texts come in every internal string kind, which such a loop is deoptimised by.
  if (!NEEDS_XML_TEXT.test(s)) return s;
  if (HAS_OOXML_ESCAPE.test(s))
    s = s.replace(OOXML_ESCAPE, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
  return HAS_XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL, (ch) => XML_ENTITY[ch]) : s;
}

/**
 * A part's bytes, deflated as they are made. XML text is gathered in pieces and encoded every CHUNK_CHARS (never one
 * long string: encoding a long concatenated string first flattens it, which cost more than the rest of the writer
 * together) into slabs of SLAB_BYTES. Each full slab is deflated on its own on the thread pool, ending in a sync
 * flush (an empty stored block, not final), while the writer goes on making rows; the part's deflate stream is those
 * pieces in order and an empty final block (DeflatedPart.finish). No copy of the whole part is made, and the
 * deflating overlaps the XML. Each piece starts with an empty window, which costs about a percent of size.
 */
class DeflatedPart {
  /** Bytes, in order, kept for the CRC and size (computed at the end, when the head is known). */
  private readonly raw: Buffer[] = [];
  private readonly packed: Promise<Buffer>[] = [];
  private pending: string[] = [];
  private chars = 0;
  private slab: Buffer | undefined;
  private used = 0;

  constructor(private readonly level: number) {}

  add(xml: string): void {
    this.pending.push(xml);
    this.chars += xml.length;
    if (this.chars > CHUNK_CHARS) this.encodePending();
  }

  private encodePending(): void {
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.pending = [];
    this.chars = 0;
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (this.slab && this.used + text.length * 3 > this.slab.length) this.sealSlab();
    if (!this.slab) {
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, text.length * 3));
      this.used = 0;
    }
    this.used += this.slab.write(text, this.used, 'utf8');
  }

  /**
   * The current slab with room for `n` more bytes after `used`, for a caller that writes bytes itself and then
   * sets `used` past them (rows of a sheet: see XlsxSheetWriter.addRow). Text added before comes first.
   */
  reserve(n: number): Buffer {
    if (this.pending.length) this.encodePending();
    if (this.slab && this.used + n > this.slab.length) this.sealSlab();
    if (!this.slab) {
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, n));
      this.used = 0;
    }
    return this.slab;
  }

  /**
   * `open`, `body` and `close` written straight into the slab as UTF-8 (`open` and `close` ASCII): no string made
   * to hold them, no join, and the body's characters are copied once (a shared string's XML: 4.7 MB for the 100 ×
   * 200 report).
   */
  addText(open: string, body: string, close: string): void {
    const buf = this.reserve(open.length + close.length + body.length * 3);
    let at = ascii(buf, this.used, open);
    at += buf.write(body, at, 'utf8');
    this.used = ascii(buf, at, close);
  }

  /** Where the next byte goes in the slab reserve() returned. */
  get at(): number {
    return this.used;
  }

  set at(end: number) {
    this.used = end;
  }

  private sealSlab(): void {
    if (!this.slab || !this.used) return;
    const bytes = this.slab.subarray(0, this.used);
    this.slab = undefined;
    this.raw.push(bytes);
    this.packed.push(deflatePiece(bytes, this.level));
  }

  /** The part's deflated bytes with `head` before what was added and `tail` after it. */
  async finish(head = '', tail = ''): Promise<ZipEntryData> {
    if (tail) this.add(tail);
    this.encodePending();
    this.sealSlab();
    const headBytes = Buffer.from(head, 'utf8');
    const raw = [headBytes, ...this.raw];
    const packed = await Promise.all([deflatePiece(headBytes, this.level), ...this.packed]);
    packed.push(FINAL_EMPTY_BLOCK);
    let crc = 0;
    let size = 0;
    for (const b of raw) {
      crc = crc32(b, crc);
      size += b.length;
    }
    return { crc, size, packed };
  }
}

/** The wrapped lines of shared strings at one column width, by string index (0: not counted yet). */
interface LineCounts {
  readonly width: number;
  known: Uint32Array;
  /** The table of the width this one is counted together with (XlsxPairedWidths), if any. */
  pair: LineCounts | undefined;
}

/**
 * Two column widths whose texts are mostly the same (the consolidated report's review sheet lists the annex's task
 * texts again, in a narrower column): a text counted at either is counted at both in one pass by `count`, whose
 * results must be the workbook's `wrappedLines` at each width.
 */
export interface XlsxPairedWidths {
  widths: readonly [number, number];
  count: (text: string, a: number, b: number, out: number[]) => void;
}

/**
 * The workbook's shared strings: a report repeats its texts (agency names, timelines, each source line on 200
 * rows, every grouped task again on the review sheet), and a cell that points at a string is a few bytes.
 */
class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly xml: DeflatedPart;
  private count = 0;
  /** Per column width, the wrapped lines of each string by its index (0: not counted yet). */
  private readonly linesAt = new Map<number, LineCounts>();
  /** The two counts of XlsxPairedWidths.count. */
  private readonly pairOut = [0, 0];

  constructor(
    level: number,
    private readonly paired?: XlsxPairedWidths,
  ) {
    this.xml = new DeflatedPart(level);
  }

  of(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(text, i);
      // Leading or trailing spaces are kept only where the XML says so.
      const keep = isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1));
      this.xml.addText(keep ? '<si><t xml:space="preserve">' : '<si><t>', xmlText(text), '</t></si>');
    }
    this.count++;
    return i;
  }

  /**
   * The lines each string takes at `width`, counted once per string and width (by its index; 0: not counted yet):
   * a report repeats its texts (each agency's source line on all its rows, timelines, agency lists), and counting
   * was a third of the writer. One table per width, which a run of rows of one fit looks up once (XlsxSheetWriter).
   */
  linesAtWidth(width: number): LineCounts {
    let t = this.linesAt.get(width);
    if (!t) {
      this.linesAt.set(width, (t = { width, known: new Uint32Array(1024), pair: undefined }));
      const p = this.paired?.widths;
      const other = !p || p[0] === p[1] ? undefined : width === p[0] ? p[1] : width === p[1] ? p[0] : undefined;
      if (other !== undefined) {
        const o = this.linesAtWidth(other);
        t.pair = o;
        o.pair = t;
      }
    }
    return t;
  }

  /**
   * Counts string `k` (`text`) at `t`'s width, which is not known yet (`t.known` already holds index `k`), and
   * stores it; at the paired width too, in the same pass, when that is not known either.
   */
  countLines(t: LineCounts, k: number, text: string, count: (text: string, width: number) => number): number {
    const pair = t.pair;
    if (!pair || (k < pair.known.length && pair.known[k])) return (t.known[k] = count(text, t.width));
    const out = this.pairOut;
    this.paired!.count(text, t.width, pair.width, out);
    if (pair.known.length <= k) pair.known = grown(pair.known, k);
    pair.known[k] = out[1];
    return (t.known[k] = out[0]);
  }

  get size(): number {
    return this.index.size;
  }

  finish(): Promise<ZipEntryData> {
    return this.xml.finish(
      `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.index.size}">`,
      '</sst>',
    );
  }
}

/** One worksheet being written: rows are serialised as they are added. */
export class XlsxSheetWriter {
  /** sheetData so far. */
  private readonly rowsXml: DeflatedPart;
  /**
   * The merged spans' XML and their count. A string rather than an array each sheet starts empty: an empty array is
   * of another elements kind than the strings it comes to hold, so each sheet's first span gave addRow a new map
   * and V8 threw its optimised code away (see LETTERS).
   */
  private merges = '';
  private mergeCount = 0;
  private rows = 0;
  /** The shared string of each cell of the row being added. */
  private strIndex = new Int32Array(16);
  /**
   * The styles of the last row added and their ids by cell (-1: not looked up yet): rows come in runs given one
   * styles array or object, so a cell's id is looked up once per run, in the order the cells first ask for it (the
   * order new styles are numbered in). A styles array is not changed between the rows it is given to.
   */
  private idsOf: XlsxCellStyle | readonly (XlsxCellStyle | undefined)[] | undefined | null = null;
  private ids = new Int32Array(16).fill(-1);
  /** The fit of the last row added and each column's wrapped-line table at its width. */
  private linesOf: XlsxRowFit | undefined;
  private lineTables: (LineCounts | undefined)[] = [];

  constructor(
    readonly name: string,
    readonly options: XlsxSheetOptions,
    private readonly styleIndex: (style: XlsxCellStyle | undefined) => number,
    private readonly strings: SharedStrings,
    level: number,
    private readonly wrappedLines: (text: string, widthChars: number) => number,
  ) {
    this.rowsXml = new DeflatedPart(level);
  }

  /** Rows added so far (the number of the last one). */
  get rowCount(): number {
    return this.rows;
  }

  /**
   * Appends a row and returns its number. `styles`: one per cell, or one for all. `height` in points.
   * `merge`: the columns (1-based, inclusive) merged into one cell; the cells it covers take the first one's
   * style, so its borders print. `fit`: when the row has a text, it is made tall enough for its wrapped lines
   * (at least `height`). A row with no values and no merge is left out of the file (it stays blank).
   */
  addRow(
    values: readonly XlsxValue[],
    styles: XlsxCellStyle | readonly (XlsxCellStyle | undefined)[] | undefined,
    height?: number,
    merge?: [number, number],
    fit?: XlsxRowFit,
  ): number {
    const r = ++this.rows;
    const last = Math.max(values.length, merge ? merge[1] : 0);
    if (!last) return r;
    if (styles !== this.idsOf) {
      this.idsOf = styles;
      this.ids.fill(-1);
    }
    if (this.ids.length < last) this.ids = new Int32Array(last * 2).fill(-1);
    const ids = this.ids;
    const mergeFrom = merge ? merge[0] - 1 : -1;
    // First the cells' shared strings and the lines of the tallest cell (numbers included; counted only if the row
    // has a text), for the row's height comes before its cells.
    if (this.strIndex.length < last) this.strIndex = new Int32Array(last * 2);
    const strIndex = this.strIndex;
    if (fit !== this.linesOf) {
      this.linesOf = fit;
      this.lineTables = [];
    }
    const tables = this.lineTables;
    let lines = 1;
    let text = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'number') {
        if (fit) lines = Math.max(lines, this.wrappedLines(String(v), fit.widths[i] ?? 10));
      } else if (v !== '') {
        const k = (strIndex[i] = this.strings.of(v));
        if (fit) {
          text = true;
          const t = (tables[i] ??= this.strings.linesAtWidth(fit.widths[i] ?? 10));
          if (t.known.length <= k) t.known = grown(t.known, k);
          let n = t.known[k];
          if (!n) n = this.strings.countLines(t, k, v, this.wrappedLines);
          if (n > lines) lines = n;
        }
      }
    }
    if (text) {
      const needed = fit!.height(lines);
      height = height ? Math.max(height, needed) : needed;
    }
    // The row's XML is ASCII (texts are shared strings), written straight into the part's bytes: no strings to
    // build, join and encode per cell. At most 128 bytes a cell (a number's longest form is 24 characters).
    const part = this.rowsXml;
    const buf = part.reserve(64 + 128 * last);
    let at = part.at;
    at = ascii(buf, at, '<row r="');
    at = digits(buf, at, r);
    if (height) {
      at = ascii(buf, at, '" ht="');
      at = ascii(buf, at, String(height));
      at = ascii(buf, at, '" customHeight="1">');
    } else at = ascii(buf, at, '">');
    for (let i = 0; i < last; i++) {
      const covered = merge !== undefined && i > mergeFrom && i < merge[1] && i >= values.length;
      const j = covered ? mergeFrom : i < values.length ? i : -1;
      let s = 0;
      if (j >= 0) {
        s = ids[j];
        if (s < 0) s = ids[j] = this.styleIndex(Array.isArray(styles) ? styles[j] : (styles as XlsxCellStyle));
      }
      const v = i < values.length ? values[i] : '';
      const isNumber = typeof v === 'number';
      if (!isNumber && v === '' && !s) continue;
      at = ascii(buf, at, '<c r="');
      at = ascii(buf, at, (LETTERS[i] ??= columnName(i)));
      at = digits(buf, at, r);
      if (s) {
        at = ascii(buf, at, '" s="');
        at = digits(buf, at, s);
      }
      if (isNumber) {
        if (Number.isFinite(v)) {
          at = ascii(buf, at, '"><v>');
          at = v >= 0 && v <= 0x7fffffff && Number.isInteger(v) ? digits(buf, at, v) : ascii(buf, at, String(v));
          at = ascii(buf, at, '</v></c>');
        } else at = ascii(buf, at, '"/>');
      } else if (v !== '') {
        at = ascii(buf, at, '" t="s"><v>');
        at = digits(buf, at, strIndex[i]);
        at = ascii(buf, at, '</v></c>');
      } else at = ascii(buf, at, '"/>');
    }
    part.at = ascii(buf, at, '</row>');
    if (merge && merge[1] > merge[0]) {
      this.merges += `<mergeCell ref="${columnName(merge[0] - 1)}${r}:${columnName(merge[1] - 1)}${r}"/>`;
      this.mergeCount++;
    }
    return r;
  }

  /** Appends a blank row (left out of the file) and returns its number. */
  addBlankRow(): number {
    return ++this.rows;
  }

  /** The worksheet part, in the element order SpreadsheetML requires. */
  finish(): Promise<ZipEntryData> {
    const o = this.options;
    const p = o.pageSetup ?? {};
    const out: string[] = [
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
    ];
    if (p.fitToPage) out.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
    const lastColumn = columnName(Math.max(o.widths.length, 1) - 1);
    out.push(`<dimension ref="A1:${lastColumn}${Math.max(this.rows, 1)}"/>`);
    if (o.frozenRows) {
      const top = `A${o.frozenRows + 1}`;
      out.push(
        '<sheetViews><sheetView workbookViewId="0">',
        `<pane ySplit="${o.frozenRows}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/>`,
        `<selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/>`,
        '</sheetView></sheetViews>',
      );
    } else {
      out.push('<sheetViews><sheetView workbookViewId="0"/></sheetViews>');
    }
    out.push('<sheetFormatPr defaultRowHeight="15"/>');
    if (o.widths.length) {
      out.push('<cols>');
      o.widths.forEach((w, i) => out.push(`<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`));
      out.push('</cols>');
    }
    out.push('<sheetData>');
    const head = out.join('');
    out.length = 0;
    out.push('</sheetData>');
    if (this.mergeCount) {
      out.push(`<mergeCells count="${this.mergeCount}">`, this.merges, '</mergeCells>');
    }
    if (p.horizontalCentered) out.push('<printOptions horizontalCentered="1"/>');
    const m = p.margins;
    if (m)
      out.push(
        `<pageMargins left="${m.left}" right="${m.right}" top="${m.top}" bottom="${m.bottom}" header="${m.header}" footer="${m.footer}"/>`,
      );
    const setup = [
      p.paperSize !== undefined ? `paperSize="${p.paperSize}"` : '',
      p.fitToWidth !== undefined ? `fitToWidth="${p.fitToWidth}"` : '',
      p.fitToHeight !== undefined ? `fitToHeight="${p.fitToHeight}"` : '',
      p.orientation ? `orientation="${p.orientation}"` : '',
    ].filter(Boolean);
    if (setup.length) out.push(`<pageSetup ${setup.join(' ')}/>`);
    if (o.oddHeader) out.push(`<headerFooter><oddHeader>${xmlText(o.oddHeader)}</oddHeader></headerFooter>`);
    out.push('</worksheet>');
    return this.rowsXml.finish(head, out.join(''));
  }
}

/** The workbook: sheets in order, one style table, written out as a zip by toBuffer(). */
export class XlsxReportWriter {
  private readonly sheets: XlsxSheetWriter[] = [];
  private readonly strings: SharedStrings;
  /** zlib's level for every part: 1 takes half the time of the default for a file a few percent larger. */
  private readonly level: number;
  private readonly fonts: string[] = [];
  private readonly fills = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
  ];
  private readonly borders = ['<border><left/><right/><top/><bottom/><diagonal/></border>'];
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly xfByKey = new Map<string, number>();
  /** Style objects are shared and never mutated: most lookups end here, without serialising the style. */
  private readonly xfByObject = new WeakMap<XlsxCellStyle, number>();
  /**
   * styleIndex for the sheets: one function for all of them, so that addRow's call of it keeps one target (a
   * closure per sheet made V8 throw addRow's optimised code away when the second sheet began).
   */
  private readonly styleOf = (style: XlsxCellStyle | undefined): number => this.styleIndex(style);

  /**
   * `defaultFont`: the font of cells that have no style. `wrappedLines`: the lines a text takes in a column of a
   * width (in characters), for rows added with a fit; the same for the same text and width, as it is remembered.
   */
  constructor(
    private readonly meta: {
      creator?: string;
      defaultFont?: XlsxFont;
      level?: number;
      wrappedLines?: (text: string, widthChars: number) => number;
      pairedWidths?: XlsxPairedWidths;
    } = {},
  ) {
    this.level = meta.level ?? 1;
    this.strings = new SharedStrings(this.level, meta.wrappedLines ? meta.pairedWidths : undefined);
    this.fonts.push(fontXml(meta.defaultFont ?? { name: 'Calibri', size: 11 }));
  }

  /** A sheet named as Excel allows (1–31 characters, none of []:*?/\, no apostrophe first or last, unique). */
  addSheet(name: string, options: XlsxSheetOptions): XlsxSheetWriter {
    if (
      !name ||
      name.length > 31 ||
      /[[\]:*?/\\]/.test(name) ||
      name.startsWith("'") ||
      name.endsWith("'") ||
      this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())
    )
      throw new RangeError(`sheet name Excel refuses: ${JSON.stringify(name)}`);
    if (!numberCellsSeen) {
      // Rows of number cells (an integer, a fraction, a non-finite one) through addRow before any real row, into
      // a sheet that is not written: a report's first number cells come late (its summary sheet), after V8 has
      // optimised addRow on text rows alone, and their code, having no type feedback, threw that work away and had
      // it compiled again. Once in a process: the feedback stays with addRow.
      numberCellsSeen = true;
      const scratch = new XlsxSheetWriter(
        '',
        { widths: [] },
        this.styleOf,
        this.strings,
        this.level,
        this.meta.wrappedLines ?? oneLine,
      );
      const fit: XlsxRowFit = { widths: [10, 10, 10, 10], height: (lines) => lines };
      // Many times: V8 gives a function a feedback vector only once it has run about eight times its bytecode's size,
      // and records nothing before.
      for (let i = 0; i < 32; i++) scratch.addRow([1, 0.5, NaN, ''], undefined, undefined, undefined, fit);
    }
    const sheet = new XlsxSheetWriter(
      name,
      options,
      this.styleOf,
      this.strings,
      this.level,
      this.meta.wrappedLines ?? oneLine,
    );
    this.sheets.push(sheet);
    return sheet;
  }

  private styleIndex(style: XlsxCellStyle | undefined): number {
    if (!style) return 0;
    const known = this.xfByObject.get(style);
    if (known !== undefined) return known;
    const fontId = indexOf(this.fonts, fontXml(style.font ?? this.meta.defaultFont ?? {}));
    const fillId = style.fill
      ? indexOf(
          this.fills,
          `<fill><patternFill patternType="solid"><fgColor rgb="${style.fill.fgColor.argb}"/></patternFill></fill>`,
        )
      : 0;
    const b = style.border;
    const side = (name: string, s?: Side) => (s ? `<${name} style="${s.style}"/>` : `<${name}/>`);
    const borderId = b
      ? indexOf(
          this.borders,
          `<border>${side('left', b.left)}${side('right', b.right)}${side('top', b.top)}${side('bottom', b.bottom)}<diagonal/></border>`,
        )
      : 0;
    const a = style.alignment;
    const align = a
      ? `<alignment${a.horizontal ? ` horizontal="${a.horizontal}"` : ''}${
          a.vertical ? ` vertical="${a.vertical === 'middle' ? 'center' : a.vertical}"` : ''
        }${a.wrapText ? ' wrapText="1"' : ''}/>`
      : '';
    const numFmtId = style.numFmt === '@' ? 49 : 0;
    const applies = [
      numFmtId ? ' applyNumberFormat="1"' : '',
      ' applyFont="1"',
      fillId ? ' applyFill="1"' : '',
      borderId ? ' applyBorder="1"' : '',
      align ? ' applyAlignment="1"' : '',
    ].join('');
    const xf = `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"${applies}${
      align ? `>${align}</xf>` : '/>'
    }`;
    let id = this.xfByKey.get(xf);
    if (id === undefined) {
      id = this.xfs.push(xf) - 1;
      this.xfByKey.set(xf, id);
    }
    this.xfByObject.set(style, id);
    return id;
  }

  private stylesXml(): string {
    return [
      XML_HEAD,
      `<styleSheet xmlns="${NS_MAIN}">`,
      `<fonts count="${this.fonts.length}">${this.fonts.join('')}</fonts>`,
      `<fills count="${this.fills.length}">${this.fills.join('')}</fills>`,
      `<borders count="${this.borders.length}">${this.borders.join('')}</borders>`,
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>`,
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
      '</styleSheet>',
    ].join('');
  }

  private workbookXml(): string {
    const quoted = (name: string) => `'${name.replace(/'/g, "''")}'`;
    const titles = this.sheets
      .map((s, i) => {
        const rows = s.options.pageSetup?.printTitlesRow?.match(/^(\d+):(\d+)$/);
        return rows
          ? `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xmlText(
              `${quoted(s.name)}!$${rows[1]}:$${rows[2]}`,
            )}</definedName>`
          : '';
      })
      .join('');
    return [
      XML_HEAD,
      `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`,
      '<bookViews><workbookView/></bookViews><sheets>',
      ...this.sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`),
      '</sheets>',
      titles ? `<definedNames>${titles}</definedNames>` : '',
      '</workbook>',
    ].join('');
  }

  /** The whole workbook as xlsx bytes. Rows can no longer be added. */
  async toBuffer(): Promise<Buffer> {
    const n = this.sheets.length;
    const files: [string, string][] = [
      [
        '[Content_Types].xml',
        XML_HEAD +
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          this.sheets
            .map(
              (_, i) =>
                `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
            )
            .join('') +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
          '</Types>',
      ],
      [
        '_rels/.rels',
        XML_HEAD +
          `<Relationships xmlns="${NS_PKG_REL}">` +
          `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
          '</Relationships>',
      ],
      [
        'docProps/core.xml',
        XML_HEAD +
          '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
          'xmlns:dc="http://purl.org/dc/elements/1.1/">' +
          (this.meta.creator ? `<dc:creator>${xmlText(this.meta.creator)}</dc:creator>` : '') +
          '</cp:coreProperties>',
      ],
      ['xl/workbook.xml', this.workbookXml()],
      [
        'xl/_rels/workbook.xml.rels',
        XML_HEAD +
          `<Relationships xmlns="${NS_PKG_REL}">` +
          this.sheets
            .map(
              (_, i) =>
                `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
            )
            .join('') +
          `<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
          `<Relationship Id="rId${n + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>` +
          '</Relationships>',
      ],
      ['xl/styles.xml', this.stylesXml()],
    ];
    const sheets = await Promise.all(this.sheets.map((s) => s.finish()));
    return zip([
      ...files.map(([name, text]): [string, ZipEntryData] => [
        name,
        deflateWhole(Buffer.from(text, 'utf8'), this.level),
      ]),
      ...sheets.map((data, i): [string, ZipEntryData] => [`xl/worksheets/sheet${i + 1}.xml`, data]),
      // After the sheets, which fill it.
      ['xl/sharedStrings.xml', await this.strings.finish()],
    ]);
  }
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/**
 * Whether a UTF-16 unit is what /\s/ matches (a whole character: none of these is a surrogate): ASCII and Latin-1
 * spaces, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF. NaN (past a string's end) is not.
 */
export function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x1680) return c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Writes an ASCII string's characters as bytes at `at`; returns where they end. */
function ascii(buf: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}

/** Writes a non-negative integer (below 2^31) in decimal at `at`; returns where it ends. */
function digits(buf: Buffer, at: number, n: number): number {
  let end = at + 1;
  for (let m = n; m >= 10; m = (m / 10) | 0) end++;
  for (let p = end - 1, m = n; p >= at; p--, m = (m / 10) | 0) buf[p] = 48 + (m % 10);
  return end;
}

/** Without a wrapped-line count, every text takes one line. */
const oneLine = () => 1;

/** A line-count table with room for index `k`. */
function grown(known: Uint32Array, k: number): Uint32Array {
  const bigger = new Uint32Array((k + 1) * 2);
  bigger.set(known);
  return bigger;
}

function fontXml(f: XlsxFont): string {
  return `<font>${f.bold ? '<b/>' : ''}${f.italic ? '<i/>' : ''}<sz val="${f.size ?? 11}"/><name val="${xmlText(
    f.name ?? 'Calibri',
  )}"/></font>`;
}

function indexOf(list: string[], item: string): number {
  const i = list.indexOf(item);
  return i >= 0 ? i : list.push(item) - 1;
}

// ---------------------------------------------------------------------------------------------
// Zip: deflated entries, a central directory, no zip64 (a report is far below 4 GB)
// ---------------------------------------------------------------------------------------------

/** CRC-32 by Node's zlib where it has one (20.15 and later), else from a table; `value`: the CRC so far. */
const crc32: (data: Buffer, value: number) => number =
  typeof nodeCrc32 === 'function' ? (data, value) => nodeCrc32(data, value) : tableCrc32;

/** A zip entry's data: deflated pieces that make one deflate stream in order, and the CRC and size of its bytes. */
interface ZipEntryData {
  packed: Buffer[];
  crc: number;
  size: number;
}

/** A deflate stream's end: an empty final block of fixed codes (what zlib writes to finish an empty input). */
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/** Bytes deflated on the thread pool as a piece of a longer stream: not final, ending on a byte boundary. */
function deflatePiece(data: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    deflateRaw(
      data,
      // Room for the whole output, so the thread pool deflates the piece in one go rather than handing back to
      // the busy main thread for more room every 16 KB.
      { level, finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: data.length + (data.length >> 3) + 1024 },
      (err, out) => (err ? reject(err) : resolve(out)),
    ),
  );
}

/** A small part deflated at once. */
function deflateWhole(data: Buffer, level: number): ZipEntryData {
  return { packed: [deflateRawSync(data, { level })], crc: crc32(data, 0), size: data.length };
}

let CRC_TABLE: Uint32Array | undefined;
function tableCrc32(data: Buffer, value: number): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// 1980-01-01 00:00, the zip epoch: the same bytes for the same report.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** General purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;

/**
 * The fields a local header (at 4) and a central directory entry (at 6) share, in the same order: version needed,
 * flags, method (deflate), time, date, CRC, compressed and uncompressed size, name length. Extra and comment
 * lengths, disk and attributes stay zero, as Buffer.alloc left them.
 */
function writeEntryFields(
  buf: Buffer,
  at: number,
  f: { crc: number; packed: number; size: number; name: number },
): void {
  buf.writeUInt16LE(20, at);
  buf.writeUInt16LE(UTF8_NAMES, at + 2);
  buf.writeUInt16LE(8, at + 4);
  buf.writeUInt16LE(DOS_TIME, at + 6);
  buf.writeUInt16LE(DOS_DATE, at + 8);
  buf.writeUInt32LE(f.crc, at + 10);
  buf.writeUInt32LE(f.packed, at + 14);
  buf.writeUInt32LE(f.size, at + 18);
  buf.writeUInt16LE(f.name, at + 22);
}

export function zip(entries: [string, ZipEntryData][]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = data.packed.reduce((n, b) => n + b.length, 0);
    if (offset + packed > 0xffffffff || data.size > 0xffffffff)
      throw new RangeError('xlsx report over 4 GB: zip64 is not written');
    const fields = { crc: data.crc, packed, size: data.size, name: nameBytes.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // version made by
    writeEntryFields(entry, 6, fields);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    chunks.push(local, nameBytes, ...data.packed);
    offset += local.length + nameBytes.length + packed;
  }
  const centralSize = central.reduce((a, b) => a + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}
