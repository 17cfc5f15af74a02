// The consolidated annex as an official xlsx (Nghị định 30/2020/NĐ-CP): A4 landscape, Times New Roman,
// "Phụ lục" heading, title in capitals, "(Kèm theo …)" line, header rows repeated on every printed page.
// Sheets: the annex, "Tổng hợp" (summary) and "Trùng lặp, xung đột" (duplicates, conflicts, coverage).
import {
  quarterLabel,
  type Consolidated,
  type ConsolidatedAgency,
  type ConsolidatedTask,
  type TaskRef,
  type TaskSource,
} from '../../engine/index.js';
import { escapeCellText } from '../../io/escape.js';
import {
  XlsxReportWriter,
  type XlsxCellStyle,
  type XlsxRowFit,
  type XlsxSheetWriter,
  type XlsxValue,
} from '../../io/xlsx-report-writer.js';
import {
  OFFICIAL_STYLE,
  SOURCE_COLUMN_HEADER,
  coverLines,
  type CoverBlock,
  attachedLineFrom,
  consolidatedTitle,
  formatViDate,
  rowHeightForLines,
  upperVi,
  wrappedLines,
  wrappedLinesPair,
  xlsxPageSetup,
} from '../../templates/official-style.js';

export interface ConsolidatedXlsxOptions {
  /** Province name for the title ("Ninh Bình"). */
  provinceName?: string;
  year?: number;
  /** The document the annex is attached to; unknown parts print as "…". */
  docType?: string;
  docNumber?: string;
  docDate?: string;
  issuer?: string;
  /** Overrides the whole title line. */
  title?: string;
  /** The NĐ 30 cover block above the title and "Nơi nhận" under the table; none by default. */
  cover?: CoverBlock;
}

const FONT = OFFICIAL_STYLE.font;
const THIN: XlsxCellStyle['border'] = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/** The task column's width on the annex sheet, and on the review sheet (where grouped tasks are listed again). */
const TASK_WIDTH = OFFICIAL_STYLE.columns[1].width;
const ISSUES_TASK_WIDTH = 44;

/** Annex columns: the standard six plus the source agency. */
export const CONSOLIDATED_COLUMNS = [
  ...OFFICIAL_STYLE.columns.map((c) => ({ header: c.header, width: c.width })),
  { header: SOURCE_COLUMN_HEADER, width: 26 },
];

// Shared, never-mutated style objects: the writer looks a style up by the object, so reusing them keeps
// 100 000-cell reports fast.
type Style = XlsxCellStyle;
const tableFont = (extra: XlsxCellStyle['font'] = {}): XlsxCellStyle['font'] => ({
  name: FONT,
  size: OFFICIAL_STYLE.sizes.table,
  ...extra,
});
const S = {
  text: {
    font: tableFont(),
    border: THIN,
    alignment: { vertical: 'top', horizontal: 'left', wrapText: true },
    numFmt: '@',
  },
  center: {
    font: tableFont(),
    border: THIN,
    alignment: { vertical: 'top', horizontal: 'center', wrapText: true },
    numFmt: '@',
  },
  number: { font: tableFont(), border: THIN, alignment: { vertical: 'top', horizontal: 'center' } },
  head: {
    font: tableFont({ bold: true }),
    border: THIN,
    alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
    fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } },
    numFmt: '@',
  },
  colNo: {
    font: tableFont({ italic: true, size: OFFICIAL_STYLE.sizes.small }),
    border: THIN,
    alignment: { horizontal: 'center' },
    numFmt: '@',
  },
  bold: {
    font: tableFont({ bold: true }),
    border: THIN,
    alignment: { vertical: 'top', horizontal: 'left', wrapText: true },
    numFmt: '@',
  },
  boldCenter: {
    font: tableFont({ bold: true }),
    border: THIN,
    alignment: { vertical: 'top', horizontal: 'center', wrapText: true },
    numFmt: '@',
  },
  block: { font: { name: FONT, size: OFFICIAL_STYLE.sizes.body, bold: true } },
  heading: {
    font: { name: FONT, size: OFFICIAL_STYLE.sizes.title, bold: true },
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  },
  attached: {
    font: { name: FONT, size: OFFICIAL_STYLE.sizes.body, italic: true },
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  },
} satisfies Record<string, Style>;

