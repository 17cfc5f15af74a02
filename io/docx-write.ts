// Annex → Word (.docx), formatted as an official annex (Nghị định 30/2020/NĐ-CP): "Phụ lục" heading,
// title in capitals, the "(Kèm theo …)" line in italics, a table whose header row repeats on every
// page, A4 landscape, official margins, Times New Roman. Styling comes from templates/official-style.ts.
import {
  AlignmentType,
  Document,
  Header,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  BorderStyle,
  LineRuleType,
} from 'docx';
import type { Annex, Task } from '../engine/index.js';
import { agencyText } from './agency-text.js';
import type { Consolidated, ConsolidatedTask } from '../engine/index.js';
import { paragraphLines, textWidthPt, widestWordPt, wrappedLinesPt } from '../templates/text-width.js';
import {
  A4,
  OFFICIAL_STYLE,
  OPTIONAL_COLUMNS,
  attachedLineFrom,
  halfPoints,
  mmToTwip,
  upperVi,
  SOURCE_COLUMN_HEADER,
  consolidatedTitle,
  coverLines,
  type CoverBlock,
} from '../templates/official-style.js';

export interface AttachedTo {
  /** "KH", "QĐ" or a full name ("Kế hoạch"). */
  docType?: string;
  docNumber?: string;
  /** ISO date. */
  docDate?: string;
  /** "UBND tỉnh Ninh Bình". */
  issuer?: string;
}

export interface AnnexDocxOptions {
  /** Heading above the title; "Phụ lục" by default ("Phụ lục I" when there are several). */
  heading?: string;
  /** Title (written in capitals). Default: "Nhiệm vụ cải cách hành chính năm {year}[ của {agency}]". */
  title?: string;
  /** The submitting agency, used in the default title. */
  agencyName?: string;
  /** The plan this annex is attached to; defaults to the annex's own metadata. */
  attachedTo?: AttachedTo;
  /** Document properties (File → Properties). */
  creator?: string;
  /** Table text size in points (12 by default: annex tables are dense; body text stays 13). */
  tableFontSize?: number;
  /** The NĐ 30 cover block (issuer, national name, number, place and date, "Nơi nhận"); none by default. */
  cover?: CoverBlock;
}

type ColumnKey = 'number' | 'task' | 'product' | 'lead' | 'support' | 'timeline' | 'monitor' | 'agency' | 'note';

interface ColumnSpec {
  key: ColumnKey;
  header: string;
  /** Relative width (Excel characters), used when the printed widths do not fit. */
  width: number;
}

/** What a table row shows, as text: the common ground of an agency's Task and a consolidated task. */
interface DocProduct {
  text: string;
  lead: string;
  support: string;
  timeline: string;
}
interface DocTask {
  number: string;
  task: string;
  products: DocProduct[];
  lead: string;
  support: string;
  timeline: string;
  monitor: string;
  note: string;
  agency: string;
}
interface DocSection {
  numeral: string;
  title: string;
  tasks: DocTask[];
}

/** One table row's cell texts by column; `rowSpan` cells cover the rows below (vertical merge). */
interface RowSpec {
  kind: 'section' | 'task';
  cells: Partial<Record<ColumnKey, string>>;
  rowSpan?: Partial<Record<ColumnKey, number>>;
  /** Columns covered by a rowSpan cell above (the docx library emits the continuation cells). */
  covered?: Set<ColumnKey>;
}

const FONT = OFFICIAL_STYLE.font;
const runFont = { ascii: FONT, hAnsi: FONT, cs: FONT, eastAsia: FONT };

/** Page content width in twips (A4 landscape minus the left and right margins). */
const CONTENT_WIDTH = mmToTwip(A4.heightMm - OFFICIAL_STYLE.page.marginsMm.left - OFFICIAL_STYLE.page.marginsMm.right);

export { agencyText };

