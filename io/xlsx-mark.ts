// The marked copy: the officer's own xlsx with the problems shown in it, for hosts that cannot run the add-in
// (Excel 2016/2019 perpetual, WPS Office, LibreOffice). It edits the package parts, not a workbook model:
// - every part we do not need is copied byte for byte (sheets, shared strings, themes, drawings, print setup);
// - a worksheet with issues gets conditional-format rules (our tagged formula, as the add-ins write) appended
//   after its cells, so cell styles are never rewritten, and a legacy drawing for the notes when it has none;
// - styles.xml gets appended entries only (dxfs for the marks, fonts/fills/xfs for the "Kiểm tra" sheet);
// - notes go into the sheet's comments part (an officer's own note keeps its text, ours is added after it);
// - one new sheet, "Kiểm tra", lists every issue with a link to its cell.
// exceljs would read and rewrite the whole workbook, which drops what it does not model (docs/ADDIN.md has
// the measurement), so it is not used here.
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { Diagnostic, Severity } from '../engine/index.js';
import { a1, compactAreas, parseA1 } from '../engine/index.js';
import { MARK_COLORS, MARK_TAG, SEVERITIES, markCell, planMarks } from '../clients/marks.js';
import { rowHeightPt } from '../templates/official-style.js';
import { InputError } from './errors.js';
import { resolvePart } from './xlsx-read.js';

export const CHECK_SHEET = 'Kiểm tra';
const NOTE_AUTHOR = 'Phụ lục';

const NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  pkgRel: 'http://schemas.openxmlformats.org/package/2006/relationships',
};
const REL_TYPE = {
  worksheet: `${NS.rel}/worksheet`,
  comments: `${NS.rel}/comments`,
  vml: `${NS.rel}/vmlDrawing`,
  styles: `${NS.rel}/styles`,
  officeDocument: `${NS.rel}/officeDocument`,
};
const CONTENT_TYPE = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vml: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
  styles: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
};

/** Top-level children of <worksheet> after <sheetData>, in the order the schema requires. */
const SHEET_ORDER = [
  'sheetCalcPr',
  'sheetProtection',
  'protectedRanges',
  'scenarios',
  'autoFilter',
  'sortState',
  'dataConsolidate',
  'customSheetViews',
  'mergeCells',
  'phoneticPr',
  'conditionalFormatting',
  'dataValidations',
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
  'legacyDrawing',
  'legacyDrawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];

export const SEVERITY_VI: Record<Severity, string> = { error: 'Lỗi', warning: 'Cảnh báo', info: 'Thông tin' };

export interface MarkResult {
  bytes: Uint8Array;
  /** Cells that got a note, per sheet. */
  notes: number;
  /** Issues listed on the "Kiểm tra" sheet (all of them). */
  issues: number;
  /** Name the check sheet got (another if the workbook already has a "Kiểm tra"). */
  checkSheet: string;
}

// ---------------------------------------------------------------------------------------------
// XML text helpers (the parts we touch are small, except sheet XML, where we only search after sheetData)
// ---------------------------------------------------------------------------------------------

/** Text for XML content and attributes; characters XML cannot hold become OOXML's _xHHHH_ form. */
export function xmlText(s: string): string {
  return s
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(/[^\t\n\r\x20-\uFFFD]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(ENTITY, (_w, hex?: string, dec?: string, name?: string) =>
    name ? NAMED[name] : String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec)),
  );

function attrsOf(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1], decode(m[2] ?? m[3] ?? ''));
  return out;
}

const attrEnding = (a: Map<string, string>, suffix: string) => {
  for (const [k, v] of a) if (k === suffix || k.endsWith(`:${suffix}`)) return v;
  return undefined;
};

/** Start tags of an element (any prefix), with attributes. */
function startTags(
  xml: string,
  name: string,
): { at: number; end: number; attrs: Map<string, string>; selfClosing: boolean }[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])([^>]*?)(/?)>`, 'g');
  return [...xml.matchAll(re)].map((m) => ({
    at: m.index,
    end: m.index + m[0].length,
    attrs: attrsOf(m[1]),
    selfClosing: m[2] === '/',
  }));
}

/** The namespace prefix ("x:" or "") of a part's root element. */
function rootPrefix(xml: string, root: string): string {
  const m = new RegExp(`<([\\w.-]+:)?${root}[\\s>]`).exec(xml);
  return m?.[1] ?? '';
}

/** Target of `part` as written in a relationship of `from` (relative to from's folder). */
function relativeTarget(from: string, part: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const to = part.split('/');
  let i = 0;
  while (i < fromDir.length && i < to.length - 1 && fromDir[i] === to[i]) i++;
  return [...fromDir.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

const relsPathOf = (part: string) => {
  const slash = part.lastIndexOf('/');
  return part === '' ? '_rels/.rels' : `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};

