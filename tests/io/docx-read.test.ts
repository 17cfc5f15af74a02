import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import {
  AlignmentType,
  Document,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  Tab,
  TextRun,
  VerticalMergeType,
} from 'docx';
import { readDocxToGrids } from '../../io/docx-read.js';
import { InputError } from '../../io/errors.js';
import { readFileToGrids } from '../../io/read.js';
import { readAnnex, textToGrid, type Annex, type Grid } from '../../engine/index.js';
import { seedToDocx } from './docx-seed.js';

const seedsDir = fileURLToPath(new URL('../../seeds/', import.meta.url));
const seeds = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

const texts = (g: Grid) => g.rows.map((r) => r.cells.map((c) => c.text));

/** What an officer sees of an annex: structure and values, without source locations. */
function shape(a: Annex) {
  return a.sections.map((s) => ({
    numeral: s.numeral,
    title: s.title,
    area: s.area,
    tasks: s.tasks.map((t) => ({
      number: t.number,
      task: t.task,
      products: t.products.map((p) => ({
        number: p.number,
        text: p.text,
        lead: p.lead.map((x) => x.text),
        timeline: p.timeline?.text,
      })),
      lead: t.lead.map((x) => x.text),
      support: t.support.map((x) => x.text),
      monitor: t.monitor?.map((x) => x.text),
      approval: t.approval,
      timeline: { kind: t.timeline.kind, due: t.timeline.due, text: t.timeline.text },
    })),
  }));
}

describe('readDocxToGrids: seeds written as Word documents', () => {
  it('finds the five seeds', () => {
    expect(seeds).toHaveLength(5);
  });

  for (const seed of seeds) {
    const text = readFileSync(seedsDir + seed, 'utf8');

    it(`${seed}: every prose line and table row comes back in order, cell by cell`, async () => {
      const { bytes, injectedHeaderAfter } = await seedToDocx(text);
      const [grid, ...more] = await readDocxToGrids(bytes, seed.replace('.txt', '.docx'));
      expect(more).toHaveLength(0);
      const expected = texts(textToGrid(text, seed));
      // an injected page-break header row is the only difference from the text
      const got = texts(grid).filter((_, k) => !injectedHeaderAfter.map((a, n) => a + 1 + n).includes(k));
      expect(got).toEqual(expected);
      expect(grid.rows.map((r) => r.index)).toEqual(grid.rows.map((_, k) => k + 1));
      expect(grid.kind).toBe(text.includes('\t') ? 'sheet' : 'text');
    });

    it(`${seed}: reads to the same annex as the text`, async () => {
      const { bytes } = await seedToDocx(text);
      const grids = await readDocxToGrids(bytes, seed.replace('.txt', '.docx'));
      const fromText = readAnnex([textToGrid(text, seed)]);
      const fromDocx = readAnnex(grids);
      expect(fromText.annex.sections.length).toBeGreaterThan(0);
      expect(shape(fromDocx.annex)).toEqual(shape(fromText.annex));
      expect(fromDocx.annex.meta.layout).toBe(fromText.annex.meta.layout);
      expect(fromDocx.annex.meta.planYear).toBe(fromText.annex.meta.planYear);
    });
  }
});

describe('readDocxToGrids behind the upload dispatcher', () => {
  it('a .docx upload (named anything) is recognised from its content and read by this reader', async () => {
    const text = readFileSync(seedsDir + seeds[0], 'utf8');
    const { bytes } = await seedToDocx(text);
    const direct = await readDocxToGrids(bytes, 'ke-hoach.docx');
    const viaUpload = await readFileToGrids(bytes, 'ke-hoach.docx');
    expect(viaUpload).toEqual(direct);
    expect(await readFileToGrids(bytes, 'tai-len-khong-duoi')).toEqual(
      direct.map((g) => ({ ...g, sheet: 'tai-len-khong-duoi' })),
    );
  });
});

