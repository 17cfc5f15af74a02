// The annex template (.xlsx) generated from code: the table layout officers fill in, with the reform-area
// sections pre-filled, agency dropdowns from the province's directory at a chosen date, an instructions
// sheet and official print setup. The layout itself (templates/layout.ts, re-exported here) is plain data,
// so the Excel add-in can insert the template into an open sheet without a file.
import ExcelJS from 'exceljs';
import type { AgencyEntry } from '../engine/index.js';
import { defaultDirectory, provinces } from '../data/index.js';
import { resolveProvince } from '../data/provinces.js';
import { setDefaultXlsxFont } from './xlsx-default-font.js';
import { OFFICIAL_STYLE, formatViDate, mmToInch, upperVi, xlsxPageSetup } from './official-style.js';
import { SHEETS, templateLayout, type TemplateLayout } from './layout.js';
import { fillError, type ErrorCode } from '../contracts/errors.js';

export * from './layout.js';

export interface BuildTemplateOptions {
  /** Directory id of the province ("ninh-binh"). */
  province: string;
  year: number;
  /** ISO date at which the agency directory is taken (default 1 January of the year). */
  date?: string;
  optionalColumns?: boolean;
  taskRowsPerSection?: number;
}

/** A template request that cannot be served: unknown province, bad year or date. `message` is Vietnamese. */
/** A template that cannot be made as asked; texts from the one error catalogue. */
export class TemplateError extends Error {
  readonly messageEn: string;
  readonly hint?: string;
  constructor(
    readonly code: Extract<ErrorCode, `template.${string}`>,
    params: Record<string, unknown>,
  ) {
    const text = fillError(code, params);
    super(text.message);
    this.name = 'TemplateError';
    this.messageEn = text.messageEn;
    this.hint = text.hint;
  }
}

/** Agencies for the dropdowns: single agencies first (directory order), then groups ("Các sở, ban, ngành"). */
export function templateAgencies(typed: string, date: string): { entries: AgencyEntry[]; provinceName: string } {
  // A directory id keeps its own period (a merged province's id is refused after the merger, with its successor);
  // a name as people type it ("khanh hoa", "TP HCM") resolves to the province of that date in the national list,
  // whose standard departments (common file) serve where the province has no file of its own.
  const national = provinces.some((p) => p.id === typed) ? undefined : resolveProvince(typed, date);
  const province = national?.id ?? typed;
  const info = provinces.find((p) => p.id === province) ?? national;
  if (!info) {
    const known = provinces.filter((p) => !p.validTo || p.validTo >= date).map((p) => p.id);
    throw new TemplateError('template.unknown-province', {
      province,
      known: known.join(', ') || '(chưa có)',
      knownEn: known.join(', ') || '(none)',
    });
  }
  let all = defaultDirectory().agencies(province, date);
  // A province typed by name that existed at the date but whose own file covers another period (Ninh Bình before
  // the 2025 merger) gets the standard department names of the common file.
  if (national && !national.successor && !all.some((a) => a.kind !== 'group'))
    all = defaultDirectory().agencies('', date);
  // shared groups ("Các sở, ban, ngành") exist at any date; a province without own agencies is not in operation
  if (!all.some((a) => a.kind !== 'group')) {
    const vi = formatViDate(date);
    const succ =
      info.successor && info.successor.since <= date ? provinces.find((p) => p.id === info.successor!.id) : undefined;
    throw succ
      ? new TemplateError('template.province-merged', {
          province: info.name,
          successor: succ.name,
          successorId: succ.id,
          since: formatViDate(info.successor!.since),
          sinceEn: info.successor!.since,
        })
      : new TemplateError('template.no-agencies', {
          province: info.name,
          date: vi,
          dateEn: date,
          from: info.validFrom ? ` (danh mục có từ ngày ${formatViDate(info.validFrom)})` : '',
          fromEn: info.validFrom ? ` (it starts on ${info.validFrom})` : '',
        });
  }
  const entries = [...all.filter((a) => a.kind !== 'group'), ...all.filter((a) => a.kind === 'group')];
  return { entries, provinceName: info.name };
}

function checkOptions(o: BuildTemplateOptions): string {
  if (!Number.isInteger(o.year) || o.year < 2000 || o.year > 2100) {
    throw new TemplateError('template.bad-year', { year: o.year });
  }
  const date = o.date ?? `${o.year}-01-01`;
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(Date.parse(date)) ||
    new Date(date).toISOString().slice(0, 10) !== date
  ) {
    throw new TemplateError('template.bad-date', { date, year: o.year });
  }
  return date;
}

