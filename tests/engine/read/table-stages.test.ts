// readTable's stages used on their own: a section re-assembled from the records of a read equals the
// section of that read and reuses its unchanged tasks (what an incremental re-read builds on).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textToGrid } from '../../../engine/read/index.js';
import { findHeader } from '../../../engine/read/header.js';
import { assembleSection, readTable } from '../../../engine/read/table.js';
import { defaultDirectory } from '../../../data/index.js';

const seedsDir = fileURLToPath(new URL('../../../seeds/', import.meta.url));
const directory = defaultDirectory();

describe('readTable stages', () => {
  it('re-assembles one section from the records alone, reusing its built tasks', () => {
    for (const prefix of ['000', '001', '002', '004']) {
      const file = readdirSync(seedsDir).find((f) => f.startsWith(`${prefix}_`))!;
      const grid = textToGrid(readFileSync(join(seedsDir, file), 'utf8'), file);
      const header = findHeader(grid)!;
      const result = readTable(header, { agencies: { directory, at: {} } });
      expect(result.records.length).toBe(result.sections.length);
      const k = result.sections.length - 1;
      const again = assembleSection(result.scope, result.records[k]);
      expect(again).toEqual(result.sections[k]);
      // Same row objects with the same cells: the very task objects of the read come back.
      again.tasks.forEach((t, i) => expect(t).toBe(result.sections[k].tasks[i]));
      // A changed cell in that section's first task row: that task is rebuilt, the others reused.
      const rec = result.records[k].tasks[0].rec;
      const taskCol = header.fieldCol.task!;
      rec.cells = rec.cells.slice();
      rec.cells[taskCol] = 'Nhiệm vụ đã sửa';
      rec.obj = { ...rec.obj };
      const edited = assembleSection(result.scope, result.records[k]);
      expect(edited.tasks[0].task).toBe('Nhiệm vụ đã sửa');
      edited.tasks.slice(1).forEach((t, i) => expect(t).toBe(result.sections[k].tasks[i + 1]));
    }
  });
});