const productText = (p: { number?: string; text: string }) =>
  p.number && !p.text.startsWith(p.number) ? `${p.number} ${p.text}` : p.text;

function fromTask(t: Task | ConsolidatedTask, extra: Pick<DocTask, 'monitor' | 'agency'>): DocTask {
  return {
    number: t.number,
    task: t.task,
    products: t.products.map((p) => ({
      text: productText(p),
      lead: agencyText(p.lead),
      support: agencyText(p.support),
      timeline: p.timeline?.text ?? '',
    })),
    lead: agencyText(t.lead),
    support: agencyText(t.support),
    timeline: t.timeline?.text ?? '',
    note: t.note ?? '',
    ...extra,
  };
}

function fromConsolidatedTask(t: ConsolidatedTask): DocTask {
  const agencies = [t.source.agencyName, ...t.duplicates.map((d) => d.source.agencyName)];
  return fromTask(t, { monitor: '', agency: [...new Set(agencies)].join(', ') });
}

function text(s: string, size: number, opts: { bold?: boolean; italics?: boolean } = {}) {
  return new TextRun({ text: s, font: runFont, size: halfPoints(size), bold: opts.bold, italics: opts.italics });
}

/** Multi-line cell text → one paragraph per line (a Word reader joins them back with line breaks). */
function cellParagraphs(
  value: string,
  size: number,
  opts: { bold?: boolean; center?: boolean; keepNext?: boolean } = {},
) {
  return value.split('\n').map(
    (line) =>
      new Paragraph({
        children: [text(line, size, { bold: opts.bold })],
        alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
        // Single lines with no space between paragraphs: the cell's own padding separates rows. Spacing added to
        // every line of a dense report cost pages without helping anyone read it.
        spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO },
        // The paragraph mark at the table size too: at the document's 13 pt it made every empty cell, and the last
        // line of every cell, a line of 13 pt.
        run: { font: runFont, size: halfPoints(size) },
        keepNext: opts.keepNext,
      }),
  );
}

function taskRows(task: DocTask, columns: ColumnSpec[]): RowSpec[] {
  const base: Partial<Record<ColumnKey, string>> = {
    number: task.number,
    task: task.task,
    lead: task.lead,
    support: task.support,
    timeline: task.timeline,
    monitor: task.monitor,
    agency: task.agency,
    note: task.note,
  };
  if (task.products.length <= 1) {
    const p = task.products[0];
    return [
      {
        kind: 'task',
        cells: {
          ...base,
          product: p?.text ?? '',
          lead: p?.lead || base.lead,
          support: p?.support || base.support,
          timeline: p?.timeline || base.timeline,
        },
      },
    ];
  }
  // Several products: task-level cells span the product rows; product-level values get their own cells.
  const n = task.products.length;
  const perProduct = (['lead', 'support', 'timeline'] as const).filter((k) => task.products.some((p) => p[k]));
  const spanning = columns
    .map((c) => c.key)
    .filter((k) => k !== 'product' && !(perProduct as readonly string[]).includes(k));
  return task.products.map((p, i) => {
    const cells: Partial<Record<ColumnKey, string>> = { product: p.text };
    for (const k of perProduct) cells[k] = p[k] || (i === 0 ? base[k] : '');
    if (i > 0) return { kind: 'task', cells, covered: new Set(spanning) };
    const rowSpan: Partial<Record<ColumnKey, number>> = {};
    for (const k of spanning) {
      cells[k] = base[k] ?? '';
      rowSpan[k] = n;
    }
    return { kind: 'task', cells, rowSpan };
  });
}

