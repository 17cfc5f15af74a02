// Consolidation benchmark: 100 agencies × 200 task rows (goal: consolidate + xlsx under 3 s), and the same
// merge as a plain pandas + openpyxl script on the same generated input, for comparison.
// Run: `npx tsx bench/consolidate.ts` (or through `npm run bench`). Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import type { Annex, AreaCode, Section, Timeline } from '../engine/index.js';
import { consolidate, type ConsolidationInput } from '../engine/index.js';
import { writeConsolidatedXlsx } from '../server/report/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-output', 'bench');

const AREAS: AreaCode[] = [
  'direction',
  'institution',
  'procedure',
  'organization',
  'civil-service',
  'public-finance',
  'digital-government',
];
const VERBS = [
  'Rà soát',
  'Ban hành',
  'Triển khai',
  'Kiểm tra',
  'Tổ chức',
  'Xây dựng',
  'Đánh giá',
  'Công khai',
  'Số hóa',
  'Cập nhật',
  'Tuyên truyền',
  'Hướng dẫn',
];
const OBJECTS = [
  'quy trình nội bộ',
  'thủ tục hành chính',
  'văn bản quy phạm pháp luật',
  'vị trí việc làm',
  'cơ sở dữ liệu',
  'dịch vụ công trực tuyến',
  'hồ sơ công việc',
  'quy chế phối hợp',
  'kế hoạch kiểm tra',
  'chỉ số hài lòng',
  'chữ ký số',
  'định mức kinh tế kỹ thuật',
  'cơ chế tự chủ tài chính',
  'biên chế công chức',
  'đề án sắp xếp tổ chức',
  'phần mềm quản lý',
  'báo cáo thống kê',
  'kho dữ liệu số hóa',
];
const FIELDS = [
  'đất đai',
  'xây dựng',
  'y tế',
  'giáo dục',
  'nông nghiệp',
  'giao thông',
  'tài nguyên môi trường',
  'lao động việc làm',
  'văn hóa thể thao',
  'tư pháp hộ tịch',
  'công thương',
  'kế hoạch đầu tư',
  'khoa học công nghệ',
  'nội vụ',
  'tài chính ngân sách',
  'dân tộc tôn giáo',
];
const QUALIFIERS = [
  'tại cơ quan',
  'cấp xã',
  'trên địa bàn tỉnh',
  'theo quy định mới',
  'giai đoạn 2026 - 2030',
  'đợt một',
  'đợt hai',
  'cho cán bộ',
];
// Names that make real tasks specific (a project, a system, a place) are built from Vietnamese-like
// syllables (onset + rhyme, about 950 of them) drawn uniformly. Note: a heavy-headed (log-uniform)
// draw makes a few syllables appear in half of all tasks, which no real plan does; it slows the
// candidate search about tenfold.
const ONSETS = [
  'b',
  'c',
  'ch',
  'd',
  'đ',
  'g',
  'gi',
  'h',
  'kh',
  'l',
  'm',
  'n',
  'ng',
  'nh',
  'ph',
  'qu',
  's',
  't',
  'th',
  'tr',
  'v',
  'x',
];
const RHYMES = [
  'a',
  'ai',
  'am',
  'an',
  'ang',
  'anh',
  'ao',
  'âm',
  'ân',
  'âu',
  'ăn',
  'ăng',
  'e',
  'em',
  'en',
  'eo',
  'ê',
  'ên',
  'ênh',
  'i',
  'im',
  'in',
  'inh',
  'iêu',
  'o',
  'oa',
  'oan',
  'oang',
  'oi',
  'on',
  'ong',
  'ô',
  'ôi',
  'ôn',
  'ông',
  'ơ',
  'ơi',
  'ơn',
  'u',
  'ui',
  'um',
  'un',
  'ung',
];
const SYLLABLES = ONSETS.flatMap((o) => RHYMES.map((r) => o + r));
// Provincial tasks most agencies carry in their own annex, with small wording changes.
const SHARED = [
  'Ban hành Kế hoạch cải cách hành chính năm 2026 của cơ quan',
  'Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026',
  'Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026',
  'Báo cáo định kỳ công tác cải cách hành chính quý, sáu tháng và năm',
  'Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc',
  'Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý',
  'Công khai đầy đủ thủ tục hành chính trên Cổng dịch vụ công của tỉnh',
  'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
  'Rà soát, sắp xếp tổ chức bộ máy theo quy định mới',
  'Xây dựng Đề án vị trí việc làm và cơ cấu ngạch công chức',
  'Thực hiện cơ chế tự chủ tài chính tại các đơn vị sự nghiệp công lập',
  'Triển khai chữ ký số trong hoạt động của cơ quan',
  'Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015',
  'Tổ chức đối thoại giữa người đứng đầu với người dân và doanh nghiệp',
];