// ---------------------------------------------------------------------------------------------
// The package: parts by name (case-insensitive, as OPC says), edited in place
// ---------------------------------------------------------------------------------------------

class Package {
  private names = new Map<string, string>();
  constructor(readonly files: Record<string, Uint8Array>) {
    for (const n of Object.keys(files)) this.names.set(n.toLowerCase(), n);
  }
  private key(part: string): string | undefined {
    return this.names.get(part.replace(/^\//, '').toLowerCase());
  }
  has(part: string): boolean {
    return this.key(part) !== undefined;
  }
  text(part: string): string | undefined {
    const k = this.key(part);
    return k === undefined ? undefined : new TextDecoder().decode(this.files[k]);
  }
  write(part: string, text: string): void {
    const k = this.key(part) ?? part;
    this.names.set(part.toLowerCase(), k);
    this.files[k] = new TextEncoder().encode(text);
  }
  /** A part name not yet used: prefix + first free number + suffix. */
  freeName(prefix: string, suffix: string): string {
    for (let i = 1; ; i++) if (!this.has(`${prefix}${i}${suffix}`)) return `${prefix}${i}${suffix}`;
  }
  rels(part: string): { id: string; type: string; target: string; external: boolean }[] {
    const xml = this.text(relsPathOf(part));
    if (!xml) return [];
    return startTags(xml, 'Relationship').map((t) => ({
      id: t.attrs.get('Id') ?? '',
      type: t.attrs.get('Type') ?? '',
      external: t.attrs.get('TargetMode') === 'External',
      target:
        t.attrs.get('TargetMode') === 'External'
          ? (t.attrs.get('Target') ?? '')
          : resolvePart(part, t.attrs.get('Target') ?? ''),
    }));
  }
  /** Adds a relationship from `part` to `target`; returns its id. */
  addRel(part: string, type: string, target: string): string {
    const path = relsPathOf(part);
    const xml =
      this.text(path) ??
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}"></Relationships>`;
    const used = new Set(startTags(xml, 'Relationship').map((t) => t.attrs.get('Id')));
    let id = 'rIdPhuluc1';
    for (let i = 2; used.has(id); i++) id = `rIdPhuluc${i}`;
    const rel = `<Relationship Id="${id}" Type="${type}" Target="${xmlText(relativeTarget(part, target))}"/>`;
    this.write(path, insertBeforeClose(xml, 'Relationships', rel));
    return id;
  }
  contentType(part: string, type: string): void {
    const xml = this.text('[Content_Types].xml') ?? '';
    const name = `/${part}`;
    if (startTags(xml, 'Override').some((t) => t.attrs.get('PartName')?.toLowerCase() === name.toLowerCase())) return;
    this.write(
      '[Content_Types].xml',
      insertBeforeClose(xml, 'Types', `<Override PartName="${xmlText(name)}" ContentType="${type}"/>`),
    );
  }
  defaultType(ext: string, type: string): void {
    const xml = this.text('[Content_Types].xml') ?? '';
    if (startTags(xml, 'Default').some((t) => t.attrs.get('Extension')?.toLowerCase() === ext)) return;
    this.write(
      '[Content_Types].xml',
      insertBeforeClose(xml, 'Types', `<Default Extension="${ext}" ContentType="${type}"/>`),
    );
  }
}

/** Inserts `content` before the closing tag of the root element `root` (turning a self-closed root into a pair). */
function insertBeforeClose(xml: string, root: string, content: string): string {
  const close = new RegExp(`</([\\w.-]+:)?${root}>\\s*$`).exec(xml);
  if (close) return xml.slice(0, close.index) + content + xml.slice(close.index);
  const self = new RegExp(`<([\\w.-]+:)?${root}(\\s[^>]*)?/>`).exec(xml);
  if (!self) throw new Error(`no <${root}> element`);
  const p = self[1] ?? '';
  return (
    xml.slice(0, self.index) +
    `<${p}${root}${self[2] ?? ''}>${content}</${p}${root}>` +
    xml.slice(self.index + self[0].length)
  );
}

/**
 * Appends children to a list element of styles.xml (<fonts>, <fills>, <cellXfs>, <dxfs>), creating it after
 * `after` when absent, and fixes its count. Returns the index of the first appended child.
 */
function appendStyleList(
  xml: string,
  p: string,
  list: string,
  child: string,
  items: string[],
  after: string[],
): { xml: string; first: number } {
  const open = new RegExp(`<${p}${list}(?=[\\s/>])([^>]*?)(/?)>`).exec(xml);
  const body = items.join('');
  if (!open) {
    // Insert after the last present predecessor in schema order (or right after the root's start tag).
    let at = -1;
    for (const name of after) {
      const close = new RegExp(`</${p}${name}>|<${p}${name}(?=[\\s/>])[^>]*/>`).exec(xml);
      if (close) at = close.index + close[0].length;
    }
    if (at < 0)
      at =
        new RegExp(`<${p}styleSheet[^>]*>`).exec(xml)!.index + new RegExp(`<${p}styleSheet[^>]*>`).exec(xml)![0].length;
    return {
      xml: xml.slice(0, at) + `<${p}${list} count="${items.length}">${body}</${p}${list}>` + xml.slice(at),
      first: 0,
    };
  }
  if (open[2] === '/') {
    const tag = `<${p}${list}${open[1].replace(/\s*count="[^"]*"/, '')} count="${items.length}">${body}</${p}${list}>`;
    return { xml: xml.slice(0, open.index) + tag + xml.slice(open.index + open[0].length), first: 0 };
  }
  const closeTag = `</${p}${list}>`;
  const closeAt = xml.indexOf(closeTag, open.index);
  const inner = xml.slice(open.index + open[0].length, closeAt);
  const existing = (inner.match(new RegExp(`<${p}${child}(?=[\\s/>])`, 'g')) ?? []).length;
  const attrs = /\bcount="/.test(open[1])
    ? open[1].replace(/\bcount="[^"]*"/, `count="${existing + items.length}"`)
    : `${open[1]} count="${existing + items.length}"`;
  const rebuilt = `<${p}${list}${attrs}>` + inner + body + closeTag;
  return { xml: xml.slice(0, open.index) + rebuilt + xml.slice(closeAt + closeTag.length), first: existing };
}

const argb = (hex: string) => `FF${hex.replace('#', '').toUpperCase()}`;

interface Styles {
  /** dxf index per severity, for the conditional formats. */
  dxf: Record<Severity, number>;
  /** Cell formats of the check sheet (0 when the workbook has no styles part we can extend). */
  xf: { title: number; header: number; text: number; link: number; severity: Record<Severity, number>; line: number };
}

function extendStyles(pkg: Package, workbookPart: string): Styles {
  let part = pkg.rels(workbookPart).find((r) => r.type === REL_TYPE.styles)?.target;
  if (!part || !pkg.has(part)) {
    part = 'xl/styles.xml';
    pkg.write(
      part,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${NS.main}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`,
    );
    pkg.addRel(workbookPart, REL_TYPE.styles, part);
    pkg.contentType(part, CONTENT_TYPE.styles);
  }
  let xml = pkg.text(part)!;
  const p = rootPrefix(xml, 'styleSheet');
  const fill = (hex: string) =>
    `<${p}fill><${p}patternFill patternType="solid"><${p}fgColor rgb="${argb(hex)}"/><${p}bgColor rgb="${argb(hex)}"/></${p}patternFill></${p}fill>`;

  // Differential formats for the marks: Excel takes a dxf's solid fill from bgColor, LibreOffice from fgColor.
  const dxfs = appendStyleList(
    xml,
    p,
    'dxfs',
    'dxf',
    SEVERITIES.map((s) => `<${p}dxf>${fill(MARK_COLORS[s])}</${p}dxf>`),
    ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles'],
  );
  xml = dxfs.xml;
  const font = (extra: string, size = 12) =>
    `<${p}font>${extra}<${p}sz val="${size}"/><${p}name val="Times New Roman"/></${p}font>`;
  const fonts = appendStyleList(
    xml,
    p,
    'fonts',
    'font',
    [font(''), font(`<${p}b/>`), font(`<${p}u/><${p}color rgb="FF0563C1"/>`), font(`<${p}b/>`, 14)],
    ['numFmts'],
  );
  xml = fonts.xml;
  const fills = appendStyleList(
    xml,
    p,
    'fills',
    'fill',
    SEVERITIES.map((s) => fill(MARK_COLORS[s])),
    ['numFmts', 'fonts'],
  );
  xml = fills.xml;
  const [plain, bold, link, title] = [0, 1, 2, 3].map((i) => fonts.first + i);
  const xf = (fontId: number, fillId = 0, wrap = true) =>
    `<${p}xf numFmtId="0" fontId="${fontId}" fillId="${fillId}" borderId="0" xfId="0" applyFont="1"${fillId ? ' applyFill="1"' : ''} applyAlignment="1"><${p}alignment vertical="top"${wrap ? ' wrapText="1"' : ''}/></${p}xf>`;
  const cellXfs = [
    xf(title, 0, false),
    xf(bold),
    xf(plain),
    xf(link),
    ...SEVERITIES.map((_s, i) => xf(plain, fills.first + i)),
    xf(plain, 0, false),
  ];
  const xfs = appendStyleList(xml, p, 'cellXfs', 'xf', cellXfs, [
    'numFmts',
    'fonts',
    'fills',
    'borders',
    'cellStyleXfs',
  ]);
  pkg.write(part, xfs.xml);
  const f = xfs.first;
  return {
    dxf: { error: dxfs.first, warning: dxfs.first + 1, info: dxfs.first + 2 },
    xf: {
      title: f,
      header: f + 1,
      text: f + 2,
      link: f + 3,
      severity: { error: f + 4, warning: f + 5, info: f + 6 },
      line: f + 7,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A worksheet: conditional formats and notes
// ---------------------------------------------------------------------------------------------

/** Top-level children of <worksheet> after <sheetData>: name and start offset (depth-tracked, so nested look-alikes are skipped). */
function childrenAfterSheetData(xml: string, p: string): { name: string; at: number }[] {
  const closeData = xml.lastIndexOf(`</${p}sheetData>`);
  const selfData = closeData < 0 ? new RegExp(`<${p}sheetData\\s*/>`).exec(xml) : null;
  const from =
    closeData >= 0 ? closeData + `</${p}sheetData>`.length : selfData ? selfData.index + selfData[0].length : -1;
  if (from < 0) throw new Error('no sheetData');
  const out: { name: string; at: number }[] = [];
  let depth = 0;
  const re = /<(!--[\s\S]*?--|\?[\s\S]*?\?|!\[CDATA\[[\s\S]*?\]\])>|<(\/?)([\w.:-]+)[^>]*?(\/?)>/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    if (m[1]) continue;
    if (m[2] === '/') {
      if (depth === 0) break; // </worksheet>
      depth--;
      continue;
    }
    if (depth === 0) out.push({ name: m[3].replace(/^[\w.-]+:/, ''), at: m.index });
    if (m[4] !== '/') depth++;
  }
  return out;
}

/** Inserts an element among the worksheet's children at its schema position. */
function insertSheetChild(xml: string, p: string, name: string, element: string): string {
  const rank = (n: string) => {
    const i = SHEET_ORDER.indexOf(n);
    return i < 0 ? SHEET_ORDER.indexOf('oleObjects') : i; // mc:AlternateContent wraps controls and OLE objects
  };
  const next = childrenAfterSheetData(xml, p).find((c) => rank(c.name) > rank(name));
  const at = next ? next.at : new RegExp(`</${p}worksheet>\\s*$`).exec(xml)!.index;
  return xml.slice(0, at) + element + xml.slice(at);
}

/** Declares the relationships namespace on the root element when the sheet does not (returns the prefix to use). */
function relPrefix(xml: string, p: string): { xml: string; r: string } {
  const m = new RegExp(`xmlns:([\\w.-]+)="${NS.rel.replace(/[./]/g, '\\$&')}"`).exec(xml);
  if (m) return { xml, r: m[1] };
  const root = new RegExp(`<${p}worksheet(?=[\\s>])`).exec(xml)!;
  const at = root.index + root[0].length;
  return { xml: xml.slice(0, at) + ` xmlns:phuluc_r="${NS.rel}"` + xml.slice(at), r: 'phuluc_r' };
}

const noteRun = (text: string, p: string) =>
  `<${p}r><${p}rPr><${p}sz val="9"/><${p}rFont val="Tahoma"/></${p}rPr><${p}t xml:space="preserve">${xmlText(text)}</${p}t></${p}r>`;

/** A note's box: to the right of its cell, five columns wide and seven rows high (VML anchors are 0-based). */
function noteShape(id: number, cell: { row: number; column: number }): string {
  const r = cell.row - 1;
  const c = cell.column - 1;
  const anchor = [c + 1, 15, Math.max(0, r - 1), 10, c + 6, 15, Math.max(0, r - 1) + 7, 4].join(', ');
  return (
    `<v:shape id="_x0000_s${id}" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:300pt;height:110pt;z-index:${id};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">` +
    `<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>` +
    `<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>` +
    `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${anchor}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>${r}</x:Row><x:Column>${c}</x:Column></x:ClientData></v:shape>`
  );
}

const SHAPETYPE =
  '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>';

/** Drawing-id blocks (o:idmap) already used by VML parts: a new VML part takes the next free block. */
function usedIdBlocks(pkg: Package): Set<number> {
  const used = new Set<number>();
  for (const name of Object.keys(pkg.files)) {
    if (!/\.vml$/i.test(name)) continue;
    for (const t of startTags(pkg.text(name)!, 'idmap'))
      for (const n of (attrEnding(t.attrs, 'data') ?? '').split(',')) if (n.trim()) used.add(Number(n));
  }
  return used;
}

interface SheetEdit {
  part: string;
  name: string;
  notes: Map<string, string>;
  cells: Record<Severity, string[]>;
}

function markSheet(pkg: Package, edit: SheetEdit, styles: Styles): number {
  let xml = pkg.text(edit.part)!;
  const p = rootPrefix(xml, 'worksheet');

  // Colours: one rule per severity over all its cells, after any rules of the officer's (priorities follow theirs).
  const priorities = startTags(xml, 'cfRule').map((t) => Number(t.attrs.get('priority')) || 0);
  let priority = Math.max(0, ...priorities);
  for (const severity of SEVERITIES) {
    const cells = edit.cells[severity];
    if (!cells.length) continue;
    const formula = `N("${MARK_TAG}:${severity}")=0`;
    const block =
      `<${p}conditionalFormatting sqref="${cells.join(' ')}"><${p}cfRule type="expression" dxfId="${styles.dxf[severity]}" priority="${++priority}">` +
      `<${p}formula>${xmlText(formula)}</${p}formula></${p}cfRule></${p}conditionalFormatting>`;
    xml = insertSheetChild(xml, p, 'conditionalFormatting', block);
  }

  // Notes: the sheet's comments part (created when absent) and the VML drawing Excel needs to show them.
  let notes = 0;
  if (edit.notes.size) {
    const rels = pkg.rels(edit.part);
    let commentsPart = rels.find((r) => r.type === REL_TYPE.comments && !r.external)?.target;
    let vmlPart = rels.find((r) => r.type === REL_TYPE.vml && !r.external)?.target;
    if (vmlPart && !pkg.has(vmlPart)) vmlPart = undefined;
    if (!commentsPart || !pkg.has(commentsPart)) {
      commentsPart = pkg.freeName('xl/comments', '.xml');
      pkg.write(
        commentsPart,
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="${NS.main}"><authors></authors><commentList></commentList></comments>`,
      );
      pkg.addRel(edit.part, REL_TYPE.comments, commentsPart);
      pkg.contentType(commentsPart, CONTENT_TYPE.comments);
    }
    let comments = pkg.text(commentsPart)!;
    const cp = rootPrefix(comments, 'comments');
    const authors = startTags(comments, 'author').length;
    comments = insertBeforeCloseOf(comments, `${cp}authors`, `<${cp}author>${xmlText(NOTE_AUTHOR)}</${cp}author>`);
    const ours = authors;
    const existing = new Map<string, { at: number; end: number }>();
    for (const m of comments.matchAll(new RegExp(`<${cp}comment(?=[\\s>])[^>]*>[\\s\\S]*?</${cp}comment>`, 'g'))) {
      const ref = attrsOf(/^<[^>]*>/.exec(m[0])![0])
        .get('ref')
        ?.toUpperCase();
      if (ref) existing.set(ref, { at: m.index, end: m.index + m[0].length });
    }
    // An officer's note on a problem cell keeps its text; ours follows it in the same note (one note per cell).
    const appended: { at: number; end: number; text: string }[] = [];
    const added: string[] = [];
    const newShapes: { row: number; column: number }[] = [];
    for (const [cell, text] of edit.notes) {
      const old = existing.get(cell);
      if (old) {
        const body = comments.slice(old.at, old.end);
        appended.push({ ...old, text: withOurRun(body, cp, text) });
      } else {
        added.push(
          `<${cp}comment ref="${cell}" authorId="${ours}"><${cp}text>${noteRun(text, cp)}</${cp}text></${cp}comment>`,
        );
        newShapes.push(parseA1(cell)!);
      }
      notes++;
    }
    for (const a of appended.sort((x, y) => y.at - x.at))
      comments = comments.slice(0, a.at) + a.text + comments.slice(a.end);
    comments = insertBeforeCloseOf(comments, `${cp}commentList`, added.join(''));
    pkg.write(commentsPart, comments);

    if (newShapes.length) {
      let vml: string;
      let shapeBase: number;
      if (vmlPart) {
        vml = pkg.text(vmlPart)!;
        const ids = [...vml.matchAll(/_x0000_s(\d+)/g)].map((m) => Number(m[1]));
        shapeBase = Math.max(1024, ...ids) + 1;
        if (!vml.includes('id="_x0000_t202"')) vml = vml.replace(/<\/xml>\s*$/, SHAPETYPE + '</xml>');
      } else {
        const used = usedIdBlocks(pkg);
        let block = 1;
        while (used.has(block)) block++;
        shapeBase = block * 1024 + 1;
        vml =
          `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">` +
          `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${block}"/></o:shapelayout>${SHAPETYPE}</xml>`;
        vmlPart = pkg.freeName('xl/drawings/vmlDrawing', '.vml');
        const id = pkg.addRel(edit.part, REL_TYPE.vml, vmlPart);
        pkg.defaultType('vml', CONTENT_TYPE.vml);
        const decl = relPrefix(xml, p);
        xml = insertSheetChild(decl.xml, p, 'legacyDrawing', `<${p}legacyDrawing ${decl.r}:id="${id}"/>`);
      }
      const shapes = newShapes.map((cell, i) => noteShape(shapeBase + i, cell)).join('');
      vml = vml.replace(/<\/xml>\s*$/, shapes + '</xml>');
      pkg.write(vmlPart, vml);
    }
  }
  pkg.write(edit.part, xml);
  return notes;
}

function insertBeforeCloseOf(xml: string, qualified: string, content: string): string {
  const close = `</${qualified}>`;
  const at = xml.indexOf(close);
  if (at >= 0) return xml.slice(0, at) + content + xml.slice(at);
  const self = new RegExp(`<${qualified}(\\s[^>]*)?/>`).exec(xml);
  if (!self) throw new Error(`no <${qualified}>`);
  return (
    xml.slice(0, self.index) +
    `<${qualified}${self[1] ?? ''}>${content}</${qualified}>` +
    xml.slice(self.index + self[0].length)
  );
}

/** An officer's comment with our text added as one more run (their text, plain or in runs, kept as it was). */
function withOurRun(comment: string, p: string, text: string): string {
  const ours = noteRun(`\n\n${text}`, p);
  const textClose = comment.lastIndexOf(`</${p}text>`);
  if (textClose < 0) return comment;
  const open = new RegExp(`<${p}text(\\s[^>]*)?>`).exec(comment)!;
  const inner = comment.slice(open.index + open[0].length, textClose);
  // <text><t>…</t></text>: the plain text moves into a run of its own, byte for byte, so both can sit side by side.
  const plain = new RegExp(`^(\\s*)(<${p}t(?:\\s[^>]*)?>[\\s\\S]*?</${p}t>|<${p}t(?:\\s[^>]*)?/>)([\\s\\S]*)$`).exec(
    inner,
  );
  const body =
    plain && !new RegExp(`<${p}r[\\s>]`).test(inner) ? `${plain[1]}<${p}r>${plain[2]}</${p}r>${plain[3]}` : inner;
  return comment.slice(0, open.index + open[0].length) + body + ours + comment.slice(textClose);
}

// ---------------------------------------------------------------------------------------------
// The "Kiểm tra" sheet
// ---------------------------------------------------------------------------------------------

const quoteSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

function inlineCell(ref: string, text: string, style: number): string {
  if (!text) return style ? `<c r="${ref}" s="${style}"/>` : '';
  return `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is><t xml:space="preserve">${xmlText(text)}</t></is></c>`;
}

/** Sort order of the list: workbook sheet order, then row, then column. */
function issueOrder(sheets: string[]) {
  return (x: Diagnostic, y: Diagnostic) =>
    sheets.indexOf(x.location.sheet) - sheets.indexOf(y.location.sheet) ||
    x.location.row - y.location.row ||
    (x.location.column ?? 0) - (y.location.column ?? 0);
}

const WIDTHS = [6, 22, 9, 11, 60, 50, 24];

function checkSheetXml(
  issues: Diagnostic[],
  anchorOf: (d: Diagnostic) => string | undefined,
  sheetNames: Map<string, string>,
  styles: Styles,
  title: string,
): string {
  const counts = SEVERITIES.map(
    (s) => `${issues.filter((d) => d.severity === s).length} ${SEVERITY_VI[s].toLowerCase()}`,
  ).join(', ');
  const rows: string[] = [];
  const links: string[] = [];
  const row = (n: number, cells: string[], ht?: number) =>
    rows.push(`<row r="${n}"${ht ? ` ht="${ht}" customHeight="1"` : ''}>${cells.join('')}</row>`);
  row(1, [inlineCell('A1', title, styles.xf.title)], 22);
  row(2, [
    inlineCell(
      'A2',
      issues.length
        ? `Có ${issues.length} vấn đề: ${counts}. Bấm vào địa chỉ ô để đến ô đó; ô có vấn đề được tô màu và có ghi chú.`
        : 'Không phát hiện vấn đề nào.',
      styles.xf.line,
    ),
  ]);
  const header = ['STT', 'Trang tính', 'Ô', 'Mức', 'Nội dung', 'Cách sửa', 'Mã'];
  row(
    4,
    header.map((h, i) => inlineCell(a1(4, i + 1), h, styles.xf.header)),
  );
  issues.forEach((d, i) => {
    const r = 5 + i;
    const anchor = anchorOf(d);
    const sheet = sheetNames.get(d.location.sheet) ?? d.location.sheet;
    const where = anchor ?? (d.location.row ? `dòng ${d.location.row}` : '');
    const texts = [
      String(i + 1),
      sheet,
      where,
      SEVERITY_VI[d.severity],
      d.message,
      d.hint ?? d.fix?.label ?? '',
      d.code,
    ];
    if (anchor)
      links.push(
        `<hyperlink ref="C${r}" location="${xmlText(`${quoteSheet(sheet)}!${anchor}`)}" display="${xmlText(anchor)}"/>`,
      );
    // Heights from the wrapped text: LibreOffice and WPS do not grow rows of a file on opening.
    row(
      r,
      [
        `<c r="A${r}" s="${styles.xf.text}"><v>${i + 1}</v></c>`,
        inlineCell(`B${r}`, sheet, styles.xf.text),
        inlineCell(`C${r}`, where, anchor ? styles.xf.link : styles.xf.text),
        inlineCell(`D${r}`, SEVERITY_VI[d.severity], styles.xf.severity[d.severity]),
        inlineCell(`E${r}`, texts[4], styles.xf.text),
        inlineCell(`F${r}`, texts[5], styles.xf.text),
        inlineCell(`G${r}`, d.code, styles.xf.text),
      ],
      rowHeightPt(texts, WIDTHS, 12),
    );
  });
  const cols = WIDTHS.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  const last = Math.max(4, 4 + issues.length);
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}">` +
    `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:G${last}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>${rows.join('')}</sheetData>` +
    (issues.length ? `<autoFilter ref="A4:G${last}"/>` : '') +
    (links.length ? `<hyperlinks>${links.join('')}</hyperlinks>` : '') +
    `<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>` +
    `<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>`
  );
}

