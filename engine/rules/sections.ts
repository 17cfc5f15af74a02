// Sections: tasks outside any section, sections that are not a reform area of Nghị quyết 76/NQ-CP, areas out of
// the resolution's order, and one area split over two sections.
import type { AreaCode, Location } from '../model.js';
import { AREA_ORDER, AREA_TITLES } from '../vocab/index.js';
import { makeDiagnostic } from './diagnostic.js';
import { quote, type TableRule } from './facts.js';

export const checkSections: TableRule = (rc, out) => {
  const { annex, view, locale } = rc;
  // Reform areas structure the annex table; a prose document's headings are not areas.
  if (annex.meta.layout === 'prose') return;
  // A targets table groups its targets by theme ("I. Kinh tế số"), not by reform area.
  if (annex.meta.kind === 'targets') return;
  const firstOfArea = new Map<AreaCode, string>();
  let lastOrdered: { index: number; title: string } | undefined;
  const expected = AREA_ORDER.map((a) => AREA_TITLES[a]).join(' → ');
  annex.sections.forEach((s) => {
    const titled = s.numeral.trim() !== '' || s.title.trim() !== '';
    if (!titled) {
      // Tasks the reader found before any section row.
      const first = s.tasks[0];
      if (first) {
        const col = view.fieldColumn.get('number') ?? view.fieldColumn.get('task');
        const loc: Location = view.isTable ? view.location(first.source.sheet, first.source.row, col) : first.source;
        out.push(makeDiagnostic('section.missing', loc, {}, { locale }));
      }
      return;
    }
    const loc = sectionLocation(rc, s.source);
    const title = quote(s.title || s.numeral, 80);
    if (s.area === null) {
      out.push(makeDiagnostic('section.unknown-area', loc, { title, numeral: s.numeral }, { locale }));
      return;
    }
    const first = firstOfArea.get(s.area);
    if (first !== undefined) {
      out.push(
        makeDiagnostic(
          'section.duplicate-area',
          loc,
          { area: AREA_TITLES[s.area], first, title, code: s.area },
          { locale },
        ),
      );
      return;
    }
    firstOfArea.set(s.area, title);
    const index = AREA_ORDER.indexOf(s.area);
    if (index < 0) return;
    if (lastOrdered && index < lastOrdered.index) {
      out.push(
        makeDiagnostic(
          'section.out-of-order',
          loc,
          { title, area: AREA_TITLES[s.area], previous: lastOrdered.title, expected, code: s.area },
          { locale },
        ),
      );
    } else {
      lastOrdered = { index, title };
    }
  });
};

checkSections.inputs = (rc) => {
  let k = `${rc.view.isTable}\u0001${rc.view.fieldColumn.get('number') ?? ''}\u0001${rc.view.fieldColumn.get('task') ?? ''}\u0001`;
  for (const s of rc.annex.sections) {
    const first = s.tasks[0]?.source;
    const row = rc.view.gridRow(s.source.sheet, s.source.row);
    const col = row ? row.cells.findIndex((c) => c.text.trim() !== '') : -1;
    const src = s.source;
    k += `${s.numeral}\u0001${s.title}\u0001${s.area}\u0001${src.sheet}:${src.row}:${src.column ?? ''}:${src.cell ?? ''}:${src.line ?? ''}\u0001${col}\u0001${first ? `${first.sheet}:${first.row}` : ''}\u0002`;
  }
  return k;
};

/** A section's location, pointing at its title cell when the reader did not give a cell. */
function sectionLocation(rc: Parameters<TableRule>[0], source: Location): Location {
  if (source.cell || !rc.view.isTable) return source;
  const row = rc.view.gridRow(source.sheet, source.row);
  const col = row ? row.cells.findIndex((c) => c.text.trim() !== '') + 1 : 0;
  return col > 0 ? rc.view.location(source.sheet, source.row, col) : source;
}