function buildTable(columns: ColumnSpec[], rows: RowSpec[], size: number): Table {
  const widths = columnWidthsByContent(columns, rows, size);
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border };
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map(
      (c, i) =>
        new TableCell({
          children: cellParagraphs(c.header, size, { bold: true, center: true }),
          verticalAlign: VerticalAlign.CENTER,
          width: { size: widths[i], type: WidthType.DXA },
          borders,
        }),
    ),
  });
  const body = rows.map((r) => {
    if (r.kind === 'section') {
      return new TableRow({
        cantSplit: true,
        children: [
          new TableCell({
            // a section heading never ends a page: it stays with its first task
            children: cellParagraphs(r.cells.number ?? '', size, { bold: true, center: true, keepNext: true }),
            width: { size: widths[0], type: WidthType.DXA },
            borders,
          }),
          new TableCell({
            children: cellParagraphs(r.cells.task ?? '', size, { bold: true, keepNext: true }),
            columnSpan: columns.length - 1,
            width: { size: widths.slice(1).reduce((a, b) => a + b, 0), type: WidthType.DXA },
            borders,
          }),
        ],
      });
    }
    const cells: TableCell[] = [];
    columns.forEach((c, i) => {
      if (r.covered?.has(c.key)) return;
      cells.push(
        new TableCell({
          children: cellParagraphs(r.cells[c.key] ?? '', size, { center: c.key === 'number' }),
          rowSpan: r.rowSpan?.[c.key],
          width: { size: widths[i], type: WidthType.DXA },
          borders,
        }),
      );
    });
    // A long task may continue on the next page (the header row repeats there): keeping every row whole left
    // half-empty pages and nearly doubled the page count of a consolidated report.
    return new TableRow({ cantSplit: false, children: cells });
  });
  return new Table({
    rows: [header, ...body],
    columnWidths: widths,
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    margins: { ...CELL_MARGIN, marginUnitType: WidthType.DXA },
    layout: TableLayoutType.FIXED,
  });
}

/**
 * Cell padding in twips: 1 mm left and right (Word's default is 1.9 mm), none above and below: the font's own line
 * height already leaves air between a row's text and its borders.
 */
const CELL_MARGIN = { left: 57, right: 57, top: 0, bottom: 0 };
const TWIP_PER_PT = 20;
/** Steps in which width moves between columns while sizing them (twips; 1 mm). */
const STEP = 57;
/** The header row repeats on every page: one of its lines costs as much as one line on each of ~25 pages. */
const HEADER_WEIGHT = 25;
/** "STT", "Cơ quan chủ trì" and "Cơ quan phối hợp" are read as one name: their headers stay on one line. */
const ONE_LINE_HEADERS = new Set<ColumnKey>(['number', 'lead', 'support']);
/** How far (in STEPs) the sizing looks ahead in one column. */
const JUMP = 40;
/** Measured widths are taken 4 % wider and 1 pt is left for the borders: a word estimated to just fit must fit. */
const MEASURE_SLACK = 1.04;
const BORDER_TWIP = 20;
/** Task rows weighed when sizing the columns; a larger report is sampled evenly (the widths settle long before). */
const SIZING_SAMPLE = 600;

/** An even sample of whole tasks (a row with vertical spans keeps the rows it covers). */
function sample(rows: RowSpec[]): RowSpec[] {
  if (rows.length <= SIZING_SAMPLE) return rows;
  const stride = rows.length / SIZING_SAMPLE;
  const out: RowSpec[] = [];
  let next = 0;
  let taking = false;
  rows.forEach((r, i) => {
    if (!r.covered) {
      taking = i >= next;
      if (taking) next += stride;
    }
    if (taking) out.push(r);
  });
  return out;
}

/** Widths in twips, in proportion to each column's nominal width: the fallback when content cannot be weighed. */
function proportionalWidths(columns: ColumnSpec[]): number[] {
  const total = columns.reduce((n, c) => n + c.width, 0);
  return columns.map((c) => Math.floor((c.width / total) * CONTENT_WIDTH));
}