function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchRow {
  agency_id: string;
  agency_name: string;
  area: AreaCode;
  number: number;
  task: string;
  lead: string;
  support: string;
  due: string;
  kind: Timeline['kind'];
  row: number;
}

/** Deterministic input: `agencies` agencies × `rows` task rows each. */
export function generate(agencies = 100, rows = 200, seed = 76): BenchRow[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const out: BenchRow[] = [];
  for (let a = 1; a <= agencies; a++) {
    const id = `co-quan-${a}`;
    const name = `Cơ quan số ${a}`;
    for (let i = 0; i < rows; i++) {
      const shared = r() < 0.08;
      // Own tasks: random combinations; some coincide across agencies, as real plans do.
      const named = () => `${pick(SYLLABLES)} ${pick(SYLLABLES)}`;
      let task = shared
        ? pick(SHARED)
        : `${pick(VERBS)} ${pick(OBJECTS)} ${pick(FIELDS)} ${pick(QUALIFIERS)}: ${named()}, ${named()}, ${named()}`;
      if (shared && r() < 0.5) task += ' của đơn vị';
      const area = shared ? AREAS[SHARED.indexOf(task.replace(' của đơn vị', '')) % AREAS.length] : pick(AREAS);
      const roll = r();
      const kind: Timeline['kind'] =
        roll < 0.7 ? 'date' : roll < 0.85 ? 'recurring' : roll < 0.95 ? 'conditional' : 'empty';
      const month = 1 + Math.floor(r() * 12);
      const due = kind === 'date' ? `2026-${String(month).padStart(2, '0')}-28` : '';
      out.push({
        agency_id: id,
        agency_name: name,
        area,
        number: 0,
        task,
        lead: r() < 0.9 ? name : 'Sở Nội vụ',
        support: 'Sở Nội vụ',
        due,
        kind,
        row: 8 + i,
      });
    }
  }
  return out;
}

/** Groups generated rows into one annex per agency. */
export function toInputs(rows: BenchRow[]): ConsolidationInput[] {
  const byAgency = new Map<string, BenchRow[]>();
  for (const row of rows)
    (byAgency.get(row.agency_id) ?? byAgency.set(row.agency_id, []).get(row.agency_id)!).push(row);
  return [...byAgency.values()].map((list) => {
    const sections = new Map<AreaCode, Section>();
    for (const row of list) {
      let s = sections.get(row.area);
      if (!s)
        sections.set(
          row.area,
          (s = { numeral: '', title: row.area, area: row.area, source: { sheet: 'Phụ lục', row: row.row }, tasks: [] }),
        );
      const timeline: Timeline =
        row.kind === 'date'
          ? { kind: 'date', due: row.due, text: row.due.split('-').reverse().join('/') }
          : row.kind === 'recurring'
            ? { kind: 'recurring', recurrence: 'continuous', text: 'Thường xuyên' }
            : row.kind === 'conditional'
              ? { kind: 'conditional', condition: 'hướng dẫn của Trung ương', text: 'Sau khi có hướng dẫn' }
              : { kind: 'empty', text: '' };
      s.tasks.push({
        number: String(s.tasks.length + 1),
        task: row.task,
        products: [],
        lead: [{ text: row.lead, name: row.lead, kind: 'agency' }],
        support: [{ text: row.support, name: row.support, kind: 'agency' }],
        timeline,
        source: { sheet: 'Phụ lục', row: row.row, column: 2, cell: `B${row.row}` },
        rows: [row.row],
      });
    }
    const annex: Annex = { meta: { sheet: 'Phụ lục' }, sections: [...sections.values()] };
    return { agencyId: list[0].agency_id, agencyName: list[0].agency_name, annex, version: 1 };
  });
}

function python(): string | null {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const p = spawnSync(exe, ['-c', 'import pandas, openpyxl'], { encoding: 'utf8' });
    if (p.status === 0) return exe;
  }
  return null;
}