describe('readDocxToGrids: Word structures', () => {
  it('merged cells: covered cells point to the first cell and ranges are listed', async () => {
    const c = (t: string, o: Record<string, unknown> = {}) => new TableCell({ children: [new Paragraph(t)], ...o });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('Tiêu đề'),
            new Table({
              rows: [
                new TableRow({ children: [c('STT'), c('Nhiệm vụ'), c('Sản phẩm'), c('Cơ quan chủ trì')] }),
                new TableRow({ children: [c('I'), c('Cải cách thể chế', { columnSpan: 3 })] }),
                new TableRow({
                  children: [
                    c('1', { rowSpan: 2 }),
                    c('Rà soát', { rowSpan: 2 }),
                    c('1.1. Báo cáo'),
                    c('Sở Tư pháp', { rowSpan: 3 }),
                  ],
                }),
                new TableRow({ children: [c('1.2. Danh mục')] }),
                new TableRow({ children: [c('2'), c('Kiểm tra'), c('Kế hoạch')] }),
              ],
            }),
          ],
        },
      ],
    });
    const [g] = await readDocxToGrids(await Packer.toBuffer(doc), 'gop.docx');
    expect(texts(g)).toEqual([
      ['Tiêu đề'],
      ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì'],
      ['I', 'Cải cách thể chế', '', ''],
      ['1', 'Rà soát', '1.1. Báo cáo', 'Sở Tư pháp'],
      ['', '', '1.2. Danh mục', ''],
      ['2', 'Kiểm tra', 'Kế hoạch', ''],
    ]);
    expect(g.rows[2].cells.map((x) => x.mergedInto)).toEqual([undefined, undefined, 'B3', 'B3']);
    expect(g.rows[4].cells.map((x) => x.mergedInto)).toEqual(['A4', 'B4', undefined, 'D4']);
    expect(g.rows[5].cells[3].mergedInto).toBe('D4');
    expect(g.merges?.sort()).toEqual(['A4:A5', 'B3:D3', 'B4:B5', 'D4:D6'].sort());
  });

  it('a two-row header ("Cơ quan thực hiện" over "Chủ trì" / "Phối hợp") reads as lead and support columns', async () => {
    const c = (t: string, o: Record<string, unknown> = {}) => new TableCell({ children: [new Paragraph(t)], ...o });
    const doc = new Document({
      sections: [
        {
          children: [
            new Table({
              rows: [
                new TableRow({
                  children: [
                    c('STT', { rowSpan: 2 }),
                    c('Nhiệm vụ', { rowSpan: 2 }),
                    c('Sản phẩm', { rowSpan: 2 }),
                    c('Cơ quan thực hiện', { columnSpan: 2 }),
                    c('Thời gian thực hiện', { rowSpan: 2 }),
                  ],
                }),
                new TableRow({ children: [c('Chủ trì'), c('Phối hợp')] }),
                new TableRow({ children: [c('I'), c('Cải cách thể chế', { columnSpan: 5 })] }),
                new TableRow({
                  children: [
                    c('1'),
                    c('Rà soát văn bản'),
                    c('Báo cáo rà soát'),
                    c('Sở Tư pháp'),
                    c('Sở Nội vụ'),
                    c('Quý II/2026'),
                  ],
                }),
              ],
            }),
          ],
        },
      ],
    });
    const grids = await readDocxToGrids(await Packer.toBuffer(doc), 'hai-dong.docx');
    const { annex } = readAnnex(grids, { planYear: 2026 });
    expect(annex.meta.columns?.map((col) => col.field)).toEqual([
      'number',
      'task',
      'product',
      'lead',
      'support',
      'timeline',
    ]);
    expect(annex.sections).toHaveLength(1);
    const t = annex.sections[0].tasks[0];
    expect([t.task, t.products[0].text, t.lead[0].text, t.support[0].text, t.timeline.text]).toEqual([
      'Rà soát văn bản',
      'Báo cáo rà soát',
      'Sở Tư pháp',
      'Sở Nội vụ',
      'Quý II/2026',
    ]);
  });

  it('a vertical merge written with explicit continue cells ends where the column stops merging', async () => {
    const c = (t: string, v?: 'restart' | 'continue') =>
      new TableCell({
        children: [new Paragraph(t)],
        verticalMerge:
          v === 'restart' ? VerticalMergeType.RESTART : v === 'continue' ? VerticalMergeType.CONTINUE : undefined,
      });
    const doc = new Document({
      sections: [
        {
          children: [
            new Table({
              rows: [
                new TableRow({ children: [c('a', 'restart'), c('x')] }),
                new TableRow({ children: [c('', 'continue'), c('y')] }),
                new TableRow({ children: [c('b'), c('z')] }),
              ],
            }),
          ],
        },
      ],
    });
    const [g] = await readDocxToGrids(await Packer.toBuffer(doc), 'v.docx');
    expect(texts(g).slice(0, 3)).toEqual([
      ['a', 'x'],
      ['', 'y'],
      ['b', 'z'],
    ]);
    expect(g.merges).toEqual(['A1:A2']);
  });

  it('multi-paragraph cells are joined with line breaks; soft line breaks and tabs survive', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Table({
              rows: [
                new TableRow({
                  children: [
                    new TableCell({
                      children: [new Paragraph('Dòng một'), new Paragraph('Dòng hai'), new Paragraph('')],
                    }),
                    new TableCell({
                      children: [
                        new Paragraph({
                          children: [new TextRun('Quý I'), new TextRun({ text: 'năm 2026', break: 1 })],
                        }),
                      ],
                    }),
                    new TableCell({
                      children: [
                        new Paragraph({
                          children: [new TextRun('Sở'), new TextRun({ children: [new Tab(), 'Nội vụ'] })],
                        }),
                      ],
                    }),
                  ],
                }),
              ],
            }),
          ],
        },
      ],
    });
    const [g] = await readDocxToGrids(await Packer.toBuffer(doc), 'p.docx');
    expect(texts(g)[0]).toEqual(['Dòng một\nDòng hai', 'Quý I\nnăm 2026', 'Sở Nội vụ']);
  });

  it('automatic numbering typed by Word (I., 1., 1.1.) is put back in front of the text', async () => {
    const doc = new Document({
      numbering: {
        config: [
          {
            reference: 'nv',
            levels: [
              { level: 0, format: LevelFormat.UPPER_ROMAN, text: '%1.', alignment: AlignmentType.LEFT },
              { level: 1, format: LevelFormat.DECIMAL, text: '%2.', alignment: AlignmentType.LEFT },
              { level: 2, format: LevelFormat.DECIMAL, text: '%2.%3.', alignment: AlignmentType.LEFT },
            ],
          },
          {
            reference: 'dash',
            levels: [{ level: 0, format: LevelFormat.BULLET, text: '-', alignment: AlignmentType.LEFT }],
          },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ text: 'Công tác chỉ đạo', numbering: { reference: 'nv', level: 0 } }),
            new Paragraph({ text: 'Ban hành kế hoạch', numbering: { reference: 'nv', level: 1 } }),
            new Paragraph({ text: 'Kế hoạch năm', numbering: { reference: 'nv', level: 2 } }),
            new Paragraph({ text: 'Báo cáo', numbering: { reference: 'nv', level: 2 } }),
            new Paragraph({ text: 'Kiểm tra', numbering: { reference: 'nv', level: 1 } }),
            new Paragraph({ text: 'Cải cách thể chế', numbering: { reference: 'nv', level: 0 } }),
            new Paragraph({ text: 'Rà soát', numbering: { reference: 'nv', level: 1 } }),
            new Paragraph({ text: 'ý kiến', numbering: { reference: 'dash', level: 0 } }),
          ],
        },
      ],
    });
    const [g] = await readDocxToGrids(await Packer.toBuffer(doc), 'n.docx');
    expect(texts(g).map((r) => r[0])).toEqual([
      'I. Công tác chỉ đạo',
      '1. Ban hành kế hoạch',
      '1.1. Kế hoạch năm',
      '1.2. Báo cáo',
      '2. Kiểm tra',
      'II. Cải cách thể chế',
      '1. Rà soát',
      '- ý kiến',
    ]);
    expect(g.kind).toBe('text');
  });

  it('hidden text (w:vanish) is not read', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              children: [new TextRun('Sở Nội vụ'), new TextRun({ text: ' (ghi chú ẩn)', vanish: true })],
            }),
          ],
        },
      ],
    });
    const [g] = await readDocxToGrids(await Packer.toBuffer(doc), 'h.docx');
    expect(g.rows[0].cells[0].text).toBe('Sở Nội vụ');
  });

  it('tracked deletions are not read; insertions are', async () => {
    const zip = await JSZip.loadAsync(
      await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('x')] }] })),
    );
    const xml = (await zip.file('word/document.xml')!.async('string')).replace(
      /<w:body>[\s\S]*?(<w:sectPr)/,
      '<w:body><w:p><w:r><w:t xml:space="preserve">Sở </w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>Thông tin và Truyền thông</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>Khoa học và Công nghệ</w:t></w:r></w:ins></w:p>$1',
    );
    zip.file('word/document.xml', xml);
    const [g] = await readDocxToGrids(await zip.generateAsync({ type: 'uint8array' }), 't.docx');
    expect(g.rows[0].cells[0].text).toBe('Sở Khoa học và Công nghệ');
  });
});

