// Word (.docx) → Grid[]: the document body in reading order, one grid row per block.
// Paragraphs outside tables become single-cell rows (metadata lines and the prose-steps layout still
// read as they do from a text file); table rows become multi-cell rows on the table's column grid.
// Consecutive tables (a table continued across pages, repeated header included) stay in one grid;
// the reader drops repeated header rows as it does for text.
//
// Merges are represented as the xlsx reader does: covered cells (w:vMerge continuations, columns
// spanned by w:gridSpan) are empty with `mergedInto` = the A1 address of the first cell, and each
// range is listed in `grid.merges`. The reader decides what a merge means (a task spanning its
// product rows, or one agency for several tasks).
import JSZip from 'jszip';
import { DOMParser } from '@xmldom/xmldom';
import type { Grid, GridCell, GridRow } from '../engine/index.js';
import { a1, toRoman } from '../engine/index.js';
import { InputError } from './errors.js';
import { checkCells, checkDocxSpan, checkMerges, checkRows } from './limits.js';

/** A w:val count ("3"); absent or not a number → the default. Huge values are left to the caps. */
function count(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : /^\s*\d+\s*$/.test(v) ? Infinity : dflt;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const REL_OFFICE_DOCUMENT = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';
const REL_NUMBERING = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering';
const REL_STYLES = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles';

// Minimal DOM surface we use (xmldom's types differ slightly from lib.dom's).
type XNode = {
  nodeType: number;
  nodeName: string;
  localName?: string | null;
  namespaceURI?: string | null;
  textContent?: string | null;
  childNodes: ArrayLike<XNode>;
  getAttributeNS?(ns: string, name: string): string | null;
  getAttribute?(name: string): string | null;
};

const isW = (n: XNode, name: string) => n.nodeType === 1 && n.namespaceURI === W && n.localName === name;
const children = (n: XNode): XNode[] => Array.from(n.childNodes).filter((c) => c.nodeType === 1);
const child = (n: XNode, name: string) => children(n).find((c) => isW(c, name));
const wAttr = (n: XNode | undefined, name: string): string | undefined => {
  if (!n) return undefined;
  const v = n.getAttributeNS?.(W, name) ?? n.getAttribute?.(`w:${name}`);
  return v == null || v === '' ? undefined : v;
};

function parseXml(xml: string, part: string, file: string): XNode {
  const errors: string[] = [];
  let doc: { documentElement: XNode | null } = { documentElement: null };
  try {
    doc = new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(xml, 'text/xml') as unknown as { documentElement: XNode | null };
  } catch (e) {
    // xmldom throws on fatal errors after reporting them
    if (!errors.length) errors.push(e instanceof Error ? e.message : String(e));
  }
  if (errors.length || !doc.documentElement) {
    throw new InputError(
      'input.unreadable',
      {
        detail: `phần ${part} của văn bản Word bị hỏng (${errors[0] ?? 'trống'})`,
        detailEn: `the Word part ${part} is damaged (${errors[0] ?? 'empty'})`,
      },
      { file, entry: part },
    );
  }
  return doc.documentElement;
}

// ---------------------------------------------------------------------------------------------
// Automatic numbering ("1.", "a)", "I." typed by Word, not present in the text runs)
// ---------------------------------------------------------------------------------------------

interface NumLevel {
  fmt: string;
  text: string;
  start: number;
}

class Numbering {
  private levels = new Map<string, NumLevel[]>(); // numId → levels
  private counters = new Map<string, number[]>(); // abstract id → counters by level
  private abstractOf = new Map<string, string>();
  private styleNum = new Map<string, { numId: string; ilvl: number }>();

  constructor(numberingXml?: XNode, stylesXml?: XNode) {
    if (numberingXml) this.load(numberingXml);
    if (stylesXml) {
      for (const s of children(stylesXml).filter((c) => isW(c, 'style'))) {
        const numPr = child(child(s, 'pPr') ?? s, 'numPr');
        const id = wAttr(s, 'styleId');
        const numId = wAttr(child(numPr ?? s, 'numId'), 'val');
        if (id && numPr && numId)
          this.styleNum.set(id, { numId, ilvl: Number(wAttr(child(numPr, 'ilvl'), 'val') ?? 0) });
      }
    }
  }

  private load(root: XNode) {
    const abstracts = new Map<string, NumLevel[]>();
    for (const a of children(root).filter((c) => isW(c, 'abstractNum'))) {
      const id = wAttr(a, 'abstractNumId') ?? '';
      abstracts.set(
        id,
        children(a)
          .filter((c) => isW(c, 'lvl'))
          .map(readLevel),
      );
    }
    for (const n of children(root).filter((c) => isW(c, 'num'))) {
      const numId = wAttr(n, 'numId') ?? '';
      const absId = wAttr(child(n, 'abstractNumId'), 'val') ?? '';
      const levels = (abstracts.get(absId) ?? []).map((l) => ({ ...l }));
      for (const o of children(n).filter((c) => isW(c, 'lvlOverride'))) {
        const i = Number(wAttr(o, 'ilvl') ?? 0);
        const lvl = child(o, 'lvl');
        if (lvl) levels[i] = readLevel(lvl);
        const start = wAttr(child(o, 'startOverride'), 'val');
        if (start !== undefined && levels[i]) levels[i].start = Number(start);
      }
      this.levels.set(numId, levels);
      // Lists sharing an abstract definition continue one count, as Word does, unless overridden.
      this.abstractOf.set(numId, children(n).some((c) => isW(c, 'lvlOverride')) ? `num:${numId}` : `abs:${absId}`);
    }
  }

  /** The label Word would show before this paragraph ("1.", "1.2.", "a)", "-"), or ''. */
  label(p: XNode): string {
    const pPr = child(p, 'pPr');
    const numPr = pPr && child(pPr, 'numPr');
    let numId = wAttr(child(numPr ?? p, 'numId'), 'val');
    let ilvl = Number(wAttr(child(numPr ?? p, 'ilvl'), 'val') ?? 0);
    if (!numPr) {
      const style = wAttr(child(pPr ?? p, 'pStyle'), 'val');
      const fromStyle = style ? this.styleNum.get(style) : undefined;
      if (!fromStyle) return '';
      numId = fromStyle.numId;
      ilvl = fromStyle.ilvl;
    }
    if (!numId || numId === '0') return '';
    const levels = this.levels.get(numId);
    const lvl = levels?.[ilvl];
    if (!levels || !lvl) return '';
    const key = this.abstractOf.get(numId) ?? numId;
    const counts = this.counters.get(key) ?? [];
    counts[ilvl] = counts[ilvl] === undefined ? lvl.start : counts[ilvl] + 1;
    counts.length = ilvl + 1; // deeper levels restart
    this.counters.set(key, counts);
    if (lvl.fmt === 'none') return '';
    if (lvl.fmt === 'bullet') return bulletText(lvl.text);
    return lvl.text.replace(/%(\d)/g, (_m, d: string) => {
      const i = Number(d) - 1;
      const l = levels[i];
      return l ? formatNumber(counts[i] ?? l.start, l.fmt) : '';
    });
  }
}

function readLevel(lvl: XNode): NumLevel {
  return {
    fmt: wAttr(child(lvl, 'numFmt'), 'val') ?? 'decimal',
    text: wAttr(child(lvl, 'lvlText'), 'val') ?? '',
    start: Number(wAttr(child(lvl, 'start'), 'val') ?? 1),
  };
}

// Symbol-font bullets are private-use characters; officers see a dash or a dot.
function bulletText(t: string): string {
  if (!t || /[\uF000-\uF0FF]/.test(t)) return '-';
  return t === '-' || t === '–' || t === '+' ? t : '•';
}

function letters(n: number): string {
  // Word repeats the letter after z: a..z, aa..zz
  const ch = String.fromCharCode(97 + ((n - 1) % 26));
  return ch.repeat(Math.floor((n - 1) / 26) + 1);
}

function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'upperRoman':
      return toRoman(n);
    case 'lowerRoman':
      return toRoman(n).toLowerCase();
    case 'upperLetter':
      return letters(n).toUpperCase();
    case 'lowerLetter':
      return letters(n);
    case 'decimalZero':
      return String(n).padStart(2, '0');
    default:
      return String(n);
  }
}

