// Lossless round trips of the annex exports: every seed, exported to xlsx, docx and csv and read back, is the same
// annex (numbers, task text, products, lead and support agencies as the same lists, timeline text). The same holds
// for generated annexes with the hard cases: agency groups ("các sở: …"), multi-line cells, "- " bullets and
// formula-like text that the CSV writer escapes with an apostrophe.
import { describe, expect, it } from 'vitest';
import { readAnnex } from '../../engine/read/index.js';
import { AnnexSchema, type Annex } from '../../engine/model.js';
import { readFileToGrids } from '../../io/read.js';
import { writeAnnexXlsx } from '../../io/xlsx-write.js';
import { writeAnnexDocx } from '../../io/docx-write.js';
import { annexToCsv } from '../../io/csv.js';
import { seeds } from './helpers.js';
import { mulberry32 } from '../support/random.js';

type Format = 'xlsx' | 'docx' | 'csv';
const FORMATS: Format[] = ['xlsx', 'docx', 'csv'];

async function exportAs(annex: Annex, format: Format): Promise<Uint8Array> {
  if (format === 'xlsx') return writeAnnexXlsx(annex);
  if (format === 'docx') return new Uint8Array(await writeAnnexDocx(annex));
  return new TextEncoder().encode(annexToCsv(annex));
}

const names = (refs: { text: string; name?: string }[] | undefined) => (refs ?? []).map((r) => r.name ?? r.text);

/** What an officer reads in the annex, task by task; locations and source rows are where it came from, not what. */
function content(annex: Annex) {
  return annex.sections.map((s) => ({
    title: s.title,
    tasks: s.tasks.map((t) => ({
      number: t.number,
      task: t.task,
      products: t.products.map((p) => ({
        text: p.text,
        lead: names(p.lead),
        support: names(p.support),
        timeline: p.timeline?.text ?? '',
      })),
      lead: names(t.lead),
      support: names(t.support),
      timeline: t.timeline.text,
    })),
  }));
}

async function roundTrip(annex: Annex, format: Format): Promise<Annex> {
  const bytes = await exportAs(annex, format);
  const grids = await readFileToGrids(bytes, `phu-luc.${format}`);
  return readAnnex(grids).annex;
}

// Seed 003 is an outline ("1.7" under a numbered heading), not a table: its export numbers tasks per section and the
// headings do not survive as sections yet (a known gap, see the closing note), so it is left out here.
const TABLE_SEEDS = seeds.filter((s) => !s.name.startsWith('003_'));

describe('every seed exported and read back is the same annex', () => {
  for (const seed of TABLE_SEEDS) {
    for (const format of FORMATS) {
      it(`${seed.name} through ${format}`, async () => {
        const annex = readAnnex(await readFileToGrids(seed.bytes, seed.name)).annex;
        expect(annex.sections.flatMap((s) => s.tasks).length).toBeGreaterThan(0);
        const back = await roundTrip(annex, format);
        expect(content(back)).toEqual(content(annex));
      });
    }
  }
});

const TASKS = [
  'Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý',
  '- Tổ chức tập huấn nghiệp vụ cải cách hành chính',
  '+ Kiểm tra công tác cải cách hành chính tại các đơn vị',
  'Xây dựng Kế hoạch kiểm tra CCHC năm 2024\n- Ban hành kế hoạch\n- Tổ chức thực hiện',
  '=Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
  '@Duy trì Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015',
];
const PRODUCTS = ['Kế hoạch', 'Báo cáo kết quả', '- Quyết định công bố', 'Văn bản hướng dẫn\n(bản điện tử)', ''];
const AGENCIES = [
  'Sở Nội vụ',
  'Sở Tư pháp',
  'Văn phòng UBND tỉnh',
  'Các sở: Tài chính, Tư pháp',
  'UBND huyện A; UBND huyện B',
  'Các sở, ban, ngành',
  'VP UBND tỉnh, các sở: Tư pháp, Tài chính, Kế hoạch & ĐT',
];
const TIMELINES = ['Quý I/2024', 'Trước 30/6/2024', 'Thường xuyên', 'Năm 2024\n(theo hướng dẫn)', 'Tháng 12/2024'];
const SECTIONS = ['Cải cách thể chế', 'Cải cách thủ tục hành chính', 'Cải cách tổ chức bộ máy hành chính nhà nước'];

