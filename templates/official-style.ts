// Official document styling (Nghị định 30/2020/NĐ-CP, Phụ lục I): one description shared by the
// xlsx writers (template, consolidated report, fixed annex) and the docx writer. Header texts come from the
// vocabulary (data/layouts/columns.json); only the print widths live here.
import type ExcelJS from 'exceljs';
import { columnHeader } from '../engine/vocab/index.js';

export const OFFICIAL_STYLE = {
  font: 'Times New Roman',
  /** Body text 13pt; table text may go down to 12pt in a dense annex. */
  sizes: { body: 13, table: 12, heading: 14, title: 14, small: 12 },
  page: {
    paper: 'A4' as const,
    /** Annex tables are printed landscape. */
    orientation: 'landscape' as const,
    /** Margins in millimetres (NĐ 30: top 20–25, bottom 20–25, left 30–35, right 15–20). */
    marginsMm: { top: 20, bottom: 20, left: 30, right: 15 },
  },
  /** Standard annex columns in order, with widths (Excel character units) and header labels. */
  columns: [
    { field: 'number', header: columnHeader('number'), width: 6 },
    { field: 'task', header: columnHeader('task'), width: 45 },
    { field: 'product', header: columnHeader('product'), width: 35 },
    { field: 'lead', header: columnHeader('lead'), width: 22 },
    { field: 'support', header: columnHeader('support'), width: 26 },
    { field: 'timeline', header: columnHeader('timeline'), width: 18 },
  ],
  heading: 'Phụ lục',
  /** "(Kèm theo Kế hoạch số … ngày … của …)" — italic line under the title. */
  attachedLine: (docType: string, docNumber: string, docDate: string, issuer: string) =>
    `(Kèm theo ${docType} số ${docNumber} ngày ${docDate} của ${issuer})`,
} as const;

export const MM_PER_INCH = 25.4;
/** Millimetres to inches (exceljs page margins are in inches). */
export const mmToInch = (mm: number) => Math.round((mm / MM_PER_INCH) * 100) / 100;

/**
 * The page of an official-style xlsx sheet (the blank template, the consolidated report): A4 landscape, one page
 * wide, centred, the NĐ 30 margins, header and footer 10 mm from the edge, the table header repeated on each page.
 */
export function xlsxPageSetup(printTitlesRow?: string): Partial<ExcelJS.PageSetup> {
  const m = OFFICIAL_STYLE.page.marginsMm;
  return {
    paperSize: 9, // A4
    orientation: OFFICIAL_STYLE.page.orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: {
      top: mmToInch(m.top),
      bottom: mmToInch(m.bottom),
      left: mmToInch(m.left),
      right: mmToInch(m.right),
      header: mmToInch(10),
      footer: mmToInch(10),
    },
    ...(printTitlesRow ? { printTitlesRow } : {}),
  };
}
/** Millimetres to twentieths of a point (docx page margins). */
export const mmToTwip = (mm: number) => Math.round((mm / MM_PER_INCH) * 1440);

// ---------------------------------------------------------------------------------------------
// Extensions shared by the template generator and the Word writer.
// ---------------------------------------------------------------------------------------------

/** Optional annex columns that the template offers after the six standard ones. */
export const OPTIONAL_COLUMNS = [
  { field: 'monitor', header: columnHeader('monitor'), width: 16 },
  { field: 'note', header: columnHeader('note'), width: 12 },
] as const;

/** A4 in millimetres and in twips (docx page sizes are given portrait; the writer flips them). */
export const A4 = { widthMm: 210, heightMm: 297, widthTwip: 11906, heightTwip: 16838 } as const;

/** Font sizes in half-points, as Word stores them. */
export const halfPoints = (pt: number) => Math.round(pt * 2);

/** Full names of the document types written in the "(Kèm theo …)" line. */
export const DOC_TYPE_NAMES: Record<string, string> = {
  KH: 'Kế hoạch',
  QĐ: 'Quyết định',
  QD: 'Quyết định',
  CT: 'Chương trình',
  TB: 'Thông báo',
  CV: 'Công văn',
};

