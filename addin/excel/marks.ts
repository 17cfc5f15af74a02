// The add-in's marks on the sheet: a separate, removable layer that never touches the officer's own
// formatting. Cell colours are conditional formats whose (always true) formula carries a tag, one
// per severity over all marked cells; the message goes into a cell note whose text starts with the
// same tag (only where the cell has no note of the officer's). Ids and note cells are remembered in
// the document settings so the layer can be removed cleanly, even in a later session.
import type { Diagnostic, Severity } from '../../engine/index.js';
import { compactAreas } from '../../engine/index.js';
import { MARK_COLORS, NOTE_PREFIX, SEVERITIES, isOurFormula, markFormula, planMarks } from '../../clients/marks.js';
import { ALL_CAPABILITIES, type Capabilities, type DocumentSettings, probeNotes } from './host.js';

// Mark planning (which cell gets which colour and note text) is shared with the Sheets add-on and the marked copy.
export { MARK_COLORS, NOTE_PREFIX, markFormula, planMarks };
const SETTINGS_KEY = 'phuluc.marks';
/** Excel caps formula/address strings; stay well below with chunks of areas. */
const AREAS_PER_FORMAT = 200;

export interface SheetMarks {
  /** Conditional format ids per severity. */
  formats: Record<Severity, string[]>;
  /** The area list each severity's formats cover (to skip rewriting unchanged layers). */
  areas: Record<Severity, string>;
  /** Cells holding our notes → note text. */
  notes: Record<string, string>;
}

const emptyMarks = (): SheetMarks => ({
  formats: { error: [], warning: [], info: [] },
  areas: { error: '', warning: '', info: '' },
  notes: {},
});

export { compactAreas };

/** A sheet by id (stable across renames and sessions) and name (what diagnostics refer to). */
export type SheetRef = string | { id: string; name: string };
const refOf = (s: SheetRef) => (typeof s === 'string' ? { key: s, name: s } : { key: s.id, name: s.name });

export class MarkLayer {
  private state = new Map<string, SheetMarks>();

  constructor(
    private settings: DocumentSettings,
    private caps: Capabilities = ALL_CAPABILITIES,
  ) {
    const saved = settings.get(SETTINGS_KEY) as Record<string, SheetMarks> | null;
    if (saved && typeof saved === 'object')
      for (const [k, v] of Object.entries(saved)) this.state.set(k, { ...emptyMarks(), ...v });
  }

  marks(sheet: SheetRef): SheetMarks {
    return this.state.get(refOf(sheet).key) ?? emptyMarks();
  }

  /**
   * Queues the colour layer for `diagnostics` on `sheetName` into `ctx` (no sync). `existingIds`
   * are the conditional formats present on the sheet (read in the same pass), so formats the
   * officer deleted by hand are not deleted twice. Returns a function to call after the sync.
   */
  queueColours(
    ctx: Excel.RequestContext,
    sheet: SheetRef,
    diagnostics: Diagnostic[],
    existingIds: Set<string>,
  ): () => void {
    const { key, name: sheetName } = refOf(sheet);
    const ws = ctx.workbook.worksheets.getItem(key);
    const current = this.marks(sheet);
    const next: SheetMarks = { formats: { ...current.formats }, areas: { ...current.areas }, notes: current.notes };
    const { cells } = planMarks(diagnostics, sheetName);
    const created: { severity: Severity; cf: Excel.ConditionalFormat }[] = [];
    const whole = ws.getRange().conditionalFormats;
    for (const severity of SEVERITIES) {
      const areas = compactAreas(cells[severity]);
      const signature = areas.join(',');
      const stillThere = current.formats[severity].every((id) => existingIds.has(id));
      if (signature === current.areas[severity] && stillThere) continue;
      for (const id of current.formats[severity]) if (existingIds.has(id)) whole.getItem(id).delete();
      next.formats[severity] = [];
      next.areas[severity] = signature;
      // Several areas in one format need Worksheet.getRanges (ExcelApi 1.9); Excel 2019 gets one per area.
      const step = this.caps.multiAreaRanges ? AREAS_PER_FORMAT : 1;
      for (let i = 0; i < areas.length; i += step) {
        const chunk = areas.slice(i, i + step).join(',');
        const target = this.caps.multiAreaRanges ? ws.getRanges(chunk) : ws.getRange(chunk);
        const cf = target.conditionalFormats.add(
          Excel.ConditionalFormatType?.custom ?? ('Custom' as Excel.ConditionalFormatType),
        );
        cf.custom.rule.formula = markFormula(severity);
        cf.custom.format.fill.color = MARK_COLORS[severity];
        cf.load('id');
        created.push({ severity, cf });
      }
    }
    const changed = SEVERITIES.some(
      (sev) => next.areas[sev] !== current.areas[sev] || next.formats[sev] !== current.formats[sev],
    );
    return () => {
      if (!changed && this.state.has(key)) return; // nothing new to remember: no settings write
      for (const { severity, cf } of created) next.formats[severity].push(cf.id);
      this.state.set(key, next);
      this.persist();
    };
  }