/**
 * Column widths chosen by content, so the table takes as few printed lines as it can: every column gets at least
 * its widest header word (bold) and its widest word of content (a narrower column breaks words), then the rest of
 * the page width goes, 1 mm at a time, to the column where it saves the most lines (a task row is as tall as its
 * tallest cell; a task with several products is as tall as its spanning cells or its product rows together). A few
 * passes then move 1 mm between columns wherever that still saves lines. Text is measured with the Times metrics
 * (templates/text-width.ts), so the estimate follows what Word and LibreOffice print to within a line or so.
 */
function columnWidthsByContent(columns: ColumnSpec[], rows: RowSpec[], size: number): number[] {
  const pad = CELL_MARGIN.left + CELL_MARGIN.right;
  const textPt = (twip: number) => (twip - pad - BORDER_TWIP) / TWIP_PER_PT / MEASURE_SLACK;
  // Cells of each column, by row; section rows span the table and take one line whatever the widths.
  const taskRows = sample(rows.filter((r) => r.kind === 'task'));
  const cellText = (r: RowSpec, k: ColumnKey) => (r.covered?.has(k) ? '' : (r.cells[k] ?? ''));
  // Groups of rows that print as one block: a row with vertical spans and the rows those spans cover.
  const groups: { first: number; count: number }[] = [];
  taskRows.forEach((r, i) => {
    if (r.covered && groups.length) groups[groups.length - 1].count++;
    else groups.push({ first: i, count: 1 });
  });
  const minWidth = columns.map((c) => {
    const header = ONE_LINE_HEADERS.has(c.key) ? textWidthPt(c.header, size, true) : widestWordPt(c.header, size, true);
    // a pathological word (a web address) may break rather than claim a quarter of the page
    const content = Math.min(70, Math.max(0, ...taskRows.map((r) => widestWordPt(cellText(r, c.key), size))));
    return Math.ceil(Math.max(header, content) * MEASURE_SLACK * TWIP_PER_PT) + pad + BORDER_TWIP;
  });
  if (minWidth.reduce((a, b) => a + b, 0) > CONTENT_WIDTH) return proportionalWidths(columns);

  // Each cell as paragraphs of word widths at 1 pt, measured once; lines[c] at width w (twips) per task row, cached.
  const words = columns.map((c) =>
    taskRows.map((r) =>
      cellText(r, c.key)
        .split('\n')
        .map((para) => Float64Array.from(para.split(/\s+/).filter(Boolean), (w) => textWidthPt(w, 1))),
    ),
  );
  const space = textWidthPt(' ', 1);
  const cache = columns.map(() => new Map<number, Int32Array>());
  const linesAt = (c: number, w: number): Int32Array => {
    let hit = cache[c].get(w);
    if (!hit) {
      const width = textPt(w) / size;
      hit = Int32Array.from(words[c], (paras) => {
        if (paras.length === 1 && paras[0].length === 0) return 0;
        let lines = 0;
        for (const para of paras) lines += paragraphLines(para, width, space);
        return lines;
      });
      cache[c].set(w, hit);
    }
    return hit;
  };
  const headerCache = new Map<number, number>();
  const headerLines = (c: number, w: number) => {
    const key = c * 1e6 + w;
    let n = headerCache.get(key);
    if (n === undefined) headerCache.set(key, (n = wrappedLinesPt(columns[c].header, textPt(w), size, true)));
    return n;
  };
  // spanning[g * columns + c]: column c's cell spans the rows of group g
  const spanning = Uint8Array.from({ length: groups.length * columns.length }, (_, x) => {
    const g = groups[Math.floor(x / columns.length)];
    return g.count > 1 && taskRows[g.first].rowSpan?.[columns[x % columns.length].key] ? 1 : 0;
  });
  const cols = columns.length;
  /**
   * Printed lines of the whole table (plus a hair per wrapped cell, so ties go to the width that wraps less) as a
   * function of column `vary`'s width, the others held at `widths`: what the other columns need is worked out once,
   * so trying many widths of one column costs one pass over the rows each.
   */
  const costOf = (widths: number[], vary: number): ((w: number) => number) => {
    const lines = widths.map((w, c) => (c === vary ? undefined : linesAt(c, w)));
    const rowOther = new Int32Array(taskRows.length);
    const spanOther = new Int32Array(groups.length);
    let tieOther = 0;
    let headerOther = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      for (let i = g.first; i < g.first + g.count; i++) {
        let rowMax = 1;
        for (let c = 0; c < cols; c++) {
          const l = lines[c];
          if (!l) continue;
          tieOther += l[i];
          if (spanning[gi * cols + c]) spanOther[gi] = Math.max(spanOther[gi], l[i]);
          else rowMax = Math.max(rowMax, l[i]);
        }
        rowOther[i] = rowMax;
      }
    }
    widths.forEach((w, c) => c !== vary && (headerOther = Math.max(headerOther, headerLines(c, w))));
    return (w: number) => {
      const mine = linesAt(vary, w);
      let total = 0;
      let tie = tieOther;
      for (let gi = 0; gi < groups.length; gi++) {
        const g = groups[gi];
        const spans = spanning[gi * cols + vary] === 1;
        let span = spanOther[gi];
        let stacked = 0;
        for (let i = g.first; i < g.first + g.count; i++) {
          tie += mine[i];
          if (spans) {
            span = Math.max(span, mine[i]);
            stacked += rowOther[i];
          } else stacked += Math.max(rowOther[i], mine[i]);
        }
        total += Math.max(span, stacked);
      }
      return total + HEADER_WEIGHT * Math.max(headerOther, headerLines(vary, w)) + tie * 1e-4;
    };
  };
  const cost = (widths: number[]) => costOf(widths, 0)(widths[0]);

  const widths = [...minWidth];
  let spare = CONTENT_WIDTH - widths.reduce((a, b) => a + b, 0);
  let current = cost(widths);
  // Widening one column often saves nothing until a whole word moves up a line: each round looks up to JUMP steps
  // ahead in every column and takes the widening that saves the most lines per millimetre.
  while (spare >= STEP) {
    let best = -1;
    let bestSteps = 1;
    let bestRate = 0;
    let bestCost = current;
    for (let c = 0; c < columns.length; c++) {
      const at = costOf(widths, c);
      for (let k = 1; k <= JUMP && k * STEP <= spare; k++) {
        const next = at(widths[c] + k * STEP);
        const rate = (current - next) / k;
        if (rate > bestRate + 1e-9) [best, bestSteps, bestRate, bestCost] = [c, k, rate, next];
      }
    }
    if (best < 0) break;
    widths[best] += bestSteps * STEP;
    spare -= bestSteps * STEP;
    current = bestCost;
  }
  // What saves nothing more goes to the task text, the column people read.
  const task = columns.findIndex((c) => c.key === 'task');
  widths[task >= 0 ? task : widths.indexOf(Math.max(...widths))] += spare;
  for (let pass = 0; pass < 20; pass++) {
    let moved = false;
    for (const delta of [STEP, 4 * STEP]) {
      for (let from = 0; from < columns.length; from++) {
        for (let to = 0; to < columns.length; to++) {
          if (from === to || widths[from] - delta < minWidth[from]) continue;
          widths[from] -= delta;
          widths[to] += delta;
          const k = cost(widths);
          if (k < current - 1e-9) {
            current = k;
            moved = true;
          } else {
            widths[from] += delta;
            widths[to] -= delta;
          }
        }
      }
    }
    if (!moved) break;
  }
  return widths;
}