/** "KH" → "Kế hoạch"; a full name is kept as written; nothing → "Kế hoạch" (the usual case). */
export function docTypeName(docType?: string): string {
  const t = (docType ?? '').trim();
  if (!t) return 'Kế hoạch';
  return DOC_TYPE_NAMES[t.toUpperCase()] ?? DOC_TYPE_NAMES[t] ?? t;
}

/** ISO date (yyyy-mm-dd) → "dd/mm/yyyy", the way dates are written in official documents. */
export function formatViDate(iso?: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : undefined;
}

/** Placeholder written where a number or date is not known yet (filled in by hand before signing). */
export const BLANK = '…';

/**
 * The "(Kèm theo …)" line from whatever is known; unknown parts become "…" so the line still reads
 * as a form to complete rather than as a wrong reference.
 */
export function attachedLineFrom(parts: { docType?: string; docNumber?: string; docDate?: string; issuer?: string }) {
  return OFFICIAL_STYLE.attachedLine(
    docTypeName(parts.docType),
    parts.docNumber?.trim() || BLANK,
    formatViDate(parts.docDate) ?? BLANK,
    parts.issuer?.trim() || BLANK,
  );
}

/** Upper-cases Vietnamese text for titles (locale-aware so "đ" → "Đ"). */
export const upperVi = (s: string) => s.toLocaleUpperCase('vi-VN');

/** The column naming which agencies planned a consolidated task: one name in the xlsx, docx, csv and Sheet reports. */
export const SOURCE_COLUMN_HEADER = 'Cơ quan đăng ký';

/**
 * Lines a wrapped cell takes at `widthChars` (Excel column width, in digit widths of the default font), wrapping
 * at spaces as Excel and LibreOffice do. Times New Roman at 12pt averages about one digit width of the 13pt default
 * per character, Vietnamese capitals and "m"/"w" run wider: 0.9 keeps the estimate on the safe (taller) side.
 */
export function wrappedLines(text: string, widthChars: number): number {
  const perLine = Math.max(1, Math.floor((widthChars - 1) * 0.9));
  // A text no longer than a line, in one paragraph, takes one line: most cells of a report.
  if (text.length <= perLine && text.indexOf('\n') < 0) return 1;
  if (!utf8) return wrappedLinesBySplit(text, perLine);
  // Words between spaces, paragraphs at "\n", counted over the text's UTF-8 bytes in a reused buffer: a loop of
  // charCodeAt over a report's 200,000 cell texts (strings of every internal kind: sliced, joined, one or two
  // bytes a character) ran six times slower than over plain strings, and this loop sees only bytes.
  if (utf8Scratch.length < text.length * 3) utf8Scratch = new Uint8Array(text.length * 3);
  const bytes = utf8Scratch;
  const end = utf8.encodeInto(text, bytes).written;
  let lines = 0;
  let len = 0;
  endParagraph(wrap);
  for (let i = 0; i <= end; i++) {
    const b = i < end ? bytes[i] : 10;
    if (b === 32 || b === 10) {
      if (len) placeWord(wrap, len, perLine);
      len = 0;
      if (b === 10) lines += endParagraph(wrap);
    } else if (b < 0x80) {
      // Tab, vertical tab, form feed, carriage return: other whitespace, which the split path handles.
      if (b >= 9 && b <= 13) return wrappedLinesBySplit(text, perLine);
      len++;
    } else if (b >= 0xc0) {
      // A character's first byte: one UTF-16 unit, two for a character outside the BMP (4-byte sequence).
      if (b <= 0xef && otherSpaceAt(bytes, i, b)) return wrappedLinesBySplit(text, perLine);
      len += b >= 0xf0 ? 2 : 1;
    }
  }
  return Math.max(1, lines);
}

/**
 * Whether the UTF-8 sequence starting with `b` at `i` is whitespace other than the space and the line feed (what
 * /\s/ matches besides them above ASCII: U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000,
 * U+FEFF). Checked in the byte loop instead of a regular expression over every long text first.
 */
