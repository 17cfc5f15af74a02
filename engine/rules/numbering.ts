// Numbering: task numbers (STT) per section — missing, skipped, repeated, out of order — and product
// sub-numbers ("1.2.") that do not match their task (seed 000, section VII). Numbering restarts in every
// section in these layouts; an annex that numbers straight through all sections is recognised as such.
import type { CellEdit, Diagnostic, Section, Task } from '../model.js';
import type { RuleCode } from './codes.js';
import { makeDiagnostic } from './diagnostic.js';
import { edit, makeFix } from './edits.js';
import { quote, type CellRef, type GroupRule, type RuleContext, type TableRule, type TaskGroup } from './facts.js';

// A product sub-number at the start of a cell, after any HTML tags: "1.2.", "1.2", "1. 2."
const SUB_NUMBER = /^(\s*(?:<[^>]+>\s*)*)(\d+)(\s*\.\s*)(\d+)(\s*\.)?/;
// A task number written at the start of the task text (layouts without an STT column, seed 004).
const INLINE_NUMBER = /^(\s*(?:<[^>]+>\s*)*)(\d+)(?=\s*[.)])/;

/** The task number a product's sub-number names ("1.2." → 1), if it has one. */
function subNumberTask(raw: string): number | undefined {
  const m = SUB_NUMBER.exec(raw);
  return m ? Number(m[2]) : undefined;
}

export const checkProductNumbers: GroupRule = (group, rc, out) => {
  const taskNumber = group.model?.number;
  if (!taskNumber || !/^\d+$/.test(taskNumber) || group.units.length === 0) return;
  const { view, locale } = rc;
  const column = view.fieldColumn.get('product');
  if (column === undefined) return;
  for (const unit of group.units) {
    // Only a product written on the unit's own row: its first cell is then that row's cell. Its sub-number is
    // parsed once per text (memo), and the value's cell references are built only for a mismatch.
    const raw = view.cellText(unit.sheet, unit.row, column);
    if (raw === '' || raw.trim() === '') continue;
    const task = rc.memo.verdict('product-sub-number', raw, subNumberTask);
    if (task === undefined || task === Number(taskNumber)) continue;
    const first = view.field(unit, 'product')!.cells[0];
    const m = SUB_NUMBER.exec(first.raw)!;
    const written = m[0].slice(m[1].length).trim();
    const expected = taskNumber + written.slice(m[2].length);
    const params = { product: quote(view.field(unit, 'product')!.text, 60), written, task: taskNumber, expected };
    const to = first.raw.slice(0, m[1].length) + taskNumber + first.raw.slice(m[1].length + m[2].length);
    out.push(
      makeDiagnostic('product.number-mismatch', view.locationOf(first), params, {
        locale,
        fix: makeFix(
          'product.number-mismatch',
          [edit(first.sheet, first.row, first.column, first.raw, to)],
          params,
          locale,
        ),
      }),
    );
  }
};

interface Numbered {
  task: Task;
  group?: TaskGroup;
  /** The task row. */
  row: number;
  /** The cell that holds the number (STT cell, or the task cell when the number is written inline). */
  cell?: CellRef;
  inline: boolean;
  value?: number;
}

/** Looks up the number cells of a section's tasks: only done for a section that has a diagnostic. */
function locate(rc: RuleContext, items: Numbered[]): void {
  const { view } = rc;
  if (!view.isTable) return;
  const numberCol = view.fieldColumn.get('number');
  const taskCol = view.fieldColumn.get('task');
  for (const n of items) {
    if (n.cell) continue;
    const sheet = n.group?.sheet ?? n.task.source.sheet;
    if (numberCol !== undefined) n.cell = view.cellRef(sheet, n.row, numberCol);
    else if (taskCol !== undefined) {
      n.cell = view.cellRef(sheet, n.row, taskCol);
      n.inline = true;
    }
  }
}

function renumbered(n: Numbered, expected: number): string | null {
  const raw = n.cell!.raw;
  if (n.inline) {
    const m = INLINE_NUMBER.exec(raw);
    return m ? m[1] + String(expected) + raw.slice(m[0].length) : `${expected}. ${raw.trimStart()}`;
  }
  return /\d+/.test(raw) ? raw.replace(/\d+/, String(expected)) : String(expected);
}

/** One fix that renumbers a whole section (and the prefixes of its products' sub-numbers). */
function renumberFix(
  rc: RuleContext,
  items: Numbered[],
  start: number,
  section: Section,
  params: Record<string, unknown>,
) {
  if (items.some((n) => !n.cell)) return undefined;
  const edits: CellEdit[] = [];
  items.forEach((n, i) => {
    const expected = start + i;
    if (n.value === expected) return;
    const to = renumbered(n, expected);
    if (to === null) return;
    const c = n.cell!;
    edits.push(edit(c.sheet, c.row, c.column, c.raw, to));
    for (const unit of n.group?.units ?? []) {
      const first = rc.view.field(unit, 'product')?.cells[0];
      if (!first || first.row !== unit.row) continue;
      const m = SUB_NUMBER.exec(first.raw);
      if (!m || (n.value !== undefined && Number(m[2]) !== n.value)) continue;
      // Inline numbering puts number and product in different cells; never edit one cell twice.
      if (first.row === c.row && first.column === c.column) continue;
      edits.push(
        edit(
          first.sheet,
          first.row,
          first.column,
          first.raw,
          first.raw.slice(0, m[1].length) + expected + first.raw.slice(m[1].length + m[2].length),
        ),
      );
    }
  });
  return makeFix('number.gap', edits, { ...params, numeral: section.numeral }, rc.locale);
}

