// Official document styling (Nghị định 30/2020/NĐ-CP, Phụ lục I): one description shared by the
// xlsx writers (template, consolidated report, fixed annex) and the docx writer. Header texts come from the
// vocabulary (data/layouts/columns.json); only the print widths live here.
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
