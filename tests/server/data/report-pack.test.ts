// The packed stored form of a consolidated report gives back exactly the report it packed: the same JSON text, key
// for key and in the same order, so every download (xlsx, docx, csv, json) and the dashboard show the same thing.
// Reports stored before packing (plain JSON, compressed or as text) are still read as they were.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultDirectory } from '../../../data/index.js';
import {
  consolidate,
  readAnnex,
  textToGrid,
  type Consolidated,
  type ConsolidationInput,
} from '../../../engine/index.js';
import { writeConsolidatedDocx } from '../../../io/docx-write.js';
import { consolidatedOf, packedConsolidated } from '../../../server/data/reports.js';
import { packConsolidated, packSummary, unpackConsolidated, unpackSummary } from '../../../server/data/report-pack.js';
import { consolidatedToCsv, consolidatedToJson, writeConsolidatedXlsx } from '../../../server/report/index.js';
import { zipParts } from '../../support/zip.js';

const SEEDS = [
  '000_683635a77beddbc9.txt',
  '001_03fdc25defdea198.txt',
  '002_2bb1168879fd1a86.txt',
  '004_065c492f3d915851.txt',
];
const directory = defaultDirectory();
const annexes = SEEDS.map((file) => {
  const text = readFileSync(join(import.meta.dirname, '../../../seeds', file), 'utf8');
  return readAnnex([textToGrid(text, file)], { directory }).annex;
});
const inputs: ConsolidationInput[] = annexes.map((annex, i) => ({
  agencyId: `nam-dinh.agency-${i + 1}`,
  agencyName: `Cơ quan ${i + 1}`,
  ...(annex.meta.docNumber ? { docNumber: annex.meta.docNumber } : {}),
  ...(annex.meta.docDate ? { docDate: annex.meta.docDate } : {}),
  annex,
  version: i + 1,
  submissionId: `sub-${i + 1}`,
}));
const ctx = { directory, province: 'nam-dinh', date: '2023-06-01', today: '2023-09-01', planYear: 2023 };

/** The seed round as built, with two groups merged by a reviewer, and against a provincial plan. */
function reports(): [string, Consolidated][] {
  const plain = consolidate(inputs, ctx);
  const decisions = plain.candidates.slice(0, 2).map((g) => ({
    group: g.id,
    action: 'merge' as const,
    members: g.members.map((m) => ({ agencyId: m.source.agencyId, task: m.task })),
  }));
  const merged = consolidate(inputs, { ...ctx, decisions });
  const planned = consolidate(inputs.slice(1), { ...ctx, planAnnex: annexes[0], decisions });
  return [
    ['as built', plain],
    ['with merges', merged],
    ['against a plan', planned],
  ];
}

describe('packed consolidated report', () => {
  const all = reports();

  it('covers merges, coverage, conflicts and overdue tasks (what the packing refers to)', () => {
    const [, merged] = all[1];
    const [, planned] = all[2];
    expect(merged.duplicates.length).toBe(2);
    expect(planned.coverage!.items.some((it) => it.takenUpBy.length)).toBe(true);
    expect(all[0][1].summary.overdue.length).toBeGreaterThan(0);
    expect(all[0][1].candidates.length).toBeGreaterThan(2);
  });

  for (const [name, c] of all.map((x, i) => [x[0], i] as const)) {
    it(`gives back the same report, ${name}`, () => {
      const report = all[c][1];
      const text = JSON.stringify(report);
      const packed = JSON.stringify(packConsolidated(report));
      expect(JSON.stringify(unpackConsolidated(JSON.parse(packed)))).toBe(text);
      // Group members and overdue tasks are referred to, agencies are a table: the stored form is smaller.
      expect(packed).toContain('"$ref"');
      expect(packed.length).toBeLessThan(text.length * 0.7);
    });

    it(`gives the same xlsx, docx, csv and json, ${name}`, async () => {
      const before = JSON.parse(JSON.stringify(all[c][1])) as Consolidated;
      const after = await consolidatedOf({
        consolidated_json: '',
        consolidated_gz: (await packedConsolidated(all[c][1])).gz,
      });
      expect(consolidatedToCsv(after)).toBe(consolidatedToCsv(before));
      expect(JSON.stringify(consolidatedToJson(after))).toBe(JSON.stringify(consolidatedToJson(before)));
      expect(await zipParts(await writeConsolidatedXlsx(after, {}))).toEqual(
        await zipParts(await writeConsolidatedXlsx(before, {})),
      );
      expect(await zipParts(await writeConsolidatedDocx(after, { title: 'T' }))).toEqual(
        await zipParts(await writeConsolidatedDocx(before, { title: 'T' })),
      );
    });
  }

  it("stores a report's summary with its overdue tasks' sources packed, and reads one stored before", () => {
    for (const [, c] of all) {
      const summary = { reportId: 'r', summary: c.summary, stats: c.stats };
      const text = JSON.stringify(summary);
      expect(c.summary.overdue.length).toBeGreaterThan(0);
      const packed = JSON.stringify(packSummary(summary));
      expect(packed.length).toBeLessThan(text.length * 0.8);
      expect(JSON.stringify(unpackSummary(JSON.parse(packed)))).toBe(text);
      expect(JSON.stringify(unpackSummary(JSON.parse(text)))).toBe(text);
    }
  });

  it('reads reports stored before packing: plain JSON, compressed or as text', async () => {
    const report = all[1][1];
    const text = JSON.stringify(report);
    const gz = await consolidatedOf({ consolidated_json: '', consolidated_gz: gzipSync(text) });
    expect(JSON.stringify(gz)).toBe(text);
    const asText = await consolidatedOf({ consolidated_json: text, consolidated_gz: null });
    expect(JSON.stringify(asText)).toBe(text);
  });

  it('keeps a source or a member whole when it is not the engine shape', () => {
    const report = JSON.parse(JSON.stringify(all[0][1])) as Consolidated;
    // Parsed from JSON, members no longer share the task's source object: nothing is referred to, nothing lost.
    const odd = report.sections[0].tasks[0];
    (odd.source as unknown as Record<string, unknown>).extra = 'x';
    const text = JSON.stringify(report);
    const packed = packConsolidated(report);
    expect(JSON.stringify(unpackConsolidated(JSON.parse(JSON.stringify(packed))))).toBe(text);
  });
});