/** Every text that came from users goes through here before it reaches a cell. */
const cellText = (s: string | undefined) => escapeCellText(s ?? '', 'xlsx');

type Sheet = XlsxSheetWriter;

function addSheet(wb: XlsxReportWriter, name: string, widths: number[], titleRows?: string, frozen?: number): Sheet {
  return wb.addSheet(name, {
    widths,
    pageSetup: xlsxPageSetup(titleRows),
    // Page numbers at the top centre, as official documents number them.
    oddHeader: `&C&"${FONT},Regular"&12&P`,
    frozenRows: frozen,
  });
}

/** Fits of unmerged rows, by sheet and font size: one object each, not one per row. */
const plainFits = new WeakMap<Sheet, Map<number, XlsxRowFit>>();

/**
 * How a row is made tall enough for its wrapped text: at the largest font in the row, in the sheet's columns; a
 * merged span counts as one column as wide as the columns it covers. None when the sheet has no widths.
 */
function fitOf(ws: Sheet, styles: Style | Style[], merge?: [number, number]): XlsxRowFit | undefined {
  // Rows come in runs of one kind (a section's tasks, a group's members), each with one styles array.
  if (!merge && styles === lastFit.styles && ws === lastFit.ws) return lastFit.fit;
  const fit = fitFor(ws, styles, merge);
  if (!merge) {
    lastFit.ws = ws;
    lastFit.styles = styles;
    lastFit.fit = fit;
  }
  return fit;
}

const lastFit: { ws?: Sheet; styles?: Style | Style[]; fit?: XlsxRowFit } = {};

function fitFor(ws: Sheet, styles: Style | Style[], merge?: [number, number]): XlsxRowFit | undefined {
  const widths: readonly number[] = ws.options.widths;
  if (!widths.length) return undefined;
  let size: number = OFFICIAL_STYLE.sizes.table;
  if (Array.isArray(styles)) for (const st of styles) size = Math.max(size, st?.font?.size ?? size);
  else size = Math.max(size, (styles as Style | undefined)?.font?.size ?? size);
  const height = (lines: number) => rowHeightForLines(lines, size);
  if (merge) {
    const joined = [...widths];
    joined.splice(
      merge[0] - 1,
      merge[1] - merge[0] + 1,
      widths.slice(merge[0] - 1, merge[1]).reduce((a, b) => a + b, 0),
    );
    return { widths: joined, height };
  }
  let bySize = plainFits.get(ws);
  if (!bySize) plainFits.set(ws, (bySize = new Map()));
  let fit = bySize.get(size);
  if (!fit) bySize.set(size, (fit = { widths, height }));
  return fit;
}

/**
 * Appends one row; `styles` is one style per cell or one for all; `merge` joins columns merge[0]..merge[1]. A row
 * with text is as tall as its wrapped lines need (at least `height`).
 */
function put(
  ws: Sheet,
  values: XlsxValue[],
  styles: Style | Style[],
  opts: { height?: number; merge?: [number, number] } = {},
) {
  return ws.addRow(values, styles, opts.height, opts.merge, fitOf(ws, styles, opts.merge));
}

function headingRow(ws: Sheet, text: string, lastCol: number, style: Style, height?: number) {
  put(ws, [text], style, { height, merge: [1, lastCol] });
}

function blockTitle(ws: Sheet, text: string) {
  ws.addBlankRow();
  put(ws, [text], S.block);
}

// One agency (most cells) gives its name itself: the same string on every row, which the shared strings find fast.
export const agencyNames = (list: ConsolidatedAgency[]) =>
  list.length === 1 ? list[0].name : list.map((a) => a.name).join(', ');

export function timelineText(t: ConsolidatedTask): string {
  if (t.timeline.text.trim()) return t.timeline.text;
  const product = t.products.map((p) => p.timeline?.text?.trim()).filter(Boolean);
  if (product.length) return [...new Set(product)].join('\n');
  return formatViDate(t.due) ?? '';
}

export function productText(t: ConsolidatedTask): string {
  return t.products.map((p) => (p.number ? `${p.number} ${p.text}` : p.text)).join('\n');
}

export function docLine(s: Pick<TaskSource, 'docNumber' | 'docDate'>): string {
  const date = formatViDate(s.docDate);
  if (!s.docNumber && !date) return '';
  return `Số ${s.docNumber ?? '…'}${date ? ` ngày ${date}` : ''}`;
}