export async function run(): Promise<Record<string, number | string>> {
  mkdirSync(outDir, { recursive: true });
  let t = performance.now();
  const rows = generate();
  const inputs = toInputs(rows);
  const genMs = performance.now() - t;

  // Warm-up once (JIT, module loading), then time a fresh run. CPU time is printed beside wall time:
  // on a shared machine wall time mostly measures the other processes.
  consolidate(inputs.slice(0, 5), { today: '2026-07-01' });
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  let cpu = process.cpuUsage();
  t = performance.now();
  const c = consolidate(inputs, { today: '2026-07-01', date: '2026-01-01' });
  const consolidateMs = performance.now() - t;
  const consolidateCpu = cpuMs(cpu);
  cpu = process.cpuUsage();
  t = performance.now();
  const xlsx = await writeConsolidatedXlsx(c, { year: 2026 });
  const xlsxMs = performance.now() - t;
  const xlsxCpu = cpuMs(cpu);
  writeFileSync(join(outDir, 'consolidated.xlsx'), xlsx);

  const csvPath = join(outDir, 'consolidate-input.csv');
  writeFileSync(csvPath, Papa.unparse(rows));
  const figures: Record<string, number | string> = {
    agencies: inputs.length,
    rows: rows.length,
    generate_ms: Math.round(genMs),
    consolidate_ms: Math.round(consolidateMs),
    consolidate_cpu_ms: Math.round(consolidateCpu),
    xlsx_ms: Math.round(xlsxMs),
    xlsx_cpu_ms: Math.round(xlsxCpu),
    total_ms: Math.round(consolidateMs + xlsxMs),
    total_cpu_ms: Math.round(consolidateCpu + xlsxCpu),
    tasks_kept: c.stats.tasks,
    duplicates_merged: c.stats.duplicatesMerged,
    xlsx_bytes: xlsx.length,
    load_average: os.loadavg()[0].toFixed(1),
  };
  const row = (label: string, wall: number, cpuTime: number, extra = '') =>
    console.log(
      `  ${label.padEnd(20)} ${String(Math.round(wall)).padStart(6)} ms wall ${String(Math.round(cpuTime)).padStart(6)} ms CPU${extra}`,
    );
  console.log(
    `consolidate: ${inputs.length} agencies × ${rows.length / inputs.length} rows = ${rows.length} rows (load average ${figures.load_average})`,
  );
  row(
    'engine consolidate',
    consolidateMs,
    consolidateCpu,
    ` (${c.stats.tasks} tasks kept, ${c.stats.duplicatesMerged} duplicates merged)`,
  );
  row('xlsx write', xlsxMs, xlsxCpu, ` (${xlsx.length} bytes)`);
  row('total', consolidateMs + xlsxMs, consolidateCpu + xlsxCpu, ' (goal < 3000 ms)');

  const py = python();
  if (!py) {
    console.log('  pandas: not installed (apt-get install python3-pandas python3-openpyxl); comparison skipped');
    return figures;
  }
  const p = spawnSync(
    py,
    [join(root, 'bench', 'consolidate_pandas.py'), csvPath, join(outDir, 'consolidated-pandas.xlsx')],
    { encoding: 'utf8' },
  );
  if (p.status !== 0) {
    console.log(`  pandas script failed: ${p.stderr.trim().split('\n').pop()}`);
    return figures;
  }
  const res = JSON.parse(p.stdout.trim().split('\n').pop()!);
  Object.assign(figures, {
    pandas_consolidate_ms: res.consolidate_ms,
    pandas_consolidate_cpu_ms: res.consolidate_cpu_ms,
    pandas_xlsx_ms: res.xlsx_ms,
    pandas_xlsx_cpu_ms: res.xlsx_cpu_ms,
    pandas_total_ms: res.consolidate_ms + res.xlsx_ms,
    pandas_duplicates_merged: res.duplicates_merged,
    same_result: res.duplicates_merged === c.stats.duplicatesMerged && res.tasks_kept === c.stats.tasks ? 'yes' : 'no',
  });
  row(
    'pandas consolidate',
    res.consolidate_ms,
    res.consolidate_cpu_ms,
    ` (${res.tasks_kept} tasks kept, ${res.duplicates_merged} duplicates merged)`,
  );
  row('openpyxl write', res.xlsx_ms, res.xlsx_cpu_ms);
  row('pandas total', res.consolidate_ms + res.xlsx_ms, res.consolidate_cpu_ms + res.xlsx_cpu_ms);
  console.log(`  same merge result in both tools: ${figures.same_result}`);
  return figures;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run();
}
