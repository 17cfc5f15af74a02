// Shared by the io tests: seeds on disk and an annex comparison that ignores where values came from
// by sheet name only (a text file's grid is named after the file, an xlsx sheet after the sheet).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Annex } from '../../engine/model.js';

export const SEEDS_DIR = join(import.meta.dirname, '..', '..', 'seeds');

export const seeds = readdirSync(SEEDS_DIR)
  .filter((f) => /^\d{3}_.*\.txt$/.test(f))
  .sort()
  .map((name) => ({ name, bytes: readFileSync(join(SEEDS_DIR, name)) }));

/** The annex with every `sheet` (and text-only `line`) removed from locations and meta. */
export function withoutSheet(annex: Annex): unknown {
  return JSON.parse(JSON.stringify(annex, (key, value) => (key === 'sheet' || key === 'line' ? undefined : value)));
}

/** Counts that make a failure message readable before the deep diff. */
export function shape(annex: Annex): string {
  const tasks = annex.sections.flatMap((s) => s.tasks);
  return `${annex.sections.length}/${tasks.length}/${tasks.reduce((a, t) => a + t.products.length, 0)}`;
}

export const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal xlsx as another tool would write it: no styles, no shared strings unless given. */
export async function xlsx(
  sheetXml: string,
  opts: { styles?: string; sheets?: { name: string; xml: string }[] } = {},
): Promise<Uint8Array> {
  const zip = new JSZip();
  const sheets = opts.sheets ?? [{ name: 'Phụ lục', xml: sheetXml }];
  zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  zip.file(
    '_rels/.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  zip.file(
    'xl/workbook.xml',
    `<workbook xmlns="${NS}" xmlns:r="${R}"><sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="s${i + 1}"/>`).join('')}</sheets></workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_s, i) => `<Relationship Id="s${i + 1}" Type="${R}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}${opts.styles ? `<Relationship Id="st" Type="${R}/styles" Target="styles.xml"/>` : ''}</Relationships>`,
  );
  sheets.forEach((s, i) => zip.file(`xl/worksheets/sheet${i + 1}.xml`, s.xml));
  if (opts.styles) zip.file('xl/styles.xml', opts.styles);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A worksheet part with these rows, and what follows sheetData (merges…). */
export const sheet = (rows: string, tail = '') =>
  `<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData>${tail}</worksheet>`;

/** A header row "STT | Nhiệm vụ" in inline strings. */
export const HEADER =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c><c r="B1" t="inlineStr"><is><t>Nhiệm vụ</t></is></c></row>';
