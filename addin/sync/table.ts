// A merged annex written back in the officer's own column layout (not a generic table): each field goes
// to the sheet's column for it; what the sheet has no column for (the id, products, notes) gets a column
// after the last one. Pure: the annex and the sheet's columns in, rows of cell texts out.
import type { AgencyRef, Annex, Column, Field } from '../../engine/index.js';
import { PLAIN_HEADERS } from '../../engine/index.js';
import { TASK_ID_HEADER } from '../../engine/index.js';

export interface AnnexRows {
  rows: string[][];
  /** Columns added after the sheet's last column (header text to write in the header row). */
  added: { column: number; field: Field; header: string }[];
  idColumn: number;
}

const names = (refs: AgencyRef[] | undefined) => (refs ?? []).map((r) => r.text).join(', ');

export function annexRows(annex: Annex, columns: Column[]): AnnexRows {
  const col: Partial<Record<Field, number>> = {};
  for (const c of columns) if (c.field && col[c.field] === undefined) col[c.field] = c.index;
  const extraCol = new Map(columns.filter((c) => !c.field).map((c) => [c.header, c.index]));
  let last = Math.max(0, ...columns.map((c) => c.index));
  const added: AnnexRows['added'] = [];
  const tasks = annex.sections.flatMap((s) => s.tasks);
  const need = (f: Field, used: boolean) => {
    if (col[f] !== undefined || !used) return;
    col[f] = ++last;
    added.push({
      column: last,
      field: f,
      header: f === 'id' ? TASK_ID_HEADER : (PLAIN_HEADERS.find((h) => h.field === f)?.header ?? f),
    });
  };
  if (col.task === undefined) need('task', true);
  need(
    'product',
    tasks.some((t) => t.products.length > 0),
  );
  const combined = col.lead === undefined && col.assignment !== undefined;
  if (!combined)
    need(
      'lead',
      tasks.some((t) => t.lead.length > 0),
    );
  if (!combined)
    need(
      'support',
      tasks.some((t) => t.support.length > 0),
    );
  need(
    'timeline',
    tasks.some((t) => t.timeline?.text),
  );
  need(
    'note',
    tasks.some((t) => t.note),
  );
  need('id', true);

  const rows: string[][] = [];
  const put = (row: string[], f: Field | number | undefined, text: string | undefined) => {
    const c = typeof f === 'number' ? f : f === undefined ? undefined : col[f];
    if (c === undefined || !text) return;
    while (row.length < c) row.push('');
    row[c - 1] = text;
  };
  for (const s of annex.sections) {
    const r: string[] = [];
    if (col.number !== undefined) {
      put(r, 'number', s.numeral);
      put(r, 'task', s.title);
    } else put(r, 'task', `${s.numeral}. ${s.title}`);
    rows.push(r);
    for (const t of s.tasks) {
      const products = t.products.length ? t.products : [undefined];
      products.forEach((p, i) => {
        const row: string[] = [];
        const pText = p ? (p.number && !p.text.startsWith(p.number) ? `${p.number} ${p.text}` : p.text) : '';
        put(row, 'product', pText);
        if (i === 0) {
          if (col.number !== undefined) {
            put(row, 'number', t.number);
            put(row, 'task', t.task);
          } else put(row, 'task', t.number ? `${t.number}. ${t.task}` : t.task);
          const lead = names(t.lead);
          const support = names(t.support);
          if (combined)
            put(
              row,
              'assignment',
              lead
                ? `${lead} chủ trì${support ? `, phối hợp với ${support}` : ''}`
                : support
                  ? `Phối hợp: ${support}`
                  : '',
            );
          else {
            put(row, 'lead', lead);
            put(row, 'support', support);
          }
          put(row, 'timeline', t.timeline?.text);
          put(row, 'monitor', names(t.monitor));
          put(row, 'approval', t.approval);
          put(row, 'note', t.note);
          put(row, 'id', t.id);
          for (const [header, value] of Object.entries(t.extra ?? {})) put(row, extraCol.get(header), value);
        } else {
          put(row, combined ? 'assignment' : 'lead', names(p?.lead));
          if (!combined) put(row, 'support', names(p?.support));
          put(row, 'timeline', p?.timeline?.text);
        }
        rows.push(row);
      });
    }
  }
  return { rows, added, idColumn: col.id! };
}