/** What a session keeps per section (by the reader's Section object, which a partial re-read keeps when untouched). */
interface SectionNumbers {
  items: Numbered[];
  /** The diagnostics found for the section with this first expected number. */
  start?: number;
  diagnostics?: Diagnostic[];
}
const KEPT = Symbol('numbering');

export const checkNumbering: TableRule = (rc, out) => {
  const { annex } = rc;
  // Prose documents number steps and sub-steps in their own way ("1.", "1.1."): the reader's numbers are
  // not an STT column to keep consecutive.
  if (annex.meta.layout === 'prose') return;
  // In a session, sections the reader kept keep their numbers and (for the same start) their diagnostics.
  let kept = rc.state?.get(KEPT) as WeakMap<Section, SectionNumbers> | undefined;
  if (rc.state && !kept) rc.state.set(KEPT, (kept = new WeakMap()));
  let groupOf: Map<Task, TaskGroup> | undefined;
  const numbersOf = (s: Section): SectionNumbers => {
    const known = kept?.get(s);
    if (known) return known;
    // The section's tasks are grouped in its own segment of the view; any other task is looked up among all.
    // A group of the segment stands at its task's place in the section (an array by place, not a map by task,
    // which grows its table over and over); were one not, the groups are looked up by task as a whole.
    let own: (TaskGroup | undefined)[] | Map<Task, TaskGroup> = new Array<TaskGroup | undefined>(s.tasks.length);
    for (const seg of rc.view.segments) {
      if (seg.section !== s) continue;
      for (const g of seg.groups) {
        if (!g.model) continue;
        if (Array.isArray(own) && s.tasks[g.task] === g.model) own[g.task] = g;
        else {
          own = new Map();
          for (const x of rc.view.segments)
            if (x.section === s) for (const y of x.groups) if (y.model) own.set(y.model, y);
          break;
        }
      }
      if (!Array.isArray(own)) break;
    }
    const byPlace = Array.isArray(own) ? own : undefined;
    const byTask = Array.isArray(own) ? undefined : own;
    const lookup = (task: Task, i: number): TaskGroup | undefined => {
      const g = byPlace ? byPlace[i] : byTask!.get(task);
      if (g) return g;
      if (!groupOf) {
        groupOf = new Map();
        for (const x of rc.view.groups) if (x.model) groupOf.set(x.model, x);
      }
      return groupOf.get(task);
    };
    const items = s.tasks.map<Numbered>((task, i) => {
      const group = lookup(task, i);
      const row = group?.units[0]?.kind === 'task' ? group.units[0].row : task.source.row;
      const value = /^\d+$/.test(task.number)
        ? Number(task.number)
        : /^\s*\d+\s*$/.test(task.number)
          ? Number(task.number.trim())
          : undefined;
      return { task, group, row, inline: false, value };
    });
    const made: SectionNumbers = { items };
    kept?.set(s, made);
    return made;
  };
  const numbers = annex.sections.map(numbersOf);
  const sections = numbers.map((n) => n.items);

  // Straight-through numbering: every section starts where the previous one ended.
  const nonEmpty = sections.filter((s) => s.length > 0);
  let continuous = nonEmpty.length > 1;
  for (let i = 1; i < nonEmpty.length && continuous; i++) {
    const prevLast = nonEmpty[i - 1][nonEmpty[i - 1].length - 1].value;
    const first = nonEmpty[i][0].value;
    if (prevLast === undefined || first !== prevLast + 1) continuous = false;
  }

  let next = 1;
  sections.forEach((items, si) => {
    if (items.length === 0) return;
    const section = annex.sections[si];
    const start = continuous ? next : 1;
    next = start + items.length;
    const known = numbers[si];
    if (known.diagnostics && known.start === start) {
      for (const d of known.diagnostics) out.push(d);
      return;
    }
    const found: Diagnostic[] = [];
    checkSection(rc, section, items, start, found);
    if (kept) {
      known.start = start;
      known.diagnostics = found;
    }
    for (const d of found) out.push(d);
  });
};

/** Numbers of one section's tasks, expected to run from `start`. */
function checkSection(rc: RuleContext, section: Section, items: Numbered[], start: number, out: Diagnostic[]): void {
  const seen = new Map<number, number>();
  let previous: number | undefined;
  let fix: ReturnType<typeof renumberFix> | null = null;
  let sectionParams: Record<string, unknown> = {};
  const emit = (code: RuleCode, n: Numbered, params: Record<string, unknown>) => {
    if (fix === null) {
      locate(rc, items);
      sectionParams = { section: section.title ? quote(section.title, 50) : section.numeral, numeral: section.numeral };
      fix = renumberFix(rc, items, start, section, sectionParams);
    }
    const loc = n.cell ? rc.view.locationOf(n.cell) : n.task.source;
    // Object.assign, not a spread of both: the spread gave each diagnostic's params a hidden class of its own.
    out.push(makeDiagnostic(code, loc, Object.assign({}, sectionParams, params), { locale: rc.locale, fix }));
  };
  items.forEach((n, i) => {
    const expected = previous === undefined ? start + i : previous + 1;
    if (n.value === undefined) {
      if (n.task.number.trim() === '') emit('number.missing', n, { task: quote(n.task.task, 60), expected });
      previous = previous === undefined ? undefined : previous + 1;
      return;
    }
    const first = seen.get(n.value);
    if (first !== undefined) emit('number.duplicate', n, { number: n.value, firstRow: first, expected });
    else if (previous !== undefined && n.value < previous)
      emit('number.out-of-order', n, { number: n.value, previous });
    else if (n.value !== expected) emit('number.gap', n, { number: n.value, expected, previous });
    if (first === undefined) seen.set(n.value, n.row);
    previous = Math.max(previous ?? n.value, n.value);
  });
}
