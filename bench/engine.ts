// Engine benchmark on a generated 2,000-row annex (official layout, seven sections, tasks with one to
// three products, real agency names):
//   1. read + validate, median of N runs                       (target < 10 ms)
//   2. re-validate after one edited row, createSession().update (target < 1 ms)
//   3. xlsx ingest in cells/s: io/xlsx (exceljs) vs SheetJS on the same file, same run
// Run alone with `npx tsx bench/engine.ts`, or through `npm run bench`. Prints figures; asserts nothing.
import { fileURLToPath } from 'node:url';
import * as XLSX from 'xlsx';
import type { Grid, GridRow } from '../engine/index.js';
import { readAnnex } from '../engine/index.js';
import { createSession, validate, type ValidateContext } from '../engine/index.js';
import type { AgencyDirectory } from '../engine/index.js';
import { writeGridsXlsx } from '../io/xlsx-write.js';
import { readFileToGrids } from '../io/read.js';
import { defaultDirectory } from '../data/index.js';
import { REFORM_AREAS } from '../engine/index.js';
import { PROVINCE_AGENCIES, TASK_VERBS } from './words.js';

// The reform-area titles of the one vocabulary, in Nghị quyết 76 order: the bench annex reads like a real one.
const SECTIONS = REFORM_AREAS.map((a) => a.title);
const VERBS = TASK_VERBS;
const PRODUCTS = ['Kế hoạch', 'Báo cáo kết quả', 'Quyết định phê duyệt', 'Văn bản hướng dẫn', 'Danh mục'];
const TIMES = ['Quý I/2025', 'Quý II/2025', 'Trước 30/6/2025', 'Tháng 9/2025', 'Thường xuyên', 'Năm 2025'];
const FALLBACK_AGENCIES = PROVINCE_AGENCIES;

async function loadDirectory(): Promise<AgencyDirectory | undefined> {
  return defaultDirectory();
}

const TOPICS = [
  'văn bản quy phạm pháp luật',
  'thủ tục hành chính',
  'Cổng dịch vụ công',
  'vị trí việc làm',
  'tự chủ tài chính',
  'đơn vị sự nghiệp công lập',
  'hệ thống thông tin báo cáo',
  'số hóa hồ sơ',
  'chất lượng công chức',
  'Chỉ số CCHC',
  'thanh toán trực tuyến',
  'một cửa liên thông',
  'kiểm soát thủ tục',
  'chữ ký số',
  'định danh điện tử',
  'kho dữ liệu dùng chung',
  'họp trực tuyến',
  'phản ánh kiến nghị',
  'đạo đức công vụ',
  'tinh giản biên chế',
  'sắp xếp tổ chức bộ máy',
  'đơn vị hành chính cấp xã',
  'quy chế làm việc',
  'tuyển dụng công chức',
  'bồi dưỡng kỹ năng số',
  'ngân sách nhà nước',
  'đầu tư công',
  'tài sản công',
  'giá dịch vụ sự nghiệp',
  'mua sắm tập trung',
  'an toàn thông tin',
  'nền tảng tích hợp',
  'bản đồ số',
  'dữ liệu dân cư',
  'hóa đơn điện tử',
  'pháp chế',
  'hòa giải cơ sở',
  'theo dõi thi hành pháp luật',
  'kiểm tra văn bản',
  'hệ thống hóa văn bản',
  'trách nhiệm người đứng đầu',
  'kỷ luật kỷ cương',
  'văn hóa công sở',
  'sự hài lòng của người dân',
  'khảo sát doanh nghiệp',
  'năng lực cạnh tranh',
  'chuyển đổi số',
  'trung tâm hành chính công',
  'bưu chính công ích',
  'lưu trữ điện tử',
];

/** Deterministic pseudo-random numbers (xorshift), so every run benchmarks the same annex. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/**
 * A deterministic annex grid of `rows` rows (header included) in the official six-column layout.
 * Task texts draw several topics at random so tasks are distinct, as in a real plan (a cyclic
 * pattern would make the duplicate-task rule fire on every row and measure only that).
 */
export function generateAnnexGrid(rows = 2000, agencies: string[] = FALLBACK_AGENCIES, seed = 2025): Grid {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: GridRow[] = [];
  const push = (cells: string[]) => out.push({ index: out.length + 1, cells: cells.map((text) => ({ text })) });
  push(['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện']);
  const perSection = Math.ceil((rows - 1) / SECTIONS.length);
  const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];
  for (let s = 0; s < SECTIONS.length && out.length < rows; s++) {
    push([roman[s], SECTIONS[s], '', '', '', '']);
    const end = Math.min(rows, out.length + perSection - 1);
    for (let t = 1; out.length < end; t++) {
      const lead = pick(agencies);
      let support = pick(agencies);
      if (support === lead) support = agencies[(agencies.indexOf(lead) + 1) % agencies.length];
      const topics = new Set<string>();
      while (topics.size < 3) topics.add(pick(TOPICS));
      const [a, b, c] = [...topics];
      const task = `${pick(VERBS)} ${a} gắn với ${b} và ${c}`;
      const products = 1 + Math.floor(rnd() * 3);
      for (let p = 1; p <= products && out.length < end; p++) {
        const product = `${t}.${p}. ${pick(PRODUCTS)} về ${pick(TOPICS)}`;
        push([p === 1 ? String(t) : '', p === 1 ? task : '', product, lead, support, pick(TIMES)]);
      }
    }
  }
  return { sheet: 'Phụ lục', kind: 'sheet', rows: out };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Wall time of each run, and its CPU time (process.cpuUsage: time spent on a core, so a machine shared with other
 * work inflates it far less than the wall time; it includes V8's helper threads, i.e. concurrent GC).
 */
function timeSync(runs: number, fn: (i: number) => void): number[] & { cpu: number[] } {
  for (let i = 0; i < 3; i++) fn(-1 - i); // warm-up (JIT, caches)
  const out = Object.assign([] as number[], { cpu: [] as number[] });
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn(i);
    out.push(performance.now() - t);
    const d = process.cpuUsage(c);
    out.cpu.push((d.user + d.system) / 1000);
  }
  return out;
}

