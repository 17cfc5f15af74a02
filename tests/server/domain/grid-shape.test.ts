// Grids from a submission body are copied into the shapes the engine's session makes (server/parse/grid-shape.ts),
// key by key. A key the contract gains later and the copy does not know would be dropped from what an officer sent:
// these tests hold the copy to the schemas themselves.
import { describe, expect, it } from 'vitest';
import { GridCellSchema, GridRowSchema, GridSchema, type Grid } from '../../../engine/model.js';
import { gridsOf } from '../../../server/parse/grid-shape.js';

/** A grid with every key of every schema set, in the schemas' order (as the contract's parse gives them). */
function fullGrid(): Grid {
  const cell = GridCellSchema.parse({ text: 'Sở Nội vụ', formula: 'A1&""', mergedInto: 'B3' });
  const row = GridRowSchema.parse({ index: 3, cells: [cell, { text: '' }] });
  return GridSchema.parse({
    sheet: 'Phụ lục',
    kind: 'sheet',
    rows: [row, { index: 4, cells: [] }],
    merges: ['B3:C3'],
    encoding: 'windows-1258',
    format: 'pdf',
    tables: [{ first: 3, last: 4 }],
  });
}

describe('grids of one shape', () => {
  it('copies every key the schemas have, in their order', () => {
    const grid = fullGrid();
    // Every key of each schema is set above: a key added to a schema and not here fails first.
    expect(Object.keys(grid)).toEqual(Object.keys(GridSchema.shape));
    expect(Object.keys(grid.rows[0])).toEqual(Object.keys(GridRowSchema.shape));
    expect(Object.keys(grid.rows[0].cells[0])).toEqual(Object.keys(GridCellSchema.shape));
    const [copy] = gridsOf([grid]);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(grid));
  });

  it('copies rows and cells, so an edit of the copy leaves the body as it was', () => {
    const grid = fullGrid();
    const [copy] = gridsOf([grid]);
    expect(copy.rows).not.toBe(grid.rows);
    expect(copy.rows[0]).not.toBe(grid.rows[0]);
    expect(copy.rows[0].cells[0]).not.toBe(grid.rows[0].cells[0]);
    copy.rows[0].cells[0].text = 'Sở Tư pháp';
    expect(grid.rows[0].cells[0].text).toBe('Sở Nội vụ');
  });
});
