// Text copied from web pages: "|" cell lines, "| a | b |" rows, **bold** marks, hard-wrapped lines and page
// furniture read the same as the workbook of the same table; a prose directive gives its numbered assignments.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Annex, Grid } from '../../../engine/model.js';
import { readAnnex, textToGrid } from '../../../engine/read/index.js';
import { looksLikeWebText, stripEmphasis } from '../../../engine/read/web.js';
import { writeGridsXlsx } from '../../../io/xlsx-write.js';
import { readFileToGrids } from '../../../io/read.js';
import { defaultDirectory } from '../../../data/index.js';

const shapes = fileURLToPath(new URL('./shapes/', import.meta.url));
const seedsDir = fileURLToPath(new URL('../../../seeds/', import.meta.url));
const text = (name: string) => readFileSync(shapes + name, 'utf8');
const directory = defaultDirectory();

/** A TSV document as the sheet a workbook of it holds. */
function tsvSheet(tsv: string): Grid {
  const lines = tsv.replace(/\n$/, '').split('\n');
  return {
    sheet: 'Phụ lục',
    kind: 'sheet',
    rows: lines.map((l, i) => ({ index: i + 1, cells: l.split('\t').map((t) => ({ text: t })) })),
  };
}

/** What an officer reads: sections, parts and every task's number, text, agencies, timeline, products, group. */
function reading(annex: Annex) {
  return annex.sections.map((s) => ({
    section: `${s.part?.numeral ?? ''}|${s.numeral}|${s.title}`,
    tasks: s.tasks.map((t) => ({
      number: t.number,
      task: t.task,
      lead: t.lead.map((a) => a.text),
      support: t.support.map((a) => a.text),
      timeline: t.timeline.text,
      products: t.products.map((p) => p.text),
      group: t.group,
      extra: t.extra,
    })),
  }));
}

async function viaXlsx(tsv: string): Promise<Annex> {
  const bytes = await writeGridsXlsx([tsvSheet(tsv)]);
  return readAnnex(await readFileToGrids(bytes, 'phu-luc.xlsx'), { directory }).annex;
}

describe('web-copied tables', () => {
  it('the "|" cell-per-line copy of the outline reads the same as its xlsx', async () => {
    const web = readAnnex([textToGrid(text('outline.web.txt'), 'outline.web.txt')], { directory });
    const xlsx = await viaXlsx(text('outline.tsv'));
    expect(reading(xlsx).flatMap((s) => s.tasks)).toHaveLength(11);
    expect(reading(web.annex)).toEqual(reading(xlsx));
    // The title was wrapped over two italic lines and the gazette's running header repeats on every page.
    expect(web.annex.meta.docNumber).toBe('48/KH-UBND');
    expect(web.diagnostics.filter((d) => d.code === 'row.not-placed')).toEqual([]);
  });

  it('a stream of cells with no row breaks is cut by the header width; empty cells are kept', async () => {
    const tsv = text('targets.tsv');
    const table = tsv.split('\n').filter((l) => l.includes('\t'));
    const stream = ['PHỤ LỤC I', 'CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2026', '', '|'];
    table.forEach((l, k) => {
      for (const c of l.split('\t')) {
        if (c) stream.push(k === 0 ? `**${c}**` : c);
        stream.push('|');
      }
    });
    const web = readAnnex([textToGrid(stream.join('\n'), 'chi-tieu.txt')], { directory }).annex;
    expect(web.meta.kind).toBe('targets');
    expect(reading(web)).toEqual(reading(await viaXlsx(tsv)));
  });

  it('"| a | b |" rows (a markdown copy) read the same as the xlsx', async () => {
    const tsv = text('targets.tsv');
    const md = tsv
      .split('\n')
      .map((l, k) => (l.includes('\t') ? `| ${l.split('\t').join(' | ')} |${k === 5 ? '\n|---|---|---|' : ''}` : l))
      .join('\n');
    const web = readAnnex([textToGrid(md, 'chi-tieu.md')], { directory }).annex;
    expect(reading(web)).toEqual(reading(await viaXlsx(tsv)));
  });

  it('leaves the seeds and list items alone', () => {
    for (const f of readdirSync(seedsDir).filter((x) => x.endsWith('.txt')))
      expect(looksLikeWebText(readFileSync(seedsDir + f, 'utf8').split('\n')), f).toBe(false);
    expect(stripEmphasis('**STT** và *Nhiệm vụ*')).toBe('STT và Nhiệm vụ');
    expect(stripEmphasis('2 * 3 = 6; a*b')).toBe('2 * 3 = 6; a*b');
  });
});

describe('a directive in prose', () => {
  const r = readAnnex([textToGrid(text('directive.txt'), 'chi-thi.txt')], { directory });
  const tasks = r.annex.sections.flatMap((s) => s.tasks);

  it('gives its numbered assignments with lead, support and timeline', () => {
    expect(r.annex.meta.layout).toBe('prose');
    expect(tasks.map((t) => t.number)).toEqual(['1', '2', '3', '4', '5', '6.a', '6.b', '7', '8', '9']);
    const by = Object.fromEntries(tasks.map((t) => [t.number, t]));
    expect(by['1']).toMatchObject({
      lead: [{ text: 'Sở Nội vụ' }],
      timeline: { text: 'hoàn thành trước ngày 31/3/2026', due: '2026-03-31' },
    });
    expect(by['1'].support.map((a) => a.text)).toEqual(['Văn phòng UBND tỉnh', 'các cơ quan liên quan']);
    expect(by['1'].task).toContain('tham mưu UBND tỉnh ban hành Kế hoạch kiểm tra');
    expect(by['3']).toMatchObject({ support: [{ text: 'Công an tỉnh' }], timeline: { text: 'Thường xuyên' } });
    expect(by['4']).toMatchObject({ lead: [{ text: 'Sở Tư pháp' }], timeline: { text: 'Quý III/2026' } });
    expect(by['6.a']).toMatchObject({ lead: [{ text: 'Sở Nội vụ' }], support: [{ text: 'các sở, ban, ngành' }] });
    expect(by['6.b'].timeline.text).toBe('hằng năm');
    expect(by['9']).toMatchObject({ lead: [{ text: 'Bảo hiểm xã hội tỉnh' }], support: [{ text: 'Sở Y tế' }] });
    for (const t of tasks) expect(t.lead.length, t.number).toBeGreaterThan(0);
  });

  it('keeps seed 003 on the prose-steps reader', () => {
    const f = readdirSync(seedsDir).find((x) => x.startsWith('003_'))!;
    const seed = readAnnex([textToGrid(readFileSync(seedsDir + f, 'utf8'), f)], { directory });
    expect(seed.annex.sections.flatMap((s) => s.tasks)).toHaveLength(8);
  });
});