/** The six standard columns, then optional ones only when some task fills them. */
function columnsFor(sections: DocSection[], withAgency: boolean): ColumnSpec[] {
  const cols: ColumnSpec[] = OFFICIAL_STYLE.columns.map((c) => ({
    key: c.field as ColumnKey,
    header: c.header,
    width: c.width,
  }));
  const tasks = sections.flatMap((s) => s.tasks);
  const optional = (field: 'monitor' | 'note') => OPTIONAL_COLUMNS.find((c) => c.field === field)!;
  if (tasks.some((t) => t.monitor))
    cols.push({ key: 'monitor', header: optional('monitor').header, width: optional('monitor').width });
  if (withAgency) cols.push({ key: 'agency', header: SOURCE_COLUMN_HEADER, width: 16 });
  if (tasks.some((t) => t.note.trim()))
    cols.push({ key: 'note', header: optional('note').header, width: optional('note').width });
  return cols;
}

function tableFor(sections: DocSection[], withAgency: boolean, size: number): Table {
  const columns = columnsFor(sections, withAgency);
  const rows: RowSpec[] = [];
  for (const s of sections) {
    rows.push({ kind: 'section', cells: { number: s.numeral, task: s.title } });
    for (const t of s.tasks) rows.push(...taskRows(t, columns));
  }
  return buildTable(columns, rows, size);
}