function otherSpaceAt(bytes: Uint8Array, i: number, b: number): boolean {
  const b1 = bytes[i + 1];
  if (b === 0xc2) return b1 === 0xa0;
  const b2 = bytes[i + 2];
  if (b === 0xe1) return b1 === 0x9a && b2 === 0x80;
  if (b === 0xe2) {
    if (b1 === 0x80) return b2 <= 0x8a || b2 === 0xa8 || b2 === 0xa9 || b2 === 0xaf;
    return b1 === 0x81 && b2 === 0x9f;
  }
  if (b === 0xe3) return b1 === 0x80 && b2 === 0x80;
  if (b === 0xef) return b1 === 0xbb && b2 === 0xbf;
  return false;
}
// The Excel add-in's pane loads this module too, and Excel 2019's EdgeHTML has no TextEncoder: there the count
// goes by splitting.
const utf8: { encodeInto(text: string, into: Uint8Array): { written: number } } | undefined =
  typeof TextEncoder === 'function' && typeof TextEncoder.prototype.encodeInto === 'function'
    ? new TextEncoder()
    : undefined;
let utf8Scratch = new Uint8Array(0);

/** The same count by splitting, for texts with other whitespace (tabs, no-break and wide spaces). */
function wrappedLinesBySplit(text: string, perLine: number): number {
  let lines = 0;
  endParagraph(wrap);
  for (const para of text.split('\n')) {
    for (const word of para.split(/\s+/)) if (word) placeWord(wrap, word.length, perLine);
    lines += endParagraph(wrap);
  }
  return Math.max(1, lines);
}

/**
 * wrappedLines of one text at two widths, counted in one pass over its bytes: `out[0]` at `a`, `out[1]` at `b`. The
 * consolidated report's review sheet lists the annex's task texts again, in a column one character narrower; each
 * text counted at both widths when first met is encoded and read once (about a quarter less time for the 100 × 200
 * bench's task texts than counting them at each width on its own).
 */
export function wrappedLinesPair(text: string, a: number, b: number, out: number[]): void {
  const perA = Math.max(1, Math.floor((a - 1) * 0.9));
  const perB = Math.max(1, Math.floor((b - 1) * 0.9));
  // A text no longer than a line at either width (one line there, unless it has paragraphs), or no TextEncoder:
  // counted at each width on its own, which then costs at most one count.
  if (!utf8 || text.length <= perA || text.length <= perB) {
    out[0] = wrappedLines(text, a);
    out[1] = wrappedLines(text, b);
    return;
  }
  if (utf8Scratch.length < text.length * 3) utf8Scratch = new Uint8Array(text.length * 3);
  const bytes = utf8Scratch;
  const end = utf8.encodeInto(text, bytes).written;
  let linesA = 0;
  let linesB = 0;
  let len = 0;
  endParagraph(wrap);
  endParagraph(wrap2);
  // wrappedLines's loop, each word placed at both widths.
  for (let i = 0; i <= end; i++) {
    const c = i < end ? bytes[i] : 10;
    if (c === 32 || c === 10) {
      if (len) {
        placeWord(wrap, len, perA);
        placeWord(wrap2, len, perB);
      }
      len = 0;
      if (c === 10) {
        linesA += endParagraph(wrap);
        linesB += endParagraph(wrap2);
      }
    } else if (c < 0x80) {
      if (c >= 9 && c <= 13) {
        out[0] = wrappedLinesBySplit(text, perA);
        out[1] = wrappedLinesBySplit(text, perB);
        return;
      }
      len++;
    } else if (c >= 0xc0) {
      if (c <= 0xef && otherSpaceAt(bytes, i, c)) {
        out[0] = wrappedLinesBySplit(text, perA);
        out[1] = wrappedLinesBySplit(text, perB);
        return;
      }
      len += c >= 0xf0 ? 2 : 1;
    }
  }
  out[0] = Math.max(1, linesA);
  out[1] = Math.max(1, linesB);
}

/**
 * The greedy wrap both counts share: the paragraph being placed, as the characters used on its last line and its
 * lines so far. Module state rather than a closure per call: the report writer counts 200,000 cells (two states: one
 * per width of wrappedLinesPair).
 */
