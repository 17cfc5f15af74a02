// The annex as table rows in the official layout, shared by the xlsx and csv writers. Its own module so that
// the csv reader (io/csv.ts) does not load exceljs with the xlsx writer.
import { TASK_ID_HEADER, toRoman, type Annex, type Product, type Task } from '../engine/index.js';
import { OFFICIAL_STYLE } from '../templates/official-style.js';
import { agencyText } from './agency-text.js';

export interface AnnexRow {
  kind: 'section' | 'task' | 'product';
  values: string[]; // number, task, product, lead, support, timeline[, task id]
  /** The sheet (or text, or Word document) and the rows of the officer's own file this row shows. */
  source: { sheet: string; rows: number[] };
}

/** The header row of the xlsx export; its rows follow from the next one on, in the order of `annexRows`. */
export const XLSX_HEADER_ROW = 5;

/** True when some task carries a stable id (given by the server): the exports then keep it in a last column. */
export const hasTaskIds = (annex: Annex) => annex.sections.some((s) => s.tasks.some((t) => t.id));

/** The header row of the exports: the six official columns, then "Mã nhiệm vụ" when tasks have ids. */
export function annexHeaders(annex: Annex): string[] {
  return [...OFFICIAL_STYLE.columns.map((c) => c.header), ...(hasTaskIds(annex) ? [TASK_ID_HEADER] : [])];
}

function productNumber(task: Task, p: Product, i: number, count: number): string {
  if (p.number) return p.number;
  return count > 1 ? `${task.number}.${i + 1}.` : '';
}

function withNumber(num: string, text: string): string {
  if (!num) return text;
  // The reader may keep "1.2." inside the text as well; do not print it twice.
  return text.startsWith(num) ? text : `${num} ${text}`;
}

/** The annex as table rows in the official layout (shared by the xlsx and csv writers). */
export function annexRows(annex: Annex): AnnexRow[] {
  const rows: AnnexRow[] = [];
  const ids = hasTaskIds(annex);
  annex.sections.forEach((s, i) => {
    // Official annexes number sections I, II, …; the prose reader numbers its parts 1, 2, …
    const numeral = /^\d+$/.test(s.numeral) ? toRoman(Number(s.numeral)) : s.numeral || toRoman(i + 1);
    rows.push({
      kind: 'section',
      values: [numeral, s.title, '', '', '', '', ...(ids ? [''] : [])],
      source: { sheet: s.source.sheet, rows: [s.source.row] },
    });
    for (const t of s.tasks) {
      // STT counts within the section ("1.2" of part 1 is task 2 of section I).
      const stt = s.numeral && t.number.startsWith(`${s.numeral}.`) ? t.number.slice(s.numeral.length + 1) : t.number;
      const products = t.products.length ? t.products : [undefined];
      // The task row stands for every row of the task but those its later products were read from.
      const laterProductRows = new Set(t.products.slice(1).map((x) => x.source.row));
      const taskRows = t.rows.filter((r) => !laterProductRows.has(r));
      products.forEach((p, i) => {
        const pText = p ? withNumber(productNumber(t, p, i, t.products.length), p.text) : '';
        const lead = p?.lead?.length ? agencyText(p.lead) : i === 0 ? agencyText(t.lead) : '';
        const support = p?.support?.length ? agencyText(p.support) : i === 0 ? agencyText(t.support) : '';
        const timeline = p?.timeline?.text ? p.timeline.text : i === 0 ? t.timeline.text : '';
        rows.push({
          kind: i === 0 ? 'task' : 'product',
          source: {
            sheet: t.source.sheet,
            rows: i === 0 ? taskRows : [p!.source.row],
          },
          values: [
            i === 0 ? stt : '',
            i === 0 ? t.task : '',
            pText,
            lead,
            support,
            timeline,
            ...(ids ? [i === 0 ? (t.id ?? '') : ''] : []),
          ],
        });
      });
    }
  });
  return rows;
}

/**
 * For each row of the officer's file that the annex was read from, the row of the xlsx export that shows it: the way
 * to find "dòng 309" of a text upload or "bảng 2, hàng 14" of a Word document in the version's Excel download.
 */
export function xlsxRowsOf(annex: Annex): { sheet: string; row: number; xlsxRow: number }[] {
  const out: { sheet: string; row: number; xlsxRow: number }[] = [];
  annexRows(annex).forEach((r, i) => {
    for (const row of r.source.rows) out.push({ sheet: r.source.sheet, row, xlsxRow: XLSX_HEADER_ROW + 1 + i });
  });
  return out.sort((a, b) => (a.sheet < b.sheet ? -1 : a.sheet > b.sheet ? 1 : a.row - b.row));
}
