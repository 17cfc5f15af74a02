// exceljs always writes Calibri 11 as the workbook's default ("Normal" style) font and has no option to
// change it. The default font matters: Excel and LibreOffice measure column widths in its digit width
// and give it to every cell typed later. This sets it to the official font on the written bytes.
import JSZip from 'jszip';
import { OFFICIAL_STYLE } from './official-style.js';

/** Rewrites the first font of xl/styles.xml (the Normal style's) to `name` at `size` points. */
export async function setDefaultXlsxFont(
  xlsx: Uint8Array,
  name: string = OFFICIAL_STYLE.font,
  size: number = OFFICIAL_STYLE.sizes.body,
): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const entry = zip.file('xl/styles.xml');
  if (!entry) throw new Error('setDefaultXlsxFont: the workbook has no xl/styles.xml');
  const xml = await entry.async('string');
  const font = `<font><sz val="${size}"/><color theme="1"/><name val="${name}"/><family val="1"/></font>`;
  const next = xml.replace(/(<fonts\b[^>]*>)\s*<font>[\s\S]*?<\/font>/, `$1${font}`);
  if (next === xml) throw new Error('setDefaultXlsxFont: no default font found in xl/styles.xml');
  zip.file('xl/styles.xml', next);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