interface FrontMatter {
  heading: string;
  title: string;
  attached: string;
  cover?: CoverBlock;
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

/** The NĐ 30 cover block: issuer and number left, national name, motto and place/date right, in a borderless table. */
function coverTable(c: CoverBlock): Table {
  const lines = coverLines(c);
  const size = OFFICIAL_STYLE.sizes;
  const left = lines.left.map(
    (l, i) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          text(l, i === lines.left.length - 1 ? size.body : size.small, { bold: i === lines.left.length - 2 }),
        ],
      }),
  );
  const right = lines.right.map(
    (l, i) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: i === 2 ? { before: 120 } : undefined,
        children: [text(l, i === 0 ? size.small : size.heading, { bold: i < 2, italics: i === 2 })],
      }),
  );
  const borders = { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER };
  const widths = [Math.floor(CONTENT_WIDTH * 0.4), CONTENT_WIDTH - Math.floor(CONTENT_WIDTH * 0.4)];
  return new Table({
    columnWidths: widths,
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    borders: {
      top: NO_BORDER,
      bottom: NO_BORDER,
      left: NO_BORDER,
      right: NO_BORDER,
      insideHorizontal: NO_BORDER,
      insideVertical: NO_BORDER,
    },
    rows: [
      new TableRow({
        children: [
          new TableCell({ children: left, borders, width: { size: widths[0], type: WidthType.DXA } }),
          new TableCell({ children: right, borders, width: { size: widths[1], type: WidthType.DXA } }),
        ],
      }),
    ],
  });
}

/** "Nơi nhận:" and its list, after the table (NĐ 30: bold italic 12 pt heading, 11 pt lines). */
function recipientsParagraphs(c: CoverBlock): Paragraph[] {
  return [
    new Paragraph({
      spacing: { before: 240 },
      children: [text('Nơi nhận:', OFFICIAL_STYLE.sizes.small, { bold: true, italics: true })],
    }),
    ...coverLines(c).recipients.map((r) => new Paragraph({ children: [text(`- ${r}`, 11)] })),
  ];
}

function frontParagraphs(f: FrontMatter): Paragraph[] {
  const size = OFFICIAL_STYLE.sizes;
  const out = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [text(f.heading, size.heading, { bold: true })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 60 },
      children: [text(upperVi(f.title), size.title, { bold: true })],
    }),
  ];
  out.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [text(f.attached, size.body, { italics: true })],
    }),
  );
  return out;
}