const FONT = OFFICIAL_STYLE.font;
const SIZE = OFFICIAL_STYLE.sizes.body;
const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const box = { top: thin, left: thin, bottom: thin, right: thin };

// exceljs has worksheet.dataValidations at runtime but not in its typings.
type WithValidations = { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } };

/** Builds the annex template workbook for a province, year and directory date. */
export async function buildAnnexTemplate(opts: BuildTemplateOptions): Promise<Buffer> {
  const date = checkOptions(opts);
  const { entries, provinceName } = templateAgencies(opts.province, date);
  const layout = templateLayout({
    year: opts.year,
    optionalColumns: opts.optionalColumns,
    taskRowsPerSection: opts.taskRowsPerSection,
  });
  const cols = layout.columns;
  const last = cols.length;

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Phụ lục';
  wb.title = `Mẫu phụ lục nhiệm vụ CCHC năm ${opts.year} – ${provinceName}`;
  wb.subject = `Danh mục cơ quan tại ngày ${date}`;
  wb.created = new Date(`${date}T00:00:00Z`);
  wb.modified = wb.created;

  // --- the annex sheet ------------------------------------------------------------------------
  const ws = wb.addWorksheet(SHEETS.annex, {
    views: [
      {
        state: 'frozen',
        xSplit: 0,
        ySplit: layout.headerRow,
        topLeftCell: `A${layout.firstDataRow}`,
        activeCell: `B${layout.firstDataRow + 1}`,
      },
    ],
    pageSetup: xlsxPageSetup(`${layout.headerRow}:${layout.headerRow}`),
    headerFooter: {
      // NĐ 30: page number centred at the top, not on the first page
      differentFirst: true,
      oddHeader: `&C&"${FONT},Regular"&${SIZE}&P`,
      firstHeader: '',
    },
  });
  cols.forEach((c) => {
    const col = ws.getColumn(c.index);
    col.width = c.width;
    col.font = { name: FONT, size: SIZE };
    col.alignment = { vertical: 'top', wrapText: true, horizontal: c.field === 'number' ? 'center' : 'left' };
    // text format: "1.1" must not become a number, "30/6" must not become a date
    if (c.field !== 'number') col.numFmt = '@';
  });

  for (const t of layout.titleRows) {
    ws.mergeCells(t.row, 1, t.row, last);
    const cell = ws.getCell(t.row, 1);
    cell.value = t.text;
    cell.font = {
      name: FONT,
      size: t.role === 'attached' ? SIZE : OFFICIAL_STYLE.sizes.title,
      bold: t.role !== 'attached',
      italic: t.role === 'attached',
    };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  ws.getRow(layout.titleRows.length + 1).height = 8;

  const header = ws.getRow(layout.headerRow);
  cols.forEach((c) => {
    const cell = header.getCell(c.index);
    cell.value = c.header;
    cell.font = { name: FONT, size: SIZE, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = box;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
  });
  header.height = 54; // three lines of 13 pt: "Theo dõi, kiểm tra, đôn đốc" wraps in a narrow column

  const sectionRows = new Set(layout.sections.map((s) => s.row));
  for (let r = layout.firstDataRow; r <= layout.lastDataRow; r++) {
    const row = ws.getRow(r);
    for (const c of cols) row.getCell(c.index).border = box;
    if (sectionRows.has(r)) {
      const s = layout.sections.find((x) => x.row === r)!;
      row.getCell(1).value = s.numeral;
      row.getCell(2).value = s.title;
      for (const c of cols) row.getCell(c.index).font = { name: FONT, size: SIZE, bold: true };
      // the title runs on over the empty cells to its right instead of wrapping in a clipped row
      row.getCell(2).alignment = { vertical: 'top', wrapText: false };
      row.getCell(1).alignment = { vertical: 'top', horizontal: 'center' };
    }
  }

  // --- instructions, then the lists ------------------------------------------------------------
  addGuide(wb, { year: opts.year, provinceName, date, layout, agencyCount: entries.length });

  // --- dropdown lists on a hidden sheet (lists over 255 characters must be referenced by range) ----
  const lists = wb.addWorksheet(SHEETS.lists, { state: 'hidden' });
  lists.columns = [
    { header: 'Danh sách cơ quan', key: 'name', width: 60 },
    { header: 'Danh sách lĩnh vực', key: 'area', width: 60 },
    { header: 'Mã cơ quan', key: 'id', width: 30 },
    { header: 'Loại', key: 'kind', width: 12 },
  ];
  entries.forEach((a, i) => {
    const row = lists.getRow(i + 2);
    row.getCell(1).value = a.name;
    row.getCell(3).value = a.id;
    row.getCell(4).value = a.kind === 'group' ? 'nhóm' : 'cơ quan';
  });
  layout.sections.forEach((s, i) => (lists.getRow(i + 2).getCell(2).value = s.title));
  lists.getRow(1).font = { name: FONT, size: SIZE, bold: true };
  const agencyRange = `'${SHEETS.lists}'!$A$2:$A$${entries.length + 1}`;
  const areaRange = `'${SHEETS.lists}'!$B$2:$B$${layout.sections.length + 1}`;

  const dv = (ws as unknown as WithValidations).dataValidations;
  const from = layout.firstDataRow;
  const to = layout.validationLastRow;
  for (const c of cols) {
    const range = `${c.letter}${from}:${c.letter}${to}`;
    if (c.list === 'agencies') {
      const single = c.field === 'lead';
      dv.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [agencyRange],
        showInputMessage: true,
        promptTitle: c.header,
        prompt: single
          ? 'Chọn một cơ quan chủ trì trong danh sách (theo danh mục cơ quan hiện hành).'
          : 'Chọn trong danh sách; nhiều cơ quan thì ghi cách nhau bằng dấu phẩy.',
        // lead: warn but allow; support lists several names, so only inform
        showErrorMessage: true,
        errorStyle: single ? 'warning' : 'information',
        errorTitle: 'Cơ quan ngoài danh mục',
        error: single
          ? 'Tên cơ quan không có trong danh mục. Nên chọn trong danh sách; bấm Có (Yes) để vẫn giữ.'
          : 'Tên này không có trong danh mục (nếu là nhiều cơ quan, cách nhau bằng dấu phẩy thì vẫn được).',
      });
    } else if (c.field === 'timeline') {
      dv.add(range, {
        type: 'textLength',
        operator: 'lessThanOrEqual',
        allowBlank: true,
        formulae: [255],
        showInputMessage: true,
        promptTitle: 'Thời gian thực hiện',
        prompt: `Ví dụ: "Quý II/${opts.year}", "Tháng 6/${opts.year}", "Trước 30/6/${opts.year}", "Năm ${opts.year}", "Thường xuyên".`,
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: 'Thời gian quá dài',
        error:
          'Thời gian thực hiện chỉ ghi ngắn gọn (tối đa 255 ký tự); nội dung khác ghi vào cột Nhiệm vụ hoặc Ghi chú.',
      });
    }
  }
  for (const s of layout.sections) {
    dv.add(`B${s.row}`, {
      type: 'list',
      allowBlank: false,
      formulae: [areaRange],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: 'Lĩnh vực cải cách',
      error: 'Tên mục nên là một lĩnh vực cải cách theo Nghị quyết 76/NQ-CP (chọn trong danh sách).',
    });
  }

  // the annex sheet opens first
  wb.views = [{ activeTab: 0, firstSheet: 0, visibility: 'visible', x: 0, y: 0, width: 28800, height: 16000 }];

  const out = await wb.xlsx.writeBuffer();
  return setDefaultXlsxFont(new Uint8Array(out as ArrayBuffer));
}

