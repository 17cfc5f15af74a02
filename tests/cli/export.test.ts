// `annex export`: each seed annex written as .docx, .xlsx and .csv reads back to the same sections and tasks.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAnnex, textToGrid } from '../../engine/index.js';
import { readFileToGrids } from '../../io/read.js';
import { ANNEX, ensureRuntime } from '../support/runtime.js';

const ROOT = join(import.meta.dirname, '..', '..');

// The bundle users run (package.json "bin"), rebuilt first if a source changed.
beforeAll(ensureRuntime);
const OUT = join(ROOT, 'test-output', 'cli-export');

function annex(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ANNEX, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

const shape = (grids: Parameters<typeof readAnnex>[0]) =>
  readAnnex(grids).annex.sections.map((s) => [s.area, s.tasks.map((t) => t.task)]);

describe('annex export', () => {
  mkdirSync(OUT, { recursive: true });
  const seed = 'seeds/002_2bb1168879fd1a86.txt';
  const want = shape([textToGrid(readFileSync(join(ROOT, seed), 'utf8'), seed)]);

  for (const format of ['docx', 'xlsx', 'csv']) {
    it(`writes a .${format} that reads back to the same sections and tasks`, async () => {
      const out = join(OUT, `002.${format}`);
      const run = await annex('export', seed, '--out', out);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/7 mục, 55 nhiệm vụ/);
      const grids = await readFileToGrids(readFileSync(out), out);
      expect(shape(grids)).toEqual(want);
    }, 120_000);
  }

  it('refuses an output it cannot write with exit 2 and no stack trace', async () => {
    const run = await annex('export', seed, '--out', join(OUT, 'x.pdf'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\.docx, \.xlsx hoặc \.csv/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
