// Timelines: text that cannot be read, deadlines outside the plan year, and timelines written into the
// product column while the timeline cell is empty (seed 002, section III).
import type { Diagnostic, Location, Timeline } from '../model.js';
import { makeDiagnostic } from './diagnostic.js';
import { edit, makeFix } from './edits.js';
import { cellValue, displayDate, quote, type GroupRule, type RuleContext, type Unit } from './facts.js';

/** True when the unit's own timeline cell is empty and its product cell reads as a timeline. */
export function productHoldsTimeline(rc: RuleContext, unit: Unit): boolean {
  const timeline = rc.view.text(unit, 'timeline');
  const product = rc.view.text(unit, 'product');
  if (timeline === undefined || product === undefined || timeline !== '' || product === '') return false;
  return rc.memo.looksLikeTimeline(product);
}

/** The year of an ISO due date (its first four digits), read without a match object per timeline. */
function dueYear(t: Timeline): number | undefined {
  const d = t.due;
  if (!d || d.length < 4) return undefined;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = d.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    y = y * 10 + c;
  }
  return y;
}

/** A location, or a unit whose timeline is located (at its first cell) only when there is something to report. */
function locate(rc: RuleContext, at: Location | Unit): Location {
  return 'kind' in at ? rc.view.locationOf(rc.view.field(at, 'timeline')!.cells[0]) : at;
}

function checkTimelineText(
  rc: RuleContext,
  text: string,
  at: Location | Unit,
  out: Diagnostic[],
  parsed?: Timeline,
): void {
  if (!text) return;
  const t = parsed ?? rc.memo.parseTimeline(text, rc.planYear);
  const year = rc.planYear;
  if (t.kind === 'unknown') {
    out.push(makeDiagnostic('timeline.unparsed', locate(rc, at), { text: quote(text), year }, { locale: rc.locale }));
    return;
  }
  const due = dueYear(t);
  if (year !== undefined && due !== undefined && due !== year) {
    out.push(
      makeDiagnostic(
        'timeline.outside-plan-year',
        locate(rc, at),
        { text: quote(text), due: t.due, dueText: displayDate(t.due), year },
        { locale: rc.locale },
      ),
    );
  }
}

export const checkTimelines: GroupRule = (group, rc, out) => {
  const { view } = rc;
  if (group.units.length === 0) {
    // Prose layout (or no grids): the reader's parsed timelines, located at the task and its products.
    const model = group.model;
    if (!model) return;
    const t = model.timeline;
    if (t.kind !== 'empty') checkTimelineText(rc, t.text.trim(), model.source, out, t);
    for (const p of model.products) {
      const pt = p.timeline;
      // The task row's own product shares the task's timeline cell: report that cell once.
      if (pt && pt.kind !== 'empty' && !(p.source.row === model.source.row && pt.text === t.text))
        checkTimelineText(rc, pt.text.trim(), p.source, out, pt);
    }
    return;
  }
  for (const unit of group.units) {
    const text = view.text(unit, 'timeline');
    if (text === undefined) continue;
    // A merged deadline is checked once, at the merged cell's own row.
    if (view.inherits(unit, 'timeline')) continue;
    if (text) {
      checkTimelineText(rc, text, unit, out);
      continue;
    }
    if (productHoldsTimeline(rc, unit)) {
      const timeline = view.field(unit, 'timeline')!;
      const product = view.field(unit, 'product')!;
      const source = product.cells[0];
      const target = timeline.anchor!;
      const params = { cell: source.cell, text: quote(product.text), target: target.cell };
      // Only a product written in one cell can be moved safely; a page-split one is reported without a fix.
      const fix =
        product.cells.length === 1
          ? makeFix(
              'timeline.in-product',
              [
                edit(target.sheet, target.row, target.column, target.raw, cellValue(view, target.sheet, product.text)),
                edit(source.sheet, source.row, source.column, source.raw, ''),
              ],
              params,
              rc.locale,
            )
          : undefined;
      out.push(makeDiagnostic('timeline.in-product', view.locationOf(source), params, { locale: rc.locale, fix }));
    }
  }
};