// ---------------------------------------------------------------------------------------------
// The whole copy
// ---------------------------------------------------------------------------------------------

/** The cell an issue points at in the copy: its own cell, else the first cell of its row. */
export function anchorCell(d: Diagnostic): string | undefined {
  return markCell(d) ?? (d.location.row > 0 && !d.location.line ? a1(d.location.row, 1) : undefined);
}

export interface MarkOptions {
  /** Title line of the check sheet. */
  title?: string;
  fileName?: string;
}

/**
 * The officer's xlsx with `diagnostics` marked in it (see the file comment). The input must be an xlsx that the
 * reader has already accepted (its size and zip checks done); issues on sheets it does not have are listed only.
 */
export function markXlsx(bytes: Uint8Array, diagnostics: readonly Diagnostic[], options: MarkOptions = {}): MarkResult {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new InputError(
      'input.unreadable',
      { detail: String((e as Error).message), detailEn: String((e as Error).message) },
      { file: options.fileName ?? 'tệp' },
    );
  }
  const pkg = new Package(files);
  const workbookPart = pkg.rels('').find((r) => r.type === REL_TYPE.officeDocument)?.target ?? 'xl/workbook.xml';
  let workbook = pkg.text(workbookPart);
  if (!workbook)
    throw new InputError(
      'input.unreadable',
      { detail: 'thiếu phần xl/workbook.xml', detailEn: 'xl/workbook.xml is missing' },
      { file: options.fileName ?? 'tệp' },
    );
  const relById = new Map(pkg.rels(workbookPart).map((r) => [r.id, r]));
  const sheets = startTags(workbook, 'sheet').map((t) => {
    const rel = relById.get(attrEnding(t.attrs, 'id') ?? '');
    return {
      name: t.attrs.get('name') ?? '',
      sheetId: Number(t.attrs.get('sheetId')) || 0,
      part: rel && rel.type === REL_TYPE.worksheet ? rel.target : undefined,
    };
  });

  const styles = extendStyles(pkg, workbookPart);
  // Diagnostics name sheets as the reader did (the workbook's names); compare case-insensitively like Excel.
  const byName = new Map(sheets.map((s) => [s.name.toLowerCase(), s]));
  const sheetNames = new Map<string, string>();
  for (const d of diagnostics) {
    const s = byName.get(d.location.sheet.toLowerCase());
    if (s) sheetNames.set(d.location.sheet, s.name);
  }
  let notes = 0;
  const marked = new Set<string>();
  for (const [diagName, realName] of sheetNames) {
    const sheet = byName.get(realName.toLowerCase())!;
    if (!sheet.part || !pkg.has(sheet.part) || marked.has(sheet.part)) continue;
    marked.add(sheet.part);
    const plan = planMarks(diagnostics, diagName, anchorCell);
    const areas = Object.fromEntries(SEVERITIES.map((s) => [s, compactAreas(plan.cells[s])])) as Record<
      Severity,
      string[]
    >;
    notes += markSheet(pkg, { part: sheet.part, name: realName, notes: plan.notes, cells: areas }, styles);
  }

  // The check sheet, appended last so defined names' sheet indices (localSheetId) stay right.
  const taken = new Set(sheets.map((s) => s.name.toLowerCase()));
  let checkSheet = CHECK_SHEET;
  for (let i = 2; taken.has(checkSheet.toLowerCase()); i++) checkSheet = `${CHECK_SHEET} (${i})`;
  const order = sheets.map((s) => s.name.toLowerCase());
  const issues = [...diagnostics].sort(
    issueOrder(
      diagnostics
        .map((d) => d.location.sheet)
        .filter((n, i, a) => a.indexOf(n) === i)
        .sort((x, y) => order.indexOf(x.toLowerCase()) - order.indexOf(y.toLowerCase())),
    ),
  );
  const part = pkg.freeName('xl/worksheets/sheet', '.xml');
  const anchorIn = (d: Diagnostic) => (sheetNames.has(d.location.sheet) ? anchorCell(d) : undefined);
  pkg.write(part, checkSheetXml(issues, anchorIn, sheetNames, styles, options.title ?? 'Kết quả kiểm tra phụ lục'));
  pkg.contentType(part, CONTENT_TYPE.worksheet);
  const rId = pkg.addRel(workbookPart, REL_TYPE.worksheet, part);
  const wp = rootPrefix(workbook, 'workbook');
  const decl = /xmlns:([\w.-]+)="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships"/.exec(
    workbook,
  );
  let r = decl?.[1];
  if (!r) {
    r = 'phuluc_r';
    workbook = workbook.replace(new RegExp(`<${wp}workbook(?=[\\s>])`), `$& xmlns:phuluc_r="${NS.rel}"`);
  }
  const sheetId = Math.max(0, ...sheets.map((s) => s.sheetId)) + 1;
  workbook = insertBeforeCloseOf(
    workbook,
    `${wp}sheets`,
    `<${wp}sheet name="${xmlText(checkSheet)}" sheetId="${sheetId}" ${r}:id="${rId}"/>`,
  );
  pkg.write(workbookPart, workbook);

  return { bytes: zipSync(pkg.files as Zippable, { level: 6 }), notes, issues: issues.length, checkSheet };
}