export function whereText(s: TaskSource): string {
  const loc = s.location;
  return loc.cell ? `${loc.sheet}!${loc.cell}` : `${loc.sheet}, dòng ${loc.row}`;
}

/** The agency that planned the task and its plan's number and date; every agency of a merged row. */
export function sourceText(t: Pick<ConsolidatedTask, 'source' | 'duplicates'>, line = agencyLine): string {
  if (!t.duplicates.length) return line(t.source);
  return [t.source, ...t.duplicates.map((d) => d.source)].map(line).join('\n');
}

/**
 * agencyLine made once per agency and plan of a report: the source column and the review sheet repeat it on each
 * of an agency's rows, and the same string each time is found in the shared strings without being read again.
 */
function agencyLines(): (s: TaskSource) => string {
  const byName = new Map<string, { s: TaskSource; line: string }>();
  return (s) => {
    const known = byName.get(s.agencyName);
    if (
      known &&
      known.s.formerAgencyName === s.formerAgencyName &&
      known.s.docNumber === s.docNumber &&
      known.s.docDate === s.docDate
    )
      return known.line;
    const line = agencyLine(s);
    byName.set(s.agencyName, { s, line });
    return line;
  };
}

export function agencyLine(s: TaskSource): string {
  const who = s.formerAgencyName ? `${s.agencyName} (trước đây: ${s.formerAgencyName})` : s.agencyName;
  const doc = docLine(s);
  return doc ? `${who} (${doc.charAt(0).toLowerCase()}${doc.slice(1)})` : who;
}

function writeAnnexSheet(
  wb: XlsxReportWriter,
  c: Consolidated,
  o: ConsolidatedXlsxOptions,
  line: (s: TaskSource) => string,
) {
  const n = CONSOLIDATED_COLUMNS.length;
  const cover = o.cover ? coverLines(o.cover) : undefined;
  // The cover block's rows (and a blank one) come before the heading: the repeated header rows move down with them.
  const shift = cover ? Math.max(cover.left.length, cover.right.length) + 1 : 0;
  const ws = addSheet(
    wb,
    'Phụ lục',
    CONSOLIDATED_COLUMNS.map((col) => col.width),
    `${5 + shift}:${6 + shift}`,
    6 + shift,
  );
  if (cover) {
    const coverStyle = (bold: boolean, italic = false): Style => ({
      font: { name: FONT, size: OFFICIAL_STYLE.sizes.small, bold, italic },
      alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    });
    for (let i = 0; i < shift - 1; i++) {
      // left: [parent], issuer (bold), "Số: …"; right: national name and motto (bold), place and date (italic)
      const left = cover.left[i] ?? '';
      const right = cover.right[i] ?? '';
      put(
        ws,
        ['', cellText(left), cellText(right)],
        [{}, coverStyle(i === cover.left.length - 2), coverStyle(i < 2, i === 2)],
        { merge: [3, n] },
      );
    }
    ws.addBlankRow();
  }
  const year = o.year ?? c.meta.planYear;
  const province = o.provinceName ?? c.meta.provinceName;
  const title = o.title ?? consolidatedTitle(year, province);
  headingRow(ws, OFFICIAL_STYLE.heading, n, S.heading);
  headingRow(ws, upperVi(title), n, S.heading, 36);
  headingRow(
    ws,
    attachedLineFrom({ docType: o.docType, docNumber: o.docNumber, docDate: o.docDate, issuer: o.issuer }),
    n,
    S.attached,
  );
  ws.addBlankRow();
  put(
    ws,
    CONSOLIDATED_COLUMNS.map((col) => col.header),
    S.head,
    { height: 32 },
  );
  put(
    ws,
    CONSOLIDATED_COLUMNS.map((_, i) => `(${i + 1})`),
    S.colNo,
  );

  const taskStyles = [S.center, S.text, S.text, S.text, S.text, S.text, S.text];
  for (const s of c.sections) {
    put(
      ws,
      [s.numeral, upperVi(cellText(s.title)), '', '', '', '', ''],
      [S.boldCenter, S.bold, S.bold, S.bold, S.bold, S.bold, S.bold],
      {
        merge: [2, n],
      },
    );
    for (const t of s.tasks) {
      const values = [
        t.number,
        cellText(t.task),
        cellText(productText(t)),
        cellText(agencyNames(t.lead)),
        cellText(agencyNames(t.support)),
        cellText(timelineText(t)),
        cellText(sourceText(t, line)),
      ];
      put(ws, values, taskStyles);
    }
  }
  if (cover) {
    ws.addBlankRow();
    put(
      ws,
      ['', 'Nơi nhận:'],
      [{}, { font: { name: FONT, size: OFFICIAL_STYLE.sizes.small, bold: true, italic: true } }],
    );
    for (const r of cover.recipients) put(ws, ['', cellText(`- ${r}`)], [{}, { font: { name: FONT, size: 11 } }]);
  }
}

