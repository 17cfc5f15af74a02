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
} from 'docx';
import type { Annex, Task } from '../engine/index.js';
import { agencyText } from './agency-text.js';
import type { Consolidated, ConsolidatedTask } from '../engine/index.js';
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

function fromTask(t: Task): DocTask {
  return {
    number: t.number,
    task: t.task,
    products: t.products.map((p) => ({ text: productText(p), lead: agencyText(p.lead), support: agencyText(p.support), timeline: p.timeline?.text ?? '' })),
    lead: agencyText(t.lead),
    support: agencyText(t.support),
    timeline: t.timeline?.text ?? '',
    monitor: agencyText(t.monitor),
    note: t.note ?? '',
    agency: '',
  };
}

function fromConsolidatedTask(t: ConsolidatedTask): DocTask {
  const agencies = [t.source.agencyName, ...t.duplicates.map((d) => d.source.agencyName)];
  return {
    number: t.number,
    task: t.task,
    products: t.products.map((p) => ({ text: productText(p), lead: agencyText(p.lead), support: agencyText(p.support), timeline: p.timeline?.text ?? '' })),
    lead: agencyText(t.lead),
    support: agencyText(t.support),
    timeline: t.timeline?.text ?? '',
    monitor: '',
    note: t.note ?? '',
    agency: [...new Set(agencies)].join(', '),
  };
}

function text(s: string, size: number, opts: { bold?: boolean; italics?: boolean } = {}) {
  return new TextRun({ text: s, font: runFont, size: halfPoints(size), bold: opts.bold, italics: opts.italics });
}

/** Multi-line cell text → one paragraph per line (a Word reader joins them back with line breaks). */
function cellParagraphs(value: string, size: number, opts: { bold?: boolean; center?: boolean; keepNext?: boolean } = {}) {
  return value.split('\n').map(
    (line) =>
      new Paragraph({
        children: [text(line, size, { bold: opts.bold })],
        alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
        // 1 pt above and below each line (with the cell's own margins) keeps a dense report readable and short.
        spacing: { before: 20, after: 20 },
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
        cells: { ...base, product: p?.text ?? '', lead: p?.lead || base.lead, support: p?.support || base.support, timeline: p?.timeline || base.timeline },
      },
    ];
  }
  // Several products: task-level cells span the product rows; product-level values get their own cells.
  const n = task.products.length;
  const perProduct = (['lead', 'support', 'timeline'] as const).filter((k) => task.products.some((p) => p[k]));
  const spanning = columns.map((c) => c.key).filter((k) => k !== 'product' && !(perProduct as readonly string[]).includes(k));
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
  const widths = columnWidthsTwip(columns);
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
    layout: TableLayoutType.FIXED,
  });
}

/**
 * Printed widths: columns with short values get what their bold header needs on one or two lines
 * (millimetres, measured at 12 pt); Nhiệm vụ and Sản phẩm share the rest. With many columns and
 * too little left, everything shrinks in proportion.
 */
const PRINT_MM: Partial<Record<ColumnKey, number>> = {
  // "STT", "Cơ quan chủ trì" and "Cơ quan phối hợp" stay on one line in bold 12 pt: narrower, they break mid-name.
  number: 12,
  lead: 36,
  support: 38,
  timeline: 24,
  monitor: 30,
  agency: 26,
  note: 20,
};
const FLEX: Partial<Record<ColumnKey, number>> = { task: 55, product: 45 };

function columnWidthsTwip(columns: ColumnSpec[]): number[] {
  const totalMm = A4.heightMm - OFFICIAL_STYLE.page.marginsMm.left - OFFICIAL_STYLE.page.marginsMm.right;
  const fixed = columns.reduce((n, c) => n + (PRINT_MM[c.key] ?? 0), 0);
  const flexWeight = columns.reduce((n, c) => n + (FLEX[c.key] ?? 0), 0);
  const rest = totalMm - fixed;
  const mm =
    rest >= 80 && flexWeight > 0
      ? columns.map((c) => PRINT_MM[c.key] ?? ((FLEX[c.key] ?? 0) / flexWeight) * rest)
      : columns.map((c) => (c.width / columns.reduce((n, x) => n + x.width, 0)) * totalMm);
  return mm.map((w) => Math.floor(mmToTwip(w)));
}

