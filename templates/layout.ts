// The annex template's layout as plain data: columns, title lines, the header row and the pre-filled
// reform-area sections. Pure (no exceljs, no Node APIs) so the Excel add-in can bundle it and insert the
// template into an open sheet; templates/annex-template.ts writes the same layout as an .xlsx file.
import type { AreaCode, Field } from '../engine/index.js';
import { REFORM_AREAS, columnLetter, toRoman } from '../engine/vocab/index.js';
import { BLANK, OFFICIAL_STYLE, OPTIONAL_COLUMNS, attachedLineFrom, upperVi } from './official-style.js';

export const SHEETS = { annex: 'Phụ lục', guide: 'Hướng dẫn', lists: 'Danh mục' } as const;

export interface TemplateColumn {
  /** 1-based column and its letter. */
  index: number;
  letter: string;
  field: Field;
  header: string;
  /** Excel width (characters). */
  width: number;
  /** Optional columns (Theo dõi…, Ghi chú) may be deleted by the agency. */
  optional: boolean;
  /** Which dropdown the column's cells get. */
  list?: 'agencies';
}

export interface TemplateSection {
  numeral: string;
  area: AreaCode;
  title: string;
  /** Row of the section heading; its task rows follow. */
  row: number;
}

export interface TemplateLayout {
  sheets: typeof SHEETS;
  /** Heading lines above the table (merged across all columns). */
  titleRows: { row: number; text: string; role: 'heading' | 'title' | 'attached' }[];
  headerRow: number;
  columns: TemplateColumn[];
  sections: TemplateSection[];
  /** Empty task rows left under each section heading. */
  taskRowsPerSection: number;
  firstDataRow: number;
  lastDataRow: number;
  /** Dropdowns and formats reach this row, so rows added later get them too. */
  validationLastRow: number;
}

export interface TemplateLayoutOptions {
  year?: number;
  /** Include "Theo dõi, kiểm tra, đôn đốc" and "Ghi chú" (default true). */
  optionalColumns?: boolean;
  taskRowsPerSection?: number;
}

/**
 * Template widths in digits of the default font (Times New Roman 13): about 110 in all, which prints
 * on A4 landscape inside the NĐ 30 margins at 100%; wider columns would make "fit to width" shrink
 * the 13 pt text.
 */
const TEMPLATE_WIDTHS: Partial<Record<Field, number>> = {
  number: 5,
  task: 27,
  product: 20,
  lead: 15,
  support: 16,
  timeline: 10,
  monitor: 10,
  note: 7,
};

/** The template layout as plain data (no province needed: agencies only fill the dropdowns). */
export function templateLayout(opts: TemplateLayoutOptions = {}): TemplateLayout {
  const year = opts.year;
  const per = opts.taskRowsPerSection ?? 3;
  const defs: { field: Field; header: string; optional: boolean }[] = [
    ...OFFICIAL_STYLE.columns.map((c) => ({ field: c.field as Field, header: c.header, optional: false })),
    ...(opts.optionalColumns === false
      ? []
      : OPTIONAL_COLUMNS.map((c) => ({ field: c.field as Field, header: c.header, optional: true }))),
  ];
  const columns: TemplateColumn[] = defs.map((d, i) => ({
    index: i + 1,
    letter: columnLetter(i + 1),
    field: d.field,
    header: d.header,
    width: TEMPLATE_WIDTHS[d.field] ?? 15,
    optional: d.optional,
    ...(d.field === 'lead' || d.field === 'support' || d.field === 'monitor' ? { list: 'agencies' as const } : {}),
  }));
  const titleRows: TemplateLayout['titleRows'] = [
    { row: 1, text: OFFICIAL_STYLE.heading, role: 'heading' },
    { row: 2, text: upperVi(`Nhiệm vụ cải cách hành chính năm ${year ?? BLANK}`), role: 'title' },
    { row: 3, text: attachedLineFrom({ docType: 'KH' }), role: 'attached' },
  ];
  const headerRow = 5;
  const sections: TemplateSection[] = [];
  let row = headerRow + 1;
  REFORM_AREAS.forEach((a, i) => {
    sections.push({ numeral: toRoman(i + 1), area: a.code, title: a.title, row });
    row += 1 + per;
  });
  return {
    sheets: SHEETS,
    titleRows,
    headerRow,
    columns,
    sections,
    taskRowsPerSection: per,
    firstDataRow: headerRow + 1,
    lastDataRow: row - 1,
    validationLastRow: 1000,
  };
}