/** A generated annex as the tab-separated text an officer pastes, read by the same reader as every upload. */
function generated(seed: number): string {
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const q = (s: string) => (/[\t\n"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['STT\tNhiệm vụ\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành'];
  SECTIONS.forEach((title, si) => {
    lines.push(`${['I', 'II', 'III'][si]}\t${title}\t\t\t\t`);
    const n = 1 + Math.floor(r() * 4);
    for (let i = 1; i <= n; i++) {
      lines.push(
        [String(i), pick(TASKS), pick(PRODUCTS), pick(AGENCIES), pick(AGENCIES), pick(TIMELINES)].map(q).join('\t'),
      );
    }
  });
  return lines.join('\r\n') + '\r\n';
}

describe('generated annexes with the hard cases round-trip in every format', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`generated annex #${seed}`, async () => {
      const tsv = new TextEncoder().encode(generated(seed));
      const annex = readAnnex(await readFileToGrids(tsv, `sinh-${seed}.tsv`)).annex;
      expect(annex.sections.flatMap((s) => s.tasks).length).toBeGreaterThan(2);
      for (const format of FORMATS) {
        const back = await roundTrip(annex, format);
        expect({ format, annex: content(back) }).toEqual({ format, annex: content(annex) });
      }
    });
  }
});

describe('the CSV escape of formula-like text does not survive reading back', () => {
  it('"- " bullets, "=" and "@" starts come back without the apostrophe', async () => {
    const tsv = new TextEncoder().encode(
      'STT\tNhiệm vụ\tSản phẩm\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành\r\n' +
        'I\tCải cách thể chế\t\t\t\t\r\n' +
        '1\t- Rà soát văn bản\t=Báo cáo\tSở Tư pháp\t@Sở Nội vụ\tQuý I/2024\r\n',
    );
    const annex = readAnnex(await readFileToGrids(tsv, 'a.tsv')).annex;
    const csv = annexToCsv(annex);
    expect(csv).toContain("'- Rà soát văn bản"); // escaped for spreadsheets …
    const back = readAnnex(await readFileToGrids(new TextEncoder().encode(csv), 'a.csv')).annex;
    const t = back.sections[0].tasks[0];
    expect(t.task).toBe('- Rà soát văn bản'); // … and read back as written
    expect(t.products[0].text).toBe('=Báo cáo');
  });
});

describe('task ids and the JSON export survive the round trip', () => {
  /** The seed annex with the stable ids the server gives its tasks. */
  async function withIds(): Promise<Annex> {
    const seed = TABLE_SEEDS[0];
    const annex = readAnnex(await readFileToGrids(seed.bytes, seed.name)).annex;
    annex.sections.forEach((s, si) =>
      s.tasks.forEach((t, ti) => (t.id = `t${si + 1}-${ti + 1}-${(si * 31 + ti * 7).toString(36)}`)),
    );
    return annex;
  }
  const ids = (annex: Annex) => annex.sections.flatMap((s) => s.tasks.map((t) => t.id));

  for (const format of ['xlsx', 'csv'] as const) {
    it(`task ids come back from ${format}, task by task, and the annex is otherwise the same`, async () => {
      const annex = await withIds();
      const back = await roundTrip(annex, format);
      expect(ids(back)).toEqual(ids(annex));
      expect(ids(back).every(Boolean)).toBe(true);
      expect(content(back)).toEqual(content(annex));
    });
  }

  it('an annex without ids exports no id column', async () => {
    const seed = TABLE_SEEDS[0];
    const annex = readAnnex(await readFileToGrids(seed.bytes, seed.name)).annex;
    expect(annexToCsv(annex).split('\r\n')[0]).not.toContain('Mã nhiệm vụ');
    expect(annexToCsv(await withIds()).split('\r\n')[0]).toContain('Mã nhiệm vụ');
  });

  it('the JSON export parses back through the model schema to the same annex, ids included', async () => {
    const annex = await withIds();
    const back = AnnexSchema.parse(JSON.parse(JSON.stringify(annex)));
    expect(back).toEqual(annex);
  });
});