// ---------------------------------------------------------------------------------------------
// Text of paragraphs and cells
// ---------------------------------------------------------------------------------------------

/** Text of a run container: w:t, tabs and breaks; deleted text (w:del) and drawings are skipped. */
function inlineText(n: XNode, out: string[]) {
  for (const c of children(n)) {
    if (c.namespaceURI !== W) {
      // mc:AlternateContent and friends: read the fallback only, never both branches
      if (c.localName === 'AlternateContent') {
        const fb = children(c).find((x) => x.localName === 'Fallback');
        if (fb) inlineText(fb, out);
      }
      continue;
    }
    switch (c.localName) {
      case 't':
        // a literal tab inside a cell is spacing, never a cell separator
        out.push((c.textContent ?? '').replace(/\t/g, ' '));
        break;
      case 'tab':
      case 'ptab':
        out.push(' ');
        break;
      case 'br':
      case 'cr':
        // page/column breaks inside a paragraph separate nothing the officer reads as a line
        out.push(wAttr(c, 'type') === 'page' || wAttr(c, 'type') === 'column' ? ' ' : '\n');
        break;
      case 'noBreakHyphen':
        out.push('-');
        break;
      case 'sym': {
        const ch = wAttr(c, 'char');
        if (ch && !/^F0/i.test(ch)) out.push(String.fromCharCode(parseInt(ch, 16)));
        break;
      }
      case 'del':
      case 'moveFrom':
      case 'instrText':
      case 'delText':
      case 'drawing':
      case 'pict':
      case 'object':
      case 'footnoteReference':
      case 'endnoteReference':
      case 'commentReference':
      case 'rPr':
      case 'pPr':
        break;
      case 'r': {
        // hidden text (w:vanish) is not what the officer sees on screen or paper
        const vanish = child(child(c, 'rPr') ?? c, 'vanish');
        if (!vanish || ['0', 'false', 'off'].includes(wAttr(vanish, 'val') ?? '')) inlineText(c, out);
        break;
      }
      default:
        // w:hyperlink, w:ins, w:smartTag, w:fldSimple, w:sdt/w:sdtContent, w:customXml, w:moveTo …
        inlineText(c, out);
    }
  }
}