async function timeAsync(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const fmt = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function run(): Promise<void> {
  const directory = await loadDirectory();
  const names =
    directory
      ?.agencies('khanh-hoa', '2025-03-01')
      .filter((a) => a.kind !== 'group')
      .map((a) => a.name) ?? [];
  const grid = generateAnnexGrid(2000, names.length >= 6 ? names.slice(0, 40) : FALLBACK_AGENCIES);
  const ctx: ValidateContext = { planYear: 2025, province: 'khanh-hoa', ...(directory ? { directory } : {}) };
  const readOptions = { planYear: 2025, province: 'khanh-hoa', ...(directory ? { directory } : {}) };
  const cells = grid.rows.reduce((a, r) => a + r.cells.filter((c) => c.text !== '').length, 0);

  // 1. read + validate (the first call in this process is cold: JIT, memos, directory indexes)
  const coldStart = performance.now();
  const first = validate(readAnnex([grid], readOptions), ctx);
  const cold = performance.now() - coldStart;
  const N = Number(process.env.BENCH_RUNS ?? 30);
  const full = timeSync(N, () => validate(readAnnex([grid], readOptions), ctx));

  // 2. incremental: edit the task text of one row in the middle, alternating so each edit changes something
  const session = createSession([grid], ctx);
  const taskRow = grid.rows.find((r, i) => i > 1000 && r.cells[0]?.text && /^\d+$/.test(r.cells[0].text))!;
  const edit = timeSync(N * 3, (i) => {
    session.update([
      { sheet: grid.sheet, row: taskRow.index, column: 2, text: `${taskRow.cells[1].text} (sửa lần ${i})` },
    ]);
  });

  // 3. xlsx ingest, same bytes for both readers
  const bytes = await writeGridsXlsx([grid]);
  const R = Number(process.env.BENCH_XLSX_RUNS ?? 5);
  const ours = await timeAsync(R, () => readFileToGrids(bytes, 'phu-luc.xlsx'));
  const sheetjs = await timeAsync(R, async () => {
    const wb = XLSX.read(bytes, { type: 'array' });
    return XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: false, defval: '' });
  });
  const perSec = (ms: number) => Math.round(cells / (ms / 1000));

  const rows: [string, string, string, string][] = [
    ['read + validate, 2,000 rows (median)', '< 10 ms', `${fmt(median(full))} ms`, median(full) < 10 ? 'ok' : 'MISSED'],
    [
      're-validate after one edit, session.update (median)',
      '< 1 ms',
      `${fmt(median(edit), 3)} ms`,
      median(edit) < 1 ? 'ok' : 'MISSED',
    ],
    [
      'xlsx ingest, io/xlsx-read (own reader) incl. zip checks',
      '—',
      `${perSec(median(ours)).toLocaleString('en-US')} cells/s (${fmt(median(ours), 1)} ms)`,
      '',
    ],
    [
      'xlsx ingest, SheetJS (xlsx) same file',
      '—',
      `${perSec(median(sheetjs)).toLocaleString('en-US')} cells/s (${fmt(median(sheetjs), 1)} ms)`,
      '',
    ],
  ];
  const w = [0, 1, 2, 3].map((i) =>
    Math.max(...rows.map((r) => r[i].length), ['measurement', 'target', 'measured', ''][i].length),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(w[i]))
      .join('  ')
      .trimEnd();
  console.log(
    `generated annex: ${grid.rows.length} rows, ${cells} non-empty cells, ${first.stats.sections} sections, ${first.stats.tasks} tasks, ` +
      `${first.stats.products} products, ${first.diagnostics.length} diagnostics; directory: ${directory ? 'yes' : 'no'}; ` +
      `xlsx ${Math.round(bytes.length / 1024)} KB; runs: ${N} (edits ${N * 3}), xlsx ${R}`,
  );
  console.log(line(['measurement', 'target', 'measured', '']));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(
    `min: read+validate ${fmt(Math.min(...full))} ms, edit ${fmt(Math.min(...edit), 3)} ms; first (cold) read+validate ${fmt(cold, 1)} ms`,
  );
  console.log(
    `CPU time per call (median, min): read+validate ${fmt(median(full.cpu))} ms, ${fmt(Math.min(...full.cpu))} ms; ` +
      `edit ${fmt(median(edit.cpu), 3)} ms, ${fmt(Math.min(...edit.cpu), 3)} ms`,
  );
  console.log(
    `p90: read+validate ${fmt(full.sort((a, b) => a - b)[Math.floor(full.length * 0.9)])} ms, ` +
      `edit ${fmt(edit.sort((a, b) => a - b)[Math.floor(edit.length * 0.9)], 3)} ms; ` +
      `own reader/SheetJS time ratio ${fmt(median(ours) / median(sheetjs), 1)}×`,
  );
  const reuse = session.lastReuse();
  console.log(
    `last edit: ${session.lastRead()} re-read, ${reuse.sections} of ${reuse.of} table segments taken over unchecked (the 1.2-million-cell file: npm run bench -- reader)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