/** The six standard columns, then optional ones only when some task fills them. */
function columnsFor(sections: DocSection[], withAgency: boolean): ColumnSpec[] {
  const cols: ColumnSpec[] = OFFICIAL_STYLE.columns.map((c) => ({ key: c.field as ColumnKey, header: c.header, width: c.width }));
  const tasks = sections.flatMap((s) => s.tasks);
  const optional = (field: 'monitor' | 'note') => OPTIONAL_COLUMNS.find((c) => c.field === field)!;
  if (tasks.some((t) => t.monitor)) cols.push({ key: 'monitor', header: optional('monitor').header, width: optional('monitor').width });
  if (withAgency) cols.push({ key: 'agency', header: SOURCE_COLUMN_HEADER, width: 16 });
  if (tasks.some((t) => t.note.trim())) cols.push({ key: 'note', header: optional('note').header, width: optional('note').width });
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
}

function frontParagraphs(f: FrontMatter): Paragraph[] {
  const size = OFFICIAL_STYLE.sizes;
  const out = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: [text(f.heading, size.heading, { bold: true })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 60 }, children: [text(upperVi(f.title), size.title, { bold: true })] }),
  ];
  out.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [text(f.attached, size.body, { italics: true })] }),
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
                children: [new TextRun({ children: [PageNumber.CURRENT], font: runFont, size: halfPoints(OFFICIAL_STYLE.sizes.body) })],
              }),
            ],
          }),
          first: new Header({ children: [new Paragraph({})] }),
        },
        children: [...frontParagraphs(front), table, new Paragraph({})],
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
  const sections: DocSection[] = annex.sections.map((s) => ({ numeral: s.numeral, title: s.title, tasks: s.tasks.map(fromTask) }));
  const table = tableFor(sections, false, opts.tableFontSize ?? OFFICIAL_STYLE.sizes.table);
  return pack({ heading: opts.heading ?? OFFICIAL_STYLE.heading, title, attached }, table, opts.creator ?? 'Phụ lục', title);
}

export interface ConsolidatedDocxOptions extends Omit<AnnexDocxOptions, 'agencyName'> {
  /** Province display name ("Ninh Bình") for the default title and issuer. */
  provinceName?: string;
  /** Show the "Cơ quan đăng ký" column (which agencies planned each task); on by default. */
  showAgency?: boolean;
}

/** The consolidated provincial report (engine/merge) as an official .docx annex. */
export async function writeConsolidatedDocx(c: Consolidated, opts: ConsolidatedDocxOptions = {}): Promise<Buffer> {
  const year = c.meta.planYear;
  const title =
    opts.title ?? consolidatedTitle(year, opts.provinceName);
  const attached = attachedLineFrom({
    ...opts.attachedTo,
    issuer: opts.attachedTo?.issuer ?? (opts.provinceName ? `UBND tỉnh ${opts.provinceName}` : undefined),
  });
  const sections: DocSection[] = c.sections.map((s) => ({ numeral: s.numeral, title: s.title, tasks: s.tasks.map(fromConsolidatedTask) }));
  // The consolidated table is the densest document: 10.5 pt (NĐ 30 allows smaller type in tables) keeps a province's
  // 200 tasks within 30 pages.
  const table = tableFor(sections, opts.showAgency ?? true, opts.tableFontSize ?? OFFICIAL_STYLE.sizes.table - 1.5);
  return pack({ heading: opts.heading ?? OFFICIAL_STYLE.heading, title, attached }, table, opts.creator ?? 'Phụ lục', title);
}