describe('readDocxToGrids: bad input says what is wrong', () => {
  const codeOf = async (bytes: Uint8Array, name: string) => {
    try {
      await readDocxToGrids(bytes, name);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const err = e as InputError;
      expect(err.message).toContain(name);
      return err.code;
    }
    throw new Error('no error thrown');
  };

  it('a Word 97–2003 .doc is recognised and the officer is told to save as .docx', async () => {
    const doc = new Uint8Array(1024);
    doc.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await codeOf(doc, 'ke-hoach.doc')).toBe('input.legacy-office');
  });

  it('random bytes are not a Word document', async () => {
    expect(await codeOf(new TextEncoder().encode('không phải docx'), 'x.docx')).toBe('input.unreadable');
  });

  it('a zip without a Word body (e.g. an xlsx renamed .docx)', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    expect(await codeOf(await zip.generateAsync({ type: 'uint8array' }), 'doi-duoi.docx')).toBe('input.zip-not-office');
  });

  it('a damaged document.xml names the part', async () => {
    const zip = await JSZip.loadAsync(
      await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('x')] }] })),
    );
    zip.file(
      'word/document.xml',
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>',
    );
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    await expect(readDocxToGrids(bytes, 'hong.docx')).rejects.toThrow(/word\/document\.xml/);
  });

  it('an empty document', async () => {
    const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('')] }] }));
    expect(await codeOf(bytes, 'trong.docx')).toBe('input.empty');
  });
});
