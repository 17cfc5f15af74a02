// Official document styling (Nghị định 30/2020/NĐ-CP, Phụ lục I): one description shared by the
// xlsx writers (template, consolidated report, fixed annex) and the docx writer.

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
    { field: 'number', header: 'STT', width: 6 },
    { field: 'task', header: 'Nhiệm vụ', width: 45 },
    { field: 'product', header: 'Sản phẩm', width: 35 },
    { field: 'lead', header: 'Cơ quan chủ trì', width: 22 },
    { field: 'support', header: 'Cơ quan phối hợp', width: 26 },
    { field: 'timeline', header: 'Thời gian thực hiện', width: 18 },
  ],
  heading: 'Phụ lục',
  /** "(Kèm theo Kế hoạch số … ngày … của …)" — italic line under the title. */
  attachedLine: (docType: string, docNumber: string, docDate: string, issuer: string) =>
    `(Kèm theo ${docType} số ${docNumber} ngày ${docDate} của ${issuer})`,
} as const;

export const MM_PER_INCH = 25.4;
/** Millimetres to inches (exceljs page margins are in inches). */
export const mmToInch = (mm: number) => Math.round((mm / MM_PER_INCH) * 100) / 100;
/** Millimetres to twentieths of a point (docx page margins). */
export const mmToTwip = (mm: number) => Math.round((mm / MM_PER_INCH) * 1440);