interface Wrap {
  used: number;
  lines: number;
}
const wrap: Wrap = { used: 0, lines: 1 };
/** The second width's paragraph, for wrappedLinesPair. */
const wrap2: Wrap = { used: 0, lines: 1 };

/** Places a word of `len` characters: on the current line, or a new one; a word longer than a line breaks inside. */
function placeWord(w: Wrap, len: number, perLine: number): void {
  if (w.used > 0 && w.used + 1 + len > perLine) {
    w.lines++;
    w.used = 0;
  }
  while (len > perLine) {
    w.lines++;
    len -= perLine;
  }
  w.used += (w.used > 0 ? 1 : 0) + len;
}

/** The lines of the paragraph just placed; the next one starts empty. */
function endParagraph(w: Wrap): number {
  const lines = w.lines;
  w.used = 0;
  w.lines = 1;
  return lines;
}

/**
 * Row height in points for a table row, so every wrapped line shows: neither Excel nor LibreOffice grows a row when
 * the file is opened (only when a cell is edited), and a row at the default height prints its text over the rows
 * below. 1.25 × the font size per line, plus the cell's top and bottom padding. Capped at Excel's 409 pt.
 */
export function rowHeightPt(
  values: readonly (string | number)[],
  widths: readonly number[],
  fontPt: number = OFFICIAL_STYLE.sizes.table,
): number {
  let lines = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== '') lines = Math.max(lines, wrappedLines(typeof v === 'string' ? v : String(v), widths[i] ?? 10));
  }
  return rowHeightForLines(lines, fontPt);
}

/** rowHeightPt of a row whose tallest cell takes `lines` lines. */
export function rowHeightForLines(lines: number, fontPt: number = OFFICIAL_STYLE.sizes.table): number {
  return Math.min(409, Math.ceil(lines * fontPt * 1.25 + 4));
}

/** The consolidated report's title, the same in the xlsx, docx, csv and Sheet outputs. */
export function consolidatedTitle(year?: number, provinceName?: string): string {
  return `Nhiệm vụ cải cách hành chính${year ? ` năm ${year}` : ''}${provinceName ? ` của tỉnh ${provinceName}` : ''}`;
}

/**
 * The optional NĐ 30/2020 cover block (Phụ lục I, mục II): the issuing body top left with the number and symbol under
 * it, the national name and motto top right with place and date, and "Nơi nhận" after the content. Off by default:
 * a report attached to a plan carries the plan's own. Unknown parts print as "…" to be filled in before signing.
 */
export interface CoverBlock {
  /** The body above the issuer ("UBND TỈNH NINH BÌNH" above "SỞ NỘI VỤ"); optional. */
  parent?: string;
  /** The issuing body ("UBND TỈNH NINH BÌNH"), printed in capitals. */
  issuer: string;
  /** Number and symbol ("20/KH-UBND"); "…" when not yet given. */
  number?: string;
  /** Place name in the date line ("Ninh Bình"). */
  place?: string;
  /** ISO date of issue; blanks when not yet signed. */
  date?: string;
  /** "Nơi nhận" lines; default "Như trên;" and "Lưu: VT.". */
  recipients?: string[];
}

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';

/** The cover block as text lines: left column, right column and the "Nơi nhận" list. */
export function coverLines(c: CoverBlock): { left: string[]; right: string[]; recipients: string[] } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(c.date ?? '');
  const date = m ? `ngày ${m[3]} tháng ${m[2]} năm ${m[1]}` : `ngày ${BLANK} tháng ${BLANK} năm ${BLANK}`;
  return {
    left: [...(c.parent ? [upperVi(c.parent)] : []), upperVi(c.issuer), `Số: ${c.number?.trim() || BLANK}`],
    right: [NATIONAL_NAME, NATIONAL_MOTTO, `${c.place?.trim() || BLANK}, ${date}`],
    recipients: c.recipients?.length ? c.recipients : ['Như trên;', 'Lưu: VT.'],
  };
}