function addGuide(
  wb: ExcelJS.Workbook,
  o: { year: number; provinceName: string; date: string; layout: TemplateLayout; agencyCount: number },
) {
  const g = wb.addWorksheet(SHEETS.guide, {
    pageSetup: {
      paperSize: 9,
      // landscape like the annex, so the whole workbook prints as one set
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: {
        top: mmToInch(20),
        bottom: mmToInch(20),
        left: mmToInch(30),
        right: mmToInch(15),
        header: mmToInch(10),
        footer: mmToInch(10),
      },
    },
  });
  g.getColumn(1).width = 22;
  g.getColumn(2).width = 80;
  for (const n of [1, 2]) {
    g.getColumn(n).font = { name: FONT, size: SIZE };
    g.getColumn(n).alignment = { vertical: 'top', wrapText: true };
  }
  const y = o.year;
  const dd = o.date.split('-').reverse().join('/');
  const lines: [string, string][] = [
    [
      'Mục đích',
      `Mẫu phụ lục nhiệm vụ cải cách hành chính năm ${y} của các cơ quan, đơn vị, địa phương thuộc tỉnh ${o.provinceName}. Điền trên trang tính "${SHEETS.annex}", giữ nguyên dòng tiêu đề bảng (dòng ${o.layout.headerRow}).`,
    ],
    [
      'Mục lĩnh vực (I, II, …)',
      'Các mục đã có sẵn theo 7 lĩnh vực của Nghị quyết 76/NQ-CP. Ghi nhiệm vụ vào các dòng trống dưới đúng mục; thêm dòng bằng cách chèn dòng (Insert) trong mục. Mục không có nhiệm vụ thì để trống, không xóa dòng tiêu đề mục.',
    ],
    ['STT', 'Số thứ tự 1, 2, 3… liên tục trong từng mục. Dòng sản phẩm bổ sung của cùng nhiệm vụ thì để trống ô STT.'],
    ['Nhiệm vụ', 'Nội dung công việc cụ thể, ngắn gọn. Không gộp ô (Merge) giữa các dòng.'],
    [
      'Sản phẩm',
      'Kết quả cụ thể: văn bản, báo cáo, hệ thống… Nhiệm vụ có nhiều sản phẩm thì ghi mỗi sản phẩm một dòng ngay dưới nhiệm vụ, đánh số 1.1., 1.2., … theo số nhiệm vụ.',
    ],
    [
      'Cơ quan chủ trì',
      `Chọn một cơ quan trong danh sách (bấm mũi tên ở ô). Danh sách gồm ${o.agencyCount} cơ quan, nhóm cơ quan theo tổ chức bộ máy tại ngày ${dd}; tên cơ quan đã sáp nhập sẽ được nhắc đổi sang tên mới khi kiểm tra.`,
    ],
    [
      'Cơ quan phối hợp',
      'Chọn trong danh sách; nhiều cơ quan thì ghi cách nhau bằng dấu phẩy, ví dụ "Sở Tài chính, Sở Tư pháp". Không ghi lại cơ quan chủ trì.',
    ],
    [
      'Thời gian thực hiện',
      `Ghi một trong các dạng: "Quý II/${y}", "Tháng 6/${y}", "Trước 30/6/${y}", "6 tháng đầu năm ${y}", "Năm ${y}", "Thường xuyên". Thời hạn phải nằm trong năm ${y}.`,
    ],
    [
      'Theo dõi, kiểm tra, đôn đốc',
      'Không bắt buộc: cơ quan theo dõi, đôn đốc việc thực hiện (nếu có). Có thể xóa cột nếu không dùng.',
    ],
    ['Ghi chú', 'Không bắt buộc. Có thể xóa cột nếu không dùng.'],
    [
      'Lưu ý',
      'Dùng phông chữ Unicode (Times New Roman); không dùng phông TCVN3 (.VnTime) hay VNI. Không dùng công thức. Không đổi tên, thứ tự các cột.',
    ],
    [
      'Kiểm tra và nộp',
      'Mở bảng trong Excel có cài phần bổ trợ "Phụ lục" để xem lỗi ngay bên cạnh từng ô và sửa bằng một lần bấm, rồi bấm "Nộp"; hoặc tải tệp lên trang quản lý của Sở Nội vụ.',
    ],
    [
      'In',
      'Đã đặt sẵn: khổ A4 nằm ngang, lề theo Nghị định 30/2020/NĐ-CP, dòng tiêu đề bảng lặp lại ở đầu mỗi trang, số trang ở giữa lề trên.',
    ],
  ];
  g.mergeCells(1, 1, 1, 2);
  const title = g.getCell(1, 1);
  title.value = upperVi(`Hướng dẫn điền phụ lục nhiệm vụ cải cách hành chính năm ${y}`);
  title.font = { name: FONT, size: OFFICIAL_STYLE.sizes.title, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  g.getRow(1).height = 40;
  lines.forEach(([k, v], i) => {
    const row = g.getRow(i + 3);
    row.getCell(1).value = k;
    row.getCell(1).font = { name: FONT, size: SIZE, bold: true };
    row.getCell(2).value = v;
    row.getCell(2).font = { name: FONT, size: SIZE };
    // neither Excel nor LibreOffice grows rows on open: give wrapped text its height
    row.height = wrappedHeight(v, g.getColumn(2).width ?? 80);
    for (const n of [1, 2]) {
      row.getCell(n).border = box;
      row.getCell(n).alignment = { vertical: 'top', wrapText: true };
    }
  });
}

/** Row height (pt) for `text` wrapped in a column `width` characters wide, at 13 pt Times New Roman. */
export function wrappedHeight(text: string, width: number, size: number = SIZE): number {
  // width is in digits of the default font (Times New Roman 13); running text fits about 1.1 characters
  // per digit, 1.05 leaves room for Excel's slightly wider rendering
  const perLine = Math.max(1, Math.floor(width * 1.05 * (13 / size)));
  const lines = text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / perLine)), 0);
  return Math.ceil(lines * size * 1.3 + 4);
}
