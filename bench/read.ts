// Reader benchmark: the five seeds and a generated 2,000-row annex sheet (goal: a few ms per read).
// Run: `npx tsx bench/read.ts`. Prints figures; asserts nothing.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Grid } from '../engine/index.js';
import { readAnnex, textToGrid, type ReadOptions } from '../engine/index.js';
import { defaultDirectory } from '../data/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function time(label: string, grids: Grid[], runs: number, options: ReadOptions = {}): void {
  const cold = process.cpuUsage();
  readAnnex(grids, options); // first read: JIT, alias keys, caches
  const first = process.cpuUsage(cold);
  // CPU time of this process, less sensitive to other processes on a shared machine than wall time.
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    readAnnex(grids, options);
    const d = process.cpuUsage(c);
    samples.push((d.user + d.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  const min = samples[0];
  const median = samples[Math.floor(samples.length / 2)];
  const p95 = samples[Math.floor(samples.length * 0.95)];
  const r = readAnnex(grids, options);
  const tasks = r.annex.sections.reduce((n, s) => n + s.tasks.length, 0);
  const rows = grids.reduce((n, g) => n + g.rows.length, 0);
  console.log(
    `${label.padEnd(34)} rows ${String(rows).padStart(5)}  tasks ${String(tasks).padStart(4)}  first ${((first.user + first.system) / 1000).toFixed(1)} ms  cpu min ${min.toFixed(2)} ms  median ${median.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms`,
  );
}

/** A realistic annex sheet: 7 sections, tasks with 1–3 product rows, Vietnamese text of typical length. */
function generated(rowsWanted: number, salt = ''): Grid {
  const sections = [
    'Cải cách thể chế',
    'Cải cách thủ tục hành chính',
    'Cải cách tổ chức bộ máy',
    'Cải cách chế độ công vụ',
    'Cải cách tài chính công',
    'Xây dựng và phát triển chính quyền điện tử, chính quyền số',
    'Công tác chỉ đạo, điều hành',
  ];
  const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];
  const rows: Grid['rows'] = [
    {
      index: 1,
      cells: ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'].map(
        (text) => ({ text }),
      ),
    },
  ];
  const per = Math.ceil(rowsWanted / sections.length);
  let n = 2;
  sections.forEach((title, s) => {
    rows.push({ index: n++, cells: [roman[s], title, '', '', '', ''].map((text) => ({ text })) });
    let task = 0;
    while (n < 2 + per * (s + 1) && n <= rowsWanted) {
      task++;
      const products = 1 + (task % 3);
      for (let p = 1; p <= products; p++) {
        rows.push({
          index: n++,
          cells: [
            p === 1 ? String(task) : '',
            p === 1
              ? `Rà soát, đánh giá và tổ chức thực hiện nhiệm vụ số ${task}${salt} thuộc lĩnh vực ${title.toLowerCase()} năm 2026`
              : '',
            `${task}.${p}. Báo cáo kết quả thực hiện nhiệm vụ ${task}.${p}${salt} gửi Sở Nội vụ tổng hợp`,
            p % 2 ? 'Sở Nội vụ' : 'Văn phòng UBND tỉnh, Sở Tư pháp',
            'Các sở, ban, ngành, UBND cấp xã',
            p % 2 ? `Quý ${['I', 'II', 'III', 'IV'][task % 4]}/2026` : 'Thường xuyên',
          ].map((text) => ({ text })),
        });
      }
    }
  });
  return { sheet: 'Phụ lục', kind: 'sheet', rows };
}

const seedDir = join(root, 'seeds');
for (const name of readdirSync(seedDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()) {
  time(`seed ${name}`, [textToGrid(readFileSync(join(seedDir, name), 'utf8'), name)], 50);
}
const directory = defaultDirectory();
for (const name of readdirSync(seedDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()) {
  time(`seed ${name.slice(0, 3)} + directory`, [textToGrid(readFileSync(join(seedDir, name), 'utf8'), name)], 20, {
    directory,
  });
}
time('generated sheet 2,000 rows', [generated(2000)], 30);
time('generated 2,000 rows + directory', [generated(2000)], 10, { directory, province: 'nam-dinh' });
time('generated sheet 10,000 rows', [generated(10000)], 10);

// A grid never seen before (code already warm): what an officer's first check of a new file costs.
const fresh: number[] = [];
for (let i = 0; i < 5; i++) {
  const g = generated(2000, `-${i}`);
  const c = process.cpuUsage();
  readAnnex([g]);
  const d = process.cpuUsage(c);
  fresh.push((d.user + d.system) / 1000);
}
console.log(`${'new 2,000-row grid, warm code'.padEnd(34)} cpu ${fresh.map((x) => x.toFixed(1)).join(' / ')} ms`);