function paragraphText(p: XNode, numbering: Numbering): string {
  const out: string[] = [];
  inlineText(p, out);
  const text = out.join('');
  const label = numbering.label(p);
  return label ? `${label} ${text}` : text;
}

/** Block-level content of a body, cell, sdtContent…: paragraphs and tables in order. */
function blocks(n: XNode): XNode[] {
  const out: XNode[] = [];
  for (const c of children(n)) {
    if (isW(c, 'p') || isW(c, 'tbl')) out.push(c);
    else if (isW(c, 'sdt')) out.push(...blocks(child(c, 'sdtContent') ?? c));
    else if (isW(c, 'customXml') || isW(c, 'ins') || isW(c, 'moveTo')) out.push(...blocks(c));
  }
  return out;
}

/** A cell's text: its paragraphs joined with line breaks; a nested table contributes its rows as lines. */
function cellText(tc: XNode, numbering: Numbering): string {
  const lines: string[] = [];
  for (const b of blocks(tc)) {
    if (isW(b, 'p')) lines.push(paragraphText(b, numbering));
    else
      for (const tr of tableRows(b))
        lines.push(
          rowCells(tr)
            .map((c) => cellText(c, numbering))
            .filter((t) => t.trim())
            .join(' | '),
        );
  }
  // Word cells always end with a paragraph; trailing empty ones are layout, not content
  while (lines.length > 1 && !lines[lines.length - 1].trim()) lines.pop();
  return lines.join('\n');
}

/**
 * The `w:<tag>` children of a node, looking through content controls and the given wrappers (custom XML; for rows
 * also tracked insertions), where Word nests them.
 */
function wrappedChildren(node: XNode, tag: string, through: string[]): XNode[] {
  const found: XNode[] = [];
  const walk = (n: XNode) => {
    for (const c of children(n)) {
      if (isW(c, tag)) found.push(c);
      else if (isW(c, 'sdt')) walk(child(c, 'sdtContent') ?? c);
      else if (through.some((t) => isW(c, t))) walk(c);
    }
  };
  walk(node);
  return found;
}

const tableRows = (tbl: XNode): XNode[] => wrappedChildren(tbl, 'tr', ['customXml', 'ins']);
const rowCells = (tr: XNode): XNode[] => wrappedChildren(tr, 'tc', ['customXml']);

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

async function loadZip(bytes: Uint8Array, file: string): Promise<JSZip> {
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new InputError(
      'input.legacy-office',
      { format: 'Word 97–2003 (.doc)', formatEn: 'Word 97–2003 (.doc)' },
      { file },
    );
  }
  try {
    return await JSZip.loadAsync(bytes);
  } catch {
    throw new InputError(
      'input.unreadable',
      {
        detail: 'không phải tệp Word (.docx) hợp lệ, không mở được gói nén',
        detailEn: 'not a valid Word (.docx) file, the zip package cannot be opened',
      },
      { file },
    );
  }
}

function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

async function readRels(zip: JSZip, relsPath: string, base: string, file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const xml = await zip.file(relsPath)?.async('string');
  if (!xml) return out;
  for (const r of children(parseXml(xml, relsPath, file))) {
    const type = r.getAttribute?.('Type');
    const target = r.getAttribute?.('Target');
    if (type && target && r.getAttribute?.('TargetMode') !== 'External') out.set(type, resolvePart(base, target));
  }
  return out;
}

/**
 * Reads the body of a .docx into grids. Throws InputError (Vietnamese message naming the file, the part
 * and what to do) for files that are not readable Word documents. Callers that accept uploads should
 * go through the io dispatcher first, which checks the zip (size, bomb, truncation).
 */
