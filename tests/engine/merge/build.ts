// Small hand-built annexes for consolidation tests.
import type { AgencyRef, Annex, AreaCode, Section, Task, Timeline } from '../../../engine/index.js';

export interface TaskSpec {
  task: string;
  lead?: (string | AgencyRef)[];
  support?: string[];
  timeline?: Timeline;
  note?: string;
  products?: string[];
}

export function ref(x: string | AgencyRef): AgencyRef {
  return typeof x === 'string' ? { text: x, name: x, kind: 'agency' } : x;
}

let row = 0;
export function annex(sheet: string, sections: { area: AreaCode | null; title?: string; tasks: TaskSpec[] }[]): Annex {
  row = 10;
  const out: Section[] = sections.map((s, si) => ({
    numeral: ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'][si],
    title: s.title ?? s.area ?? 'Khác',
    area: s.area,
    source: { sheet, row: row++ },
    tasks: s.tasks.map((t, ti): Task => {
      const r = row++;
      return {
        number: String(ti + 1),
        task: t.task,
        products: (t.products ?? []).map((p) => ({
          text: p,
          lead: [],
          support: [],
          source: { sheet, row: r, column: 3 },
        })),
        lead: (t.lead ?? []).map(ref),
        support: (t.support ?? []).map(ref),
        timeline: t.timeline ?? { kind: 'empty', text: '' },
        note: t.note,
        source: { sheet, row: r, column: 2, cell: `B${r}` },
        rows: [r],
      };
    }),
  }));
  return { meta: { sheet }, sections: out };
}

export const due = (iso: string): Timeline => ({ kind: 'date', due: iso, text: iso });
