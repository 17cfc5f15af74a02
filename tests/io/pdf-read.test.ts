// PDF files: a text PDF that LibreOffice prints from a seed's Word file reads the same as the Word file;
// a PDF without a text layer (a scan) is refused with a Vietnamese message that names the fix.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Annex } from '../../engine/model.js';
import { readAnnex } from '../../engine/read/index.js';
import { readFileDetailed, readFileToGrids } from '../../io/read.js';
import { InputError } from '../../io/errors.js';
import { defaultDirectory } from '../../data/index.js';
import { SEEDS_DIR } from './helpers.js';
import { seedToDocx } from './docx-seed.js';

const hasSoffice = spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;
const directory = defaultDirectory();

function reading(annex: Annex) {
  return annex.sections.map((s) => ({
    section: `${s.numeral}|${s.title}`,
    tasks: s.tasks.map((t) => ({
      number: t.number,
      task: t.task,
      lead: t.lead.map((a) => a.text),
      support: t.support.map((a) => a.text),
      timeline: t.timeline.text,
      products: t.products.map((p) => p.text),
    })),
  }));
}

/** A one-page PDF with nothing but a drawn rectangle: what a scanner's image-only PDF gives the reader. */
function pdfWithoutText(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  ];
  const stream = '0.5 g 50 50 495 742 re f';
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  offsets.push(pdf.length);
  pdf += `4 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n`;
  const xref = pdf.length;
  pdf += `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

describe('PDF input', () => {
  it('refuses a PDF without text, naming the Word or Excel file as the fix', async () => {
    const err = await readFileToGrids(pdfWithoutText(), 'ke-hoach-scan.pdf').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.code).toBe('input.pdf-no-text');
    expect(e.messageVi).toContain('PDF quét');
    expect(e.hint).toContain('Word (.docx) hoặc Excel (.xlsx)');
  });

  it.skipIf(!hasSoffice)(
    'a text PDF of a seed reads the same as its docx',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'phuluc-pdf-'));
      const seeds = ['002', '004'];
      for (const k of seeds) {
        const file = readdirSync(SEEDS_DIR).find((f) => f.startsWith(`${k}_`))!;
        writeFileSync(join(dir, `${k}.docx`), (await seedToDocx(readFileSync(join(SEEDS_DIR, file), 'utf8'))).bytes);
      }
      const run = spawnSync(
        'soffice',
        ['--headless', '--convert-to', 'pdf', '--outdir', dir, ...seeds.map((k) => join(dir, `${k}.docx`))],
        {
          stdio: 'ignore',
          timeout: 120_000,
        },
      );
      expect(run.status).toBe(0);
      for (const k of seeds) {
        const docx = readAnnex(await readFileToGrids(readFileSync(join(dir, `${k}.docx`)), `${k}.docx`), { directory });
        const pdf = await readFileDetailed(readFileSync(join(dir, `${k}.pdf`)), `${k}.pdf`);
        expect(pdf.kind).toBe('pdf');
        const fromPdf = readAnnex(pdf.grids, { directory });
        expect(fromPdf.annex.meta.docNumber).toBe(docx.annex.meta.docNumber);
        const a = reading(docx.annex);
        const b = reading(fromPdf.annex);
        // Seed 004's PDF splits a repeated header row across a page break (its start, the header Word repeats on the
        // next page, then the rest): read as header, not as the open task's lead.
        expect(b).toEqual(a);
        expect(fromPdf.diagnostics.some((d) => d.code === 'document.pdf')).toBe(true);
      }
    },
    180_000,
  );
});