export async function readDocxToGrids(bytes: Uint8Array | ArrayBuffer, fileName: string): Promise<Grid[]> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const zip = await loadZip(data, fileName);
  const rootRels = await readRels(zip, '_rels/.rels', '', fileName);
  const mainPart = rootRels.get(REL_OFFICE_DOCUMENT) ?? 'word/document.xml';
  const mainXml = await zip.file(mainPart)?.async('string');
  if (!mainXml) {
    throw new InputError('input.zip-not-office', {}, { file: fileName, entry: mainPart });
  }
  const partRels = await readRels(
    zip,
    resolvePart(mainPart, `_rels/${mainPart.split('/').pop()}.rels`),
    mainPart,
    fileName,
  );
  const optionalPart = async (type: string) => {
    const path = partRels.get(type);
    const xml = path ? await zip.file(path)?.async('string') : undefined;
    return xml ? parseXml(xml, path!, fileName) : undefined;
  };
  const numbering = new Numbering(await optionalPart(REL_NUMBERING), await optionalPart(REL_STYLES));

  const doc = parseXml(mainXml, mainPart, fileName);
  const body = child(doc, 'body');
  if (!body) {
    throw new InputError(
      'input.unreadable',
      { detail: 'văn bản Word không có phần thân (w:body)', detailEn: 'the Word document has no body (w:body)' },
      { file: fileName, entry: mainPart },
    );
  }

  const rows: GridRow[] = [];
  const merges: string[] = [];
  let hasTable = false;
  let cellCount = 0;
  const where = { file: fileName, sheet: fileName };

  const tables: { first: number; last: number }[] = [];
  const addTable = (tbl: XNode) => {
    hasTable = true;
    const first = rows.length + 1;
    // Open vertical merges by grid column: the anchor row/column and the anchor text.
    const open = new Map<number, { row: number; column: number; span: number; last: number }>();
    const closeAll = () => {
      for (const m of open.values()) {
        if (m.last > m.row || m.span > 1) merges.push(`${a1(m.row, m.column)}:${a1(m.last, m.column + m.span - 1)}`);
      }
      open.clear();
    };
    for (const tr of tableRows(tbl)) {
      const index = rows.length + 1;
      const trPr = child(tr, 'trPr');
      // Span and skip counts come from the file: bounded before any loop runs on them.
      const before = count(wAttr(child(trPr ?? tr, 'gridBefore'), 'val'), 0);
      checkDocxSpan(before, where);
      const cells: GridCell[] = [];
      for (let i = 0; i < before; i++) cells.push({ text: '' });
      const seen = new Set<number>();
      for (const tc of rowCells(tr)) {
        const tcPr = child(tc, 'tcPr');
        const span = Math.max(1, count(wAttr(child(tcPr ?? tc, 'gridSpan'), 'val'), 1));
        checkDocxSpan(cells.length + span, where);
        const vMergeEl = tcPr && child(tcPr, 'vMerge');
        const column = cells.length + 1;
        const m = open.get(column);
        if (vMergeEl && wAttr(vMergeEl, 'val') !== 'restart' && m) {
          // continuation of a vertical merge: the value applies to this row too
          m.last = index;
          seen.add(column);
          const anchor = a1(m.row, m.column);
          for (let s = 0; s < span; s++) cells.push({ text: '', mergedInto: anchor });
          continue;
        }
        if (m) {
          if (m.last > m.row || m.span > 1) merges.push(`${a1(m.row, m.column)}:${a1(m.last, m.column + m.span - 1)}`);
          open.delete(column);
        }
        const text = cellText(tc, numbering);
        cells.push({ text });
        const anchor = a1(index, column);
        for (let s = 1; s < span; s++) cells.push({ text: '', mergedInto: anchor });
        if (vMergeEl || span > 1) {
          open.set(column, { row: index, column, span, last: index });
          seen.add(column);
        }
      }
      // merges whose column has no continuation in this row end above it
      for (const [col, m] of open) {
        if (!seen.has(col)) {
          if (m.last > m.row || m.span > 1) merges.push(`${a1(m.row, m.column)}:${a1(m.last, m.column + m.span - 1)}`);
          open.delete(col);
        }
      }
      rows.push({ index, cells });
      cellCount += cells.length;
      checkRows(rows.length, where);
      checkCells(cellCount, where);
    }
    closeAll();
    if (rows.length >= first) tables.push({ first, last: rows.length });
  };

  for (const b of blocks(body)) {
    if (isW(b, 'tbl')) addTable(b);
    else {
      rows.push({ index: rows.length + 1, cells: [{ text: paragraphText(b, numbering) }] });
      checkRows(rows.length, where);
    }
  }
  if (merges.length) checkMerges(merges, where);

  if (rows.every((r) => r.cells.every((c) => !c.text.trim()))) {
    throw new InputError('input.empty', {}, { file: fileName });
  }

  const grid: Grid = { sheet: fileName, kind: hasTable ? 'sheet' : 'text', rows };
  if (merges.length) grid.merges = merges;
  if (tables.length) grid.tables = tables;
  return [grid];
}
