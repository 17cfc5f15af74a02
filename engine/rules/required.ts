// Required fields: task text, product, lead agency, timeline. A product row inherits the task row's lead and
// timeline; a task whose products each carry their own lead/timeline is complete.
import type { Diagnostic, Field } from '../model.js';
import type { RuleCode } from './codes.js';
import { makeDiagnostic } from './diagnostic.js';
import { quote, type GroupRule, type RuleContext, type TaskGroup, type Unit } from './facts.js';
import { productHoldsTimeline } from './timelines.js';

export function taskLabel(rc: RuleContext, group: TaskGroup): string {
  const model = group.model;
  if (model?.task) return quote(model.task, 60);
  const first = group.units[0];
  const text = first ? rc.view.text(first, 'task') : '';
  if (text) return quote(text, 60);
  return model?.number ? `số ${model.number}` : `dòng ${group.rows[0] ?? '?'}`;
}

// The field lists the checks ask about, made once (not an array per call).
const PRODUCT: readonly Field[] = ['product'];
const LEAD: readonly Field[] = ['lead', 'assignment'];
const TIMELINE: readonly Field[] = ['timeline'];
const never = () => false;

function ownText(rc: RuleContext, unit: Unit, fields: readonly Field[]): string {
  for (const f of fields) {
    const t = rc.view.text(unit, f);
    if (t) return t;
  }
  return '';
}

function someOwnText(rc: RuleContext, units: Unit[], fields: readonly Field[]): boolean {
  for (const u of units) if (ownText(rc, u, fields)) return true;
  return false;
}

function hasColumn(rc: RuleContext, fields: readonly Field[]): Field | undefined {
  for (const f of fields) if (rc.view.fieldColumn.has(f)) return f;
  return undefined;
}

/**
 * Which units miss a value of `fields`, given that product rows inherit from the task row. When every unit
 * that needs the value misses it, one diagnostic at the task row says it all.
 */
function checkInherited(
  rc: RuleContext,
  group: TaskGroup,
  fields: readonly Field[],
  code: RuleCode,
  exempt: (rc: RuleContext, u: Unit) => boolean,
  out: Diagnostic[],
): void {
  const column = hasColumn(rc, fields);
  if (!column) return;
  const units = group.units;
  const u0 = units[0]?.kind === 'task' ? units[0] : undefined;
  const productColumn = rc.view.fieldColumn.has('product');
  // The task row needs its own value when it is also a product row (or the task has no product rows).
  const u0Needs = u0 !== undefined && (units.length === 1 || !productColumn || ownText(rc, u0, PRODUCT) !== '');
  const inherited = u0 ? ownText(rc, u0, fields) : '';
  // Most tasks miss nothing: the units are listed only when one misses the value. (Plain loops: a closure per
  // call costs more than the check under the development runner, which names every closure it creates.)
  let missing: Unit[] | undefined;
  let needing = 0;
  for (const u of units) {
    if (u === u0 && !u0Needs) continue;
    needing++;
    if (!exempt(rc, u) && !ownText(rc, u, fields) && !(u !== u0 && inherited)) (missing ??= []).push(u);
  }
  if (!missing) return;
  const params = (u: Unit) => {
    const anchor = rc.view.field(u, column)?.anchor;
    return { task: taskLabel(rc, group), year: rc.planYear, cell: anchor?.cell };
  };
  const at = (u: Unit) => rc.view.location(u.sheet, u.row, rc.view.fieldColumn.get(column));
  if (u0 && missing.length === needing && !inherited) {
    out.push(makeDiagnostic(code, at(u0), params(u0), { locale: rc.locale }));
    return;
  }
  for (const u of missing) out.push(makeDiagnostic(code, at(u), params(u), { locale: rc.locale }));
}

export const checkRequired: GroupRule = (group, rc, out) => {
  const { view } = rc;
  const model = group.model;
  if (group.units.length === 0) {
    // Prose layout: the reader's values, located at the task.
    if (!model) return;
    const loc = model.source;
    const task = quote(model.task || `số ${model.number}`, 60);
    if (!model.task.trim())
      out.push(makeDiagnostic('task.missing', loc, { number: model.number }, { locale: rc.locale }));
    if (model.lead.length === 0 && !model.products.some((p) => p.lead.length))
      out.push(makeDiagnostic('lead.missing', loc, { task }, { locale: rc.locale }));
    if (model.timeline.kind === 'empty' && !model.products.some((p) => p.timeline && p.timeline.kind !== 'empty'))
      out.push(makeDiagnostic('timeline.missing', loc, { task, year: rc.planYear }, { locale: rc.locale }));
    return;
  }

  const u0 = group.units[0].kind === 'task' ? group.units[0] : undefined;
  // The task's own text: the value object (its cells) is made only when the text is missing.
  if (u0 && view.fieldColumn.has('task') && !(model ? model.task : (view.text(u0, 'task') ?? '')).trim()) {
    const taskValue = view.field(u0, 'task');
    if (taskValue) {
      const loc = view.location(u0.sheet, u0.row, taskValue.anchor!.column);
      out.push(
        makeDiagnostic('task.missing', loc, { number: model?.number ?? '', cell: loc.cell }, { locale: rc.locale }),
      );
    }
  }

  if (view.fieldColumn.has('product') && !someOwnText(rc, group.units, PRODUCT)) {
    const u = group.units[0];
    const loc = view.location(u.sheet, u.row, view.fieldColumn.get('product'));
    out.push(
      makeDiagnostic('product.missing', loc, { task: taskLabel(rc, group), cell: loc.cell }, { locale: rc.locale }),
    );
  }

  checkInherited(rc, group, LEAD, 'lead.missing', never, out);
  // A timeline written in the product column is reported as timeline.in-product, not as missing.
  checkInherited(rc, group, TIMELINE, 'timeline.missing', productHoldsTimeline, out);
};
