// The prose-steps reader: plans without a table, written as numbered steps each followed by
// "Đơn vị chủ trì:", "Đơn vị phối hợp:", "Thời gian:" lines (seed 003). Same model as the table reader.
import type { Grid, Location, Section, Task } from '../model.js';
import { a1 } from '../a1.js';
import { agencyRefs, type AgencyContext } from './agencies.js';
import type { RowRole } from './index.js';
import { stripMarkup } from './meta.js';
import { clean, timeline } from './text.js';
import { matchArea } from '../vocab/index.js';

const PART = /^([IVXLC]+)\s*[.)]\s+(\S.*)$/;
const HEADING = /^(\d{1,2}(?:\.\d{1,2})*)\s*[.)]\s+(\S.*)$/;
const FIELD = /^[-+•]?\s*(?:Đơn vị|Cơ quan)\s+(chủ trì|thực hiện|phối hợp)\s*:\s*(.*)$/iu;
const TIME = /^[-+•]?\s*(?:Thời gian|Thời hạn|Tiến độ)(?:\s+thực hiện|\s+hoàn thành)?\s*:\s*(.*)$/iu;

/** One non-empty line of a text grid: its cells joined, cleaned, without markup. */
export interface Line {
  row: number;
  text: string;
}

/** The grid's non-empty rows as lines of prose (both the step reader and the directive reader start here). */
export function proseLines(grid: Grid): Line[] {
  const lines: Line[] = [];
  for (const r of grid.rows) {
    const t = r.cells
      .map((c) => c.text)
      .join(' ')
      .trim();
    if (t) lines.push({ row: r.index, text: stripMarkup(clean(t)) });
  }
  return lines;
}

interface Heading {
  number: string;
  depth: number;
  title: string;
  row: number;
  part: number;
  lead?: Line;
  support?: Line;
  time?: Line;
  body: Line[];
  children: number;
}

export interface ProseResult {
  sections: Section[];
  rowRoles: RowRole[];
}

const trimEnd = (s: string) => s.replace(/[.;,]+$/, '').trim();

/** Reads numbered steps from a text grid; null when the text has no step with a lead, support or time line. */
export function readProse(grid: Grid, agencies: AgencyContext, planYear?: number): ProseResult | null {
  const lines = proseLines(grid);
  const headings: Heading[] = [];
  let part = 0;
  let current: Heading | undefined;
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = PART.exec(line.text))) {
      part++;
      current = undefined;
      continue;
    }
    if ((m = HEADING.exec(line.text))) {
      const number = m[1];
      const depth = number.split('.').length;
      current = { number, depth, title: m[2].trim(), row: line.row, part, body: [], children: 0 };
      // Parent: the nearest earlier heading of this part one level up with a matching prefix.
      for (let i = headings.length - 1; i >= 0 && headings[i].part === part; i--) {
        if (headings[i].depth < depth && number.startsWith(`${headings[i].number}.`)) {
          headings[i].children++;
          break;
        }
      }
      headings.push(current);
      continue;
    }
    if (!current) continue;
    if ((m = FIELD.exec(line.text))) {
      const kind = m[1].toLowerCase();
      const value: Line = { row: line.row, text: trimEnd(m[2]) };
      if (kind === 'phối hợp') current.support = value;
      else current.lead = value;
    } else if ((m = TIME.exec(line.text))) current.time = { row: line.row, text: trimEnd(m[1]) };
    else current.body.push(line);
  }
  // Parts whose steps state who does what and when are the plan's work list.
  const stepParts = new Set(headings.filter((h) => h.lead || h.support || h.time).map((h) => h.part));
  if (!stepParts.size) return null;

  const loc = (row: number): Location => ({ sheet: grid.sheet, row, column: 1, cell: a1(row, 1), line: row });
  const sections: Section[] = [];
  const roleOf = new Map<number, RowRole>();
  for (const h of headings) {
    if (!stepParts.has(h.part)) continue;
    const top = h.depth === 1;
    if (top) {
      sections.push({ numeral: h.number, title: h.title, area: matchArea(h.title), source: loc(h.row), tasks: [] });
      roleOf.set(h.row, {
        sheet: grid.sheet,
        row: h.row,
        role: h.children ? 'section' : 'task',
        section: sections.length - 1,
      });
    }
    if (h.children) continue;
    const section = sections[sections.length - 1];
    if (!section) continue;
    const rows = [h.row, ...h.body.map((b) => b.row), h.lead?.row, h.support?.row, h.time?.row].filter(
      (r): r is number => r !== undefined,
    );
    rows.sort((a, b) => a - b);
    const task: Task = {
      number: h.number,
      task: h.title,
      products: [],
      lead: agencyRefs(h.lead?.text ?? '', agencies),
      support: agencyRefs(h.support?.text ?? '', agencies),
      timeline: timeline(h.time?.text ?? '', planYear),
      source: loc(h.row),
      rows,
      raw: Object.fromEntries(
        [
          ['task', h.title],
          ['lead', h.lead?.text],
          ['support', h.support?.text],
          ['timeline', h.time?.text],
        ].filter((e): e is [string, string] => !!e[1]),
      ),
    };
    if (h.body.length) task.note = h.body.map((b) => b.text).join('\n');
    section.tasks.push(task);
    const ti = section.tasks.length - 1;
    for (const r of rows)
      roleOf.set(r, { sheet: grid.sheet, row: r, role: 'task', section: sections.length - 1, task: ti });
  }
  return { sections, rowRoles: rolesOfRows(grid, roleOf, sections[0]?.source.row ?? Infinity) };
}

/** Every row's role: the placed ones as placed; others blank, preamble (before `firstRow`) or other. */
export function rolesOfRows(grid: Grid, placed: Map<number, RowRole>, firstRow: number): RowRole[] {
  return grid.rows.map(
    (r) =>
      placed.get(r.index) ?? {
        sheet: grid.sheet,
        row: r.index,
        role: !r.cells.some((c) => c.text.trim()) ? 'blank' : r.index < firstRow ? 'preamble' : 'other',
      },
  );
}
