// Test helper: a seed text document (prose lines + tab-separated table rows) written as a real .docx
// with the `docx` library, the way the published Word originals look: prose paragraphs, the annex as
// table(s), and the table split across a page break (a second table that starts on a new page and
// repeats the header row).
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

export interface SeedDocx {
  bytes: Buffer;
  /** 0-based indices (in the seed's line list) after which a repeated header row was injected. */
  injectedHeaderAfter: number[];
}

const cell = (text: string, pageBreakBefore = false) =>
  new TableCell({
    children: [new Paragraph({ pageBreakBefore, children: [new TextRun(text)] })],
    width: { size: 0, type: WidthType.AUTO },
  });

/**
 * Prose lines → paragraphs; runs of tab lines → tables. Every table starts a new table at each repeated
 * header line (page break in the original); a table without one is split in the middle with an
 * injected header row, so every seed exercises the "continued across pages" path.
 */
export async function seedToDocx(text: string): Promise<SeedDocx> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const children: (Paragraph | Table)[] = [];
  const injectedHeaderAfter: number[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i].includes('\t')) {
      children.push(new Paragraph({ children: [new TextRun(lines[i])] }));
      i++;
      continue;
    }
    const start = i;
    while (i < lines.length && lines[i].includes('\t')) i++;
    const block = lines.slice(start, i).map((l) => l.split('\t'));
    const header = block[0].join('\t');
    const pieces: { rows: string[][]; pageBreak: boolean }[] = [{ rows: [], pageBreak: false }];
    const hasRepeat = block.slice(1).some((r) => r.join('\t') === header);
    const mid = Math.floor(block.length / 2);
    block.forEach((r, k) => {
      if (k > 0 && r.join('\t') === header) pieces.push({ rows: [], pageBreak: true });
      if (!hasRepeat && k === mid && block.length > 4) {
        pieces.push({ rows: [header.split('\t')], pageBreak: true });
        injectedHeaderAfter.push(start + k - 1);
      }
      pieces[pieces.length - 1].rows.push(r);
    });
    for (const piece of pieces) {
      children.push(
        new Table({
          // A table width and column grid: without them LibreOffice lays the table out a few points wide
          // and its text is lost when the docx is converted to PDF.
          width: { size: 100, type: WidthType.PERCENTAGE },
          columnWidths: piece.rows[0].map(() => Math.floor(9000 / piece.rows[0].length)),
          rows: piece.rows.map(
            (r, k) =>
              new TableRow({
                tableHeader: k === 0,
                children: r.map((t, c) => cell(t, piece.pageBreak && k === 0 && c === 0)),
              }),
          ),
        }),
      );
    }
  }
  const doc = new Document({ sections: [{ children }] });
  return { bytes: await Packer.toBuffer(doc), injectedHeaderAfter };
}