  /**
   * Brings the notes in line with the diagnostics: two syncs (probe the cells, then write), run
   * after the colour layer when the officer pauses, so it never adds round trips to an edit.
   */
  async syncNotes(
    excel: { run: <T>(b: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T> },
    sheet: SheetRef,
    diagnostics: Diagnostic[],
  ): Promise<{ added: number; removed: number; skipped: number }> {
    const { key } = refOf(sheet);
    const wanted: Record<string, string> = Object.fromEntries(planMarks(diagnostics, refOf(sheet).name).notes);
    const current = this.marks(sheet);
    const touched = [...new Set([...Object.keys(wanted), ...Object.keys(current.notes)])].filter(
      (c) => wanted[c] !== current.notes[c],
    );
    // No notes before ExcelApi 1.18: the issues stay in the pane.
    if (!touched.length || !this.caps.notes) return { added: 0, removed: 0, skipped: 0 };
    return excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem(key);
      const probes = probeNotes(ws, touched);
      await ctx.sync();
      const notes = { ...current.notes };
      let added = 0;
      let removed = 0;
      let skipped = 0;
      for (const { cell, n } of probes) {
        const ours = !n.isNullObject && n.content.startsWith(NOTE_PREFIX);
        const foreign = !n.isNullObject && !ours;
        if (foreign) {
          // The officer's own note: never overwritten.
          delete notes[cell];
          if (wanted[cell]) skipped++;
          continue;
        }
        if (wanted[cell]) {
          if (ours) n.content = wanted[cell];
          else ws.notes.add(cell, wanted[cell]);
          notes[cell] = wanted[cell];
          added++;
        } else {
          if (ours) {
            n.delete();
            removed++;
          }
          delete notes[cell];
        }
      }
      ctx.runtime.enableEvents = false;
      ctx.runtime.enableEvents = true;
      await ctx.sync();
      this.state.set(key, { ...this.marks(sheet), notes });
      this.persist();
      return { added, removed, skipped };
    });
  }

  /** Removes every mark of ours from a sheet: formats by tag (even unknown ids), notes by prefix. */
  async clear(
    excel: { run: <T>(b: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T> },
    sheet: SheetRef,
  ): Promise<{ formats: number; notes: number }> {
    const { key } = refOf(sheet);
    return excel.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem(key);
      const all = ws.getRange().conditionalFormats.load('items/id,items/type');
      const current = this.marks(sheet);
      const noteProbes = probeNotes(ws, this.caps.notes ? Object.keys(current.notes) : []);
      await ctx.sync();
      const customs = all.items.filter((cf) => cf.type === 'Custom');
      for (const cf of customs) cf.load('custom/rule/formula');
      await ctx.sync();
      let formats = 0;
      for (const cf of customs) {
        if (isOurFormula(cf.custom.rule.formula)) {
          cf.delete();
          formats++;
        }
      }
      let notes = 0;
      for (const { n } of noteProbes) {
        if (!n.isNullObject && n.content.startsWith(NOTE_PREFIX)) {
          n.delete();
          notes++;
        }
      }
      await ctx.sync();
      this.state.delete(key);
      this.persist();
      return { formats, notes };
    });
  }

  /** Forgets a sheet's layer (after a full re-read found its formats gone). */
  forget(sheet: SheetRef): void {
    this.state.delete(refOf(sheet).key);
  }

  private persist(): void {
    this.settings.set(SETTINGS_KEY, Object.fromEntries(this.state));
    this.settings.saveAsync();
  }
}