async function pack(front: FrontMatter, table: Table, creator: string, description: string): Promise<Buffer> {
  const m = OFFICIAL_STYLE.page.marginsMm;
  const doc = new Document({
    creator,
    title: upperVi(front.title),
    description,
    styles: {
      default: {
        document: { run: { font: runFont, size: halfPoints(OFFICIAL_STYLE.sizes.body) } },
      },
    },
    sections: [
      {
        properties: {
          // NĐ 30: page numbers centred in the top margin, not on the first page
          titlePage: true,
          page: {
            size: { width: A4.widthTwip, height: A4.heightTwip, orientation: PageOrientation.LANDSCAPE },
            margin: {
              top: mmToTwip(m.top),
              bottom: mmToTwip(m.bottom),
              left: mmToTwip(m.left),
              right: mmToTwip(m.right),
              header: mmToTwip(10),
              footer: mmToTwip(10),
            },
          },
        },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    children: [PageNumber.CURRENT],
                    font: runFont,
                    size: halfPoints(OFFICIAL_STYLE.sizes.body),
                  }),
                ],
              }),
            ],
          }),
          first: new Header({ children: [new Paragraph({})] }),
        },
        children: [
          ...(front.cover ? [coverTable(front.cover), new Paragraph({})] : []),
          ...frontParagraphs(front),
          table,
          ...(front.cover ? recipientsParagraphs(front.cover) : [new Paragraph({})]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** One agency's annex as an official .docx. */
export async function writeAnnexDocx(annex: Annex, opts: AnnexDocxOptions = {}): Promise<Buffer> {
  const meta = annex.meta;
  const year = meta.planYear;
  const title =
    opts.title ??
    meta.title ??
    `Nhiệm vụ cải cách hành chính${year ? ` năm ${year}` : ''}${opts.agencyName ? ` của ${opts.agencyName}` : ''}`;
  const attached = attachedLineFrom({
    docType: opts.attachedTo?.docType ?? meta.docType,
    docNumber: opts.attachedTo?.docNumber ?? meta.docNumber,
    docDate: opts.attachedTo?.docDate ?? meta.docDate,
    issuer: opts.attachedTo?.issuer ?? meta.issuer,
  });
  const sections: DocSection[] = annex.sections.map((s) => ({
    numeral: s.numeral,
    title: s.title,
    tasks: s.tasks.map((t) => fromTask(t, { monitor: agencyText(t.monitor), agency: '' })),
  }));
  const table = tableFor(sections, false, opts.tableFontSize ?? OFFICIAL_STYLE.sizes.table);
  return pack(
    { heading: opts.heading ?? OFFICIAL_STYLE.heading, title, attached, cover: opts.cover },
    table,
    opts.creator ?? 'Phụ lục',
    title,
  );
}

/** Table text size of the consolidated report, in points. */
export const CONSOLIDATED_TABLE_PT = 10.5;

export interface ConsolidatedDocxOptions extends Omit<AnnexDocxOptions, 'agencyName'> {
  /** Province display name ("Ninh Bình") for the default title and issuer. */
  provinceName?: string;
  /** Show the "Cơ quan đăng ký" column (which agencies planned each task); on by default. */
  showAgency?: boolean;
}

/** The consolidated provincial report (engine/merge) as an official .docx annex. */
export async function writeConsolidatedDocx(c: Consolidated, opts: ConsolidatedDocxOptions = {}): Promise<Buffer> {
  const year = c.meta.planYear;
  const title = opts.title ?? consolidatedTitle(year, opts.provinceName);
  const attached = attachedLineFrom({
    ...opts.attachedTo,
    issuer: opts.attachedTo?.issuer ?? (opts.provinceName ? `UBND tỉnh ${opts.provinceName}` : undefined),
  });
  const sections: DocSection[] = c.sections.map((s) => ({
    numeral: s.numeral,
    title: s.title,
    tasks: s.tasks.map(fromConsolidatedTask),
  }));
  // The consolidated table is the densest document: 10.5 pt in single lines, with columns sized by content, keeps a
  // province's 200 tasks within 30 pages (11 pt took 34; NĐ 30 sets 13–14 pt for body text, none for tables).
  const table = tableFor(sections, opts.showAgency ?? true, opts.tableFontSize ?? CONSOLIDATED_TABLE_PT);
  return pack(
    { heading: opts.heading ?? OFFICIAL_STYLE.heading, title, attached, cover: opts.cover },
    table,
    opts.creator ?? 'Phụ lục',
    title,
  );
}
