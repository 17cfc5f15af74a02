import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { writeAnnexDocx, writeConsolidatedDocx } from '../../io/docx-write.js';
import { readDocxToGrids } from '../../io/docx-read.js';
import { consolidate, readAnnex, type Annex, type Grid } from '../../engine/index.js';
import { fixtureAnnex } from '../templates/fixtures.js';

async function documentXml(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  return zip.file('word/document.xml')!.async('string');
}

const texts = (g: Grid) => g.rows.map((r) => r.cells.map((c) => c.text));

describe('writeAnnexDocx', () => {
  const annex = fixtureAnnex({ agency: 'Sở Nội vụ' });

  it('is an official annex page: A4 landscape, NĐ 30 margins, Times New Roman, page numbers from page 2', async () => {
    const xml = await documentXml(await writeAnnexDocx(annex, { agencyName: 'Sở Nội vụ' }));
    // A4 landscape: 297 × 210 mm = 16838 × 11906 twips
    expect(xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    // top/bottom 20 mm, left 30 mm, right 15 mm
    expect(xml).toMatch(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/);
    expect(xml).toContain('<w:titlePg/>');
    expect(xml).toContain('w:ascii="Times New Roman"');
    expect(xml).not.toMatch(/w:ascii="(?!Times New Roman)/);
    const zip = await JSZip.loadAsync(await writeAnnexDocx(annex));
    const headers = await Promise.all(zip.file(/word\/header\d+\.xml/).map((f) => f.async('string')));
    expect(headers.some((h) => h.includes('PAGE'))).toBe(true);
  });

  it('has the heading, the title in capitals, the italic "Kèm theo" line and a repeating header row', async () => {
    const bytes = await writeAnnexDocx(annex, { agencyName: 'Sở Nội vụ' });
    const xml = await documentXml(bytes);
    const [g] = await readDocxToGrids(bytes, 'phu-luc.docx');
    expect(texts(g).slice(0, 3)).toEqual([
      ['Phụ lục'],
      ['NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA SỞ NỘI VỤ'],
      ['(Kèm theo Kế hoạch số 15/KH-SNV ngày 08/01/2026 của Sở Nội vụ)'],
    ]);
    // the "Kèm theo" run is italic
    expect(xml).toMatch(
      /<w:r><w:rPr>(?:(?!<\/w:rPr>).)*<w:i\/>(?:(?!<\/w:rPr>).)*<\/w:rPr><w:t xml:space="preserve">\(Kèm theo/,
    );
    // exactly one header row is marked to repeat on each page, and it is the column header
    expect(xml.match(/<w:tblHeader\/>/g)).toHaveLength(1);
    expect(texts(g)[3]).toEqual([
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
    ]);
  });

  it('unknown plan references print as "…" for the officer to fill in, never as wrong values', async () => {
    const bare = { ...annex, meta: { planYear: 2026 } };
    const [g] = await readDocxToGrids(await writeAnnexDocx(bare), 'x.docx');
    expect(g.rows[2].cells[0].text).toBe('(Kèm theo Kế hoạch số … ngày … của …)');
    expect(g.rows[1].cells[0].text).toBe('NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026');
  });

  it('writes every section, task and product; a task with several products spans its product rows', async () => {
    const [g] = await readDocxToGrids(await writeAnnexDocx(annex), 'a.docx');
    const rows = texts(g);
    for (const s of annex.sections) {
      expect(rows).toContainEqual([s.numeral, s.title, '', '', '', '']);
      for (const t of s.tasks) {
        const at = rows.findIndex((r) => r[0] === t.number && r[1] === t.task);
        expect(at, `${s.numeral}.${t.number}`).toBeGreaterThan(0);
        t.products.forEach((p, i) => {
          const r = g.rows[at + i];
          expect(r.cells[2].text).toBe(`${p.number} ${p.text}`);
          if (i > 0) {
            // STT, Nhiệm vụ and the task's agencies/timeline are merged down over the product rows
            expect(r.cells[0].mergedInto).toBe(`A${g.rows[at].index}`);
            expect(r.cells[3].mergedInto).toBe(`D${g.rows[at].index}`);
          }
        });
        expect(rows[at][3]).toBe(t.lead[0].name);
        expect(rows[at][5]).toBe(t.timeline.text);
      }
    }
  });

  it('optional columns appear only when used (Theo dõi…, Ghi chú)', async () => {
    const withExtras: Annex = structuredClone(annex);
    withExtras.sections[0].tasks[0].monitor = [{ text: 'Văn phòng UBND tỉnh', kind: 'unknown' }];
    withExtras.sections[0].tasks[1].note = 'Đã hoàn thành';
    const [g] = await readDocxToGrids(await writeAnnexDocx(withExtras), 'x.docx');
    expect(g.rows[3].cells.map((c) => c.text)).toEqual([
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
      'Theo dõi, kiểm tra, đôn đốc',
      'Ghi chú',
    ]);
    expect(texts(g).some((r) => r[6] === 'Văn phòng UBND tỉnh')).toBe(true);
    expect(texts(g).some((r) => r[7] === 'Đã hoàn thành')).toBe(true);
  });

  it('reads back through the engine to the same tasks (Word out → Word in)', async () => {
    const grids = await readDocxToGrids(await writeAnnexDocx(annex), 'a.docx');
    const back = readAnnex(grids, { planYear: 2026 }).annex;
    const shape = (a: Annex) =>
      a.sections.map((s) => ({
        numeral: s.numeral,
        area: s.area,
        tasks: s.tasks.map((t) => ({
          number: t.number,
          task: t.task,
          products: t.products.map((p) => p.text.replace(/^\d+\.\d+\.\s*/, '')),
          lead: t.lead.map((x) => x.text),
          support: t.support.map((x) => x.text),
          timeline: t.timeline.text,
        })),
      }));
    expect(shape(back)).toEqual(shape(annex));
  });
});

describe('writeConsolidatedDocx', () => {
  it('writes the consolidated provincial annex with the agencies that planned each task', async () => {
    const a = fixtureAnnex({ agency: 'Sở Tư pháp' });
    const b = fixtureAnnex({ agency: 'Sở Tài chính' });
    b.sections[2].tasks[0].task = 'Xây dựng cơ sở dữ liệu công chứng của tỉnh';
    const inputs = [
      { agencyId: 'so-tu-phap', agencyName: 'Sở Tư pháp', annex: a, version: 1 },
      { agencyId: 'so-tai-chinh', agencyName: 'Sở Tài chính', annex: b, version: 2 },
    ];
    const ctx = { province: 'ninh-binh', date: '2026-01-01', planYear: 2026 };
    // Identical tasks of the two agencies are candidates; the reviewer merges them all.
    const decisions = consolidate(inputs, ctx).candidates.map((g) => ({
      group: g.id,
      action: 'merge' as const,
      members: g.members.map((m) => ({ agencyId: m.source.agencyId, task: m.task })),
    }));
    const c = consolidate(inputs, { ...ctx, decisions });
    expect(c.stats.duplicatesMerged).toBeGreaterThan(0);
    const bytes = await writeConsolidatedDocx(c, {
      provinceName: 'Ninh Bình',
      attachedTo: { docNumber: '20/KH-UBND', docDate: '2026-01-15' },
    });
    const [g] = await readDocxToGrids(bytes, 'tong-hop.docx');
    const rows = texts(g);
    expect(rows[1]).toEqual(['NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA TỈNH NINH BÌNH']);
    expect(rows[2]).toEqual(['(Kèm theo Kế hoạch số 20/KH-UBND ngày 15/01/2026 của UBND tỉnh Ninh Bình)']);
    expect(rows[3]).toContain('Cơ quan đăng ký');
    const agencyCol = rows[3].indexOf('Cơ quan đăng ký');
    const sectionRows = rows.filter((r) => /^[IVX]+$/.test(r[0]));
    expect(sectionRows.map((r) => r[1])).toEqual(c.sections.map((s) => s.title));
    const taskCount = c.sections.reduce((n, s) => n + s.tasks.length, 0);
    const taskRows = rows.filter((r) => /^\d+$/.test(r[0]));
    expect(taskRows).toHaveLength(taskCount);
    // merged tasks of both agencies are one task naming both; the changed one names only its agency
    expect(taskRows.some((r) => r[agencyCol] === 'Sở Tư pháp, Sở Tài chính')).toBe(true);
    expect(taskRows.find((r) => r[1] === 'Xây dựng cơ sở dữ liệu công chứng của tỉnh')?.[agencyCol]).toBe(
      'Sở Tài chính',
    );
  });
});

describe('Word table columns sized by content', () => {
  it('gives the long texts the width and keeps every header word whole', async () => {
    const annex = fixtureAnnex({ agency: 'Sở Nội vụ' });
    for (const t of annex.sections.flatMap((s) => s.tasks)) {
      t.task = `${t.task} ${'nhằm nâng cao chất lượng và hiệu quả hoạt động '.repeat(4)}`;
      t.timeline = { ...t.timeline, text: 'Quý I' };
    }
    const xml = await documentXml(await writeAnnexDocx(annex));
    const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(grid).toHaveLength(6);
    const [stt, task, , , , timeline] = grid;
    expect(task).toBeGreaterThan(timeline * 2);
    // "Thời gian thực hiện" wraps, but no word of it breaks: "Thời" in bold 12 pt plus padding is over 5 mm
    expect(timeline).toBeGreaterThan(300);
    expect(stt).toBeGreaterThan(400);
  });
});

describe('the NĐ 30 cover block', () => {
  const report = () =>
    consolidate(
      [{ agencyId: 'so-noi-vu', agencyName: 'Sở Nội vụ', annex: fixtureAnnex({ agency: 'Sở Nội vụ' }), version: 1 }],
      { planYear: 2026, date: '2026-01-01' },
    );
  const plain = (xml: string) => [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n');

  it('is off by default', async () => {
    const text = plain(await documentXml(await writeConsolidatedDocx(report(), { provinceName: 'Ninh Bình' })));
    expect(text).not.toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).not.toContain('Nơi nhận');
  });

  it('prints issuer, national name and motto, number, place and date before the title and "Nơi nhận" after the table', async () => {
    const cover = {
      issuer: 'UBND tỉnh Ninh Bình',
      number: '20/KH-UBND',
      place: 'Ninh Bình',
      date: '2026-01-15',
      recipients: ['Bộ Nội vụ;', 'Lưu: VT, SNV.'],
    };
    const text = plain(await documentXml(await writeConsolidatedDocx(report(), { provinceName: 'Ninh Bình', cover })));
    const at = (s: string) => text.indexOf(s);
    for (const s of [
      'UBND TỈNH NINH BÌNH',
      'Số: 20/KH-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Ninh Bình, ngày 15 tháng 01 năm 2026',
      'Nơi nhận:',
      '- Bộ Nội vụ;',
      '- Lưu: VT, SNV.',
    ]) {
      expect(at(s), s).toBeGreaterThanOrEqual(0);
    }
    expect(at('CỘNG HÒA')).toBeLessThan(at('NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH'));
    expect(at('Nơi nhận:')).toBeGreaterThan(at('Cải cách thủ tục hành chính'));
    // Unknown number and date print as blanks to fill in before signing.
    const blank = plain(
      await documentXml(await writeConsolidatedDocx(report(), { cover: { issuer: 'UBND tỉnh Ninh Bình' } })),
    );
    expect(blank).toContain('Số: …');
    expect(blank).toContain('…, ngày … tháng … năm …');
  });
});