function writeSummarySheet(wb: XlsxReportWriter, c: Consolidated) {
  const ws = addSheet(wb, 'Tổng hợp', [6, 48, 24, 12, 14, 12, 14]);
  headingRow(ws, 'TỔNG HỢP NHIỆM VỤ', 7, S.heading);
  const s = c.summary;
  const row3 = [S.number, S.text, S.number];

  blockTitle(ws, '1. Số nhiệm vụ theo lĩnh vực cải cách');
  put(ws, ['STT', 'Lĩnh vực', 'Số nhiệm vụ'], S.head);
  s.byArea.forEach((a, i) => put(ws, [i + 1, cellText(a.title), a.tasks], row3));
  put(ws, ['', 'Tổng cộng', c.stats.tasks], [S.bold, S.bold, S.boldCenter]);

  blockTitle(ws, '2. Số nhiệm vụ theo cơ quan xây dựng');
  put(ws, ['STT', 'Cơ quan', 'Văn bản', 'Phiên bản', 'Nhiệm vụ đã nộp', 'Giữ lại', 'Gộp do trùng'], S.head);
  const agencyStyles = [S.number, S.text, S.text, S.number, S.number, S.number, S.number];
  s.byAgency.forEach((a, i) =>
    put(
      ws,
      [i + 1, cellText(a.agencyName), cellText(docLine(a)), a.version, a.submitted, a.kept, a.merged],
      agencyStyles,
    ),
  );

  blockTitle(ws, '3. Số nhiệm vụ theo quý (theo thời hạn hoàn thành)');
  put(ws, ['STT', 'Thời hạn', 'Số nhiệm vụ'], S.head);
  let i = 0;
  for (const q of s.byQuarter) put(ws, [++i, quarterLabel(q.quarter, q.year), q.tasks], row3);
  put(ws, [++i, 'Thường xuyên, định kỳ', s.recurring], row3);
  put(ws, [++i, 'Theo điều kiện (sau khi có văn bản, hướng dẫn)', s.conditional], row3);
  put(ws, [++i, 'Chưa xác định thời hạn', s.undated], row3);

  blockTitle(ws, `4. Nhiệm vụ quá hạn${c.meta.today ? ` (tính đến ngày ${formatViDate(c.meta.today)})` : ''}`);
  put(ws, ['STT', 'Nhiệm vụ', SOURCE_COLUMN_HEADER, 'Số TT', 'Thời hạn'], S.head);
  if (!s.overdue.length) put(ws, ['', 'Không có nhiệm vụ quá hạn', '', '', ''], S.text);
  const overdueStyles = [S.number, S.text, S.text, S.center, S.center];
  s.overdue.forEach((o, k) =>
    put(
      ws,
      [k + 1, cellText(o.task), cellText(o.source.agencyName), o.number, formatViDate(o.due) ?? o.due],
      overdueStyles,
    ),
  );
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function writeIssuesSheet(wb: XlsxReportWriter, c: Consolidated, line: (s: TaskSource) => string) {
  const refText = (r: TaskRef) => line(r.source);
  const ws = addSheet(wb, 'Trùng lặp, xung đột', [6, ISSUES_TASK_WIDTH, 26, 44, 26, 14]);
  headingRow(ws, 'NHIỆM VỤ TRÙNG LẶP, XUNG ĐỘT VÀ CHƯA ĐƯỢC TRIỂN KHAI', 6, S.heading);

  const pending = c.candidates.filter((g) => !g.decision);
  blockTitle(
    ws,
    `1. Nhóm nhiệm vụ tương tự chưa xem xét (${pending.length}): mỗi nhiệm vụ vẫn là một dòng của phụ lục`,
  );
  put(ws, ['Nhóm', 'Nhiệm vụ', 'Cơ quan', 'Số TT trong phụ lục', 'Từ khác nhau', 'Độ tương đồng'], S.head);
  const groupStyles = [S.center, S.text, S.text, S.center, S.text, S.center];
  pending.forEach((g, i) => {
    const sim =
      g.minSimilarity === g.maxSimilarity ? pct(g.minSimilarity) : `${pct(g.minSimilarity)}–${pct(g.maxSimilarity)}`;
    for (const m of g.members)
      put(ws, [i + 1, cellText(m.task), cellText(refText(m)), m.at, cellText(m.differs.join(' ')), sim], groupStyles);
  });
  if (!pending.length) put(ws, ['', 'Không có nhóm nào cần xem xét', '', '', '', ''], S.text);

  blockTitle(ws, `2. Nhiệm vụ đã gộp theo quyết định của người duyệt (${c.stats.duplicatesMerged})`);
  put(ws, ['STT', 'Dòng của phụ lục', 'Cơ quan', 'Nhiệm vụ đã gộp vào', 'Cơ quan', 'Độ tương đồng'], S.head);
  const dupStyles = [S.number, S.text, S.text, S.text, S.text, S.center];
  let k = 0;
  for (const g of c.duplicates) {
    const kept = cellText(`${g.kept.sectionNumeral}.${g.kept.number}. ${g.kept.task}`);
    const keptBy = cellText(refText(g.kept));
    for (const m of g.merged)
      put(ws, [++k, kept, keptBy, cellText(m.task), cellText(refText(m)), pct(m.similarity)], dupStyles);
  }
  if (!k) put(ws, ['', 'Chưa gộp nhiệm vụ nào', '', '', '', ''], S.text);

  blockTitle(ws, `3. Xung đột cơ quan chủ trì (${c.conflicts.length})`);
  put(ws, ['STT', 'Nhiệm vụ', 'Cơ quan nhận chủ trì', 'Nguồn'], S.head);
  const conflictStyles = [S.number, S.text, S.text, S.text];
  c.conflicts.forEach((x, i) => {
    const who = x.claims
      .map((cl) => (cl.by === 'plan' ? `${cl.agencyName} (theo kế hoạch tỉnh)` : cl.agencyName))
      .join('\n');
    const where = x.claims
      .filter((cl) => cl.task)
      .map((cl) => refText(cl.task!))
      .join('\n');
    put(ws, [i + 1, cellText(x.task), cellText(who), cellText(where)], conflictStyles);
  });
  if (!c.conflicts.length) put(ws, ['', 'Không có xung đột', '', ''], S.text);

  if (c.coverage) {
    blockTitle(
      ws,
      `4. Nhiệm vụ của kế hoạch tỉnh chưa có cơ quan nào triển khai (${c.coverage.uncovered.length}/${c.coverage.planTasks})`,
    );
    put(ws, ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì (kế hoạch)', 'Mục'], S.head);
    c.coverage.uncovered.forEach((p, i) =>
      put(
        ws,
        [i + 1, cellText(`${p.number}. ${p.task}`), cellText(agencyNames(p.lead)), cellText(p.sectionTitle)],
        conflictStyles,
      ),
    );
    if (!c.coverage.uncovered.length) put(ws, ['', 'Mọi nhiệm vụ đều đã có cơ quan triển khai', '', ''], S.text);
  }
}

/** Writes the consolidated report workbook (rows are serialised as they are added). */
export async function writeConsolidatedXlsx(c: Consolidated, options: ConsolidatedXlsxOptions = {}): Promise<Buffer> {
  // Cells without a style (the blank first cell of a cover row) are in the official font too.
  const wb = new XlsxReportWriter({
    creator: 'Phụ lục',
    defaultFont: { name: FONT, size: OFFICIAL_STYLE.sizes.table },
    wrappedLines,
    // The review sheet lists the annex's task texts again (ISSUES_TASK_WIDTH): each is counted at both widths at once.
    pairedWidths: { widths: [TASK_WIDTH, ISSUES_TASK_WIDTH], count: wrappedLinesPair },
  });
  const line = agencyLines();
  try {
    writeAnnexSheet(wb, c, options, line);
    writeSummarySheet(wb, c);
    writeIssuesSheet(wb, c, line);
  } finally {
    // The last fit must not keep this workbook's sheet alive.
    lastFit.ws = lastFit.styles = lastFit.fit = undefined;
  }
  return wb.toBuffer();
}
