// Excel add-in loop on a 2,000-row annex in the fake host: syncs per edit (round trips to Excel) and
// engine time per edit, plus the first full validation. Run: tsx bench/addin.ts
import { fileURLToPath } from 'node:url';
import { FakeExcelHost } from '../addin/testing/fake-excel.js';
import { AddinController } from '../addin/controller.js';
import type { HostEnvironment } from '../addin/excel/host.js';
import { defaultDirectory } from '../data/index.js';
import { REFORM_AREAS } from '../engine/index.js';

// The reform-area titles of the one vocabulary, in Nghị quyết 76 order: the bench annex reads like a real one.
const AREAS = REFORM_AREAS.map((a) => a.title);
const LEADS = ['Sở Nội vụ', 'Sở Tư pháp', 'Văn phòng UBND tỉnh', 'Sở Tài chính', 'Sở Khoa học và Công nghệ'];

const VERBS = [
  'Rà soát',
  'Xây dựng',
  'Triển khai',
  'Kiểm tra',
  'Tổng hợp',
  'Đánh giá',
  'Hoàn thiện',
  'Tuyên truyền',
  'Số hóa',
  'Công khai',
  'Sắp xếp',
  'Đào tạo',
];
const OBJECTS = [
  'văn bản quy phạm pháp luật',
  'thủ tục hành chính',
  'hồ sơ công việc',
  'cơ sở dữ liệu',
  'quy chế làm việc',
  'đề án vị trí việc làm',
  'dịch vụ công trực tuyến',
  'kế hoạch kiểm tra',
  'chỉ số hài lòng',
  'biên chế',
  'nguồn tài chính',
  'hệ thống thông tin',
];
const PLACES = [
  'cấp tỉnh',
  'cấp xã',
  'các sở, ngành',
  'đơn vị sự nghiệp',
  'Trung tâm Phục vụ hành chính công',
  'bộ phận một cửa',
  'các ban quản lý',
  'cơ quan chuyên môn',
];
const PURPOSES = [
  'bảo đảm đúng quy định',
  'rút ngắn thời gian giải quyết',
  'nâng cao chất lượng phục vụ',
  'giảm chi phí tuân thủ',
  'tăng cường kỷ luật',
  'phục vụ chuyển đổi số',
  'công khai minh bạch',
  'tiết kiệm ngân sách',
];

/** Distinct task wording (repeated wording would be reported as duplicate tasks). */
function taskText(k: number): string {
  const pick = <T>(xs: T[], salt: number) => xs[Math.floor(k / salt) % xs.length];
  return `${pick(VERBS, 1)} ${pick(OBJECTS, 12)} của ${pick(PLACES, 144)} nhằm ${pick(PURPOSES, 7)}, đợt ${k}`;
}

/** An annex of `rows` rows: header, seven sections, tasks with one or two product rows, a few faults. */
export function annexRows(rows: number): (string | number)[][] {
  const out: (string | number)[][] = [
    ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'],
  ];
  const perSection = Math.ceil((rows - 1) / AREAS.length);
  AREAS.forEach((area, s) => {
    out.push([['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'][s], area, '', '', '', '']);
    let n = 0;
    while (out.length < Math.min(rows, (s + 1) * perSection + 1)) {
      n++;
      const lead = n % 37 === 0 ? '' : LEADS[n % LEADS.length];
      const timeline = n % 41 === 0 ? '' : n % 2 ? `Quý ${['I', 'II', 'III', 'IV'][n % 4]}/2026` : 'Thường xuyên';
      out.push([
        n,
        taskText(s * 1000 + n),
        n % 53 === 0 ? 'Theo lộ trình đã được phê duyệt' : `Báo cáo kết quả ${n}`,
        lead,
        'Các cơ quan, đơn vị',
        timeline,
      ]);
      if (n % 3 === 0 && out.length < rows) out.push(['', '', `Kế hoạch triển khai ${n}`, lead, '', timeline]);
    }
  });
  return out.slice(0, rows);
}

function envFor(h: FakeExcelHost): HostEnvironment {
  const s = h.Office.context.document.settings;
  return {
    excel: { run: (b) => h.run(b as never) },
    settings: { get: s.get, set: s.set, remove: s.remove, saveAsync: (cb) => s.saveAsync(cb) },
    supports: () => true,
  };
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function run(opts: { rows?: number; edits?: number } = {}): Promise<Record<string, number>> {
  const rows = opts.rows ?? 2000;
  const edits = opts.edits ?? 60;
  const h = new FakeExcelHost();
  (globalThis as { Excel?: unknown }).Excel = h.Excel;
  h.addSheet('Phụ lục', annexRows(rows));
  const directory = defaultDirectory();
  const c = new AddinController(envFor(h), {
    debounceMs: 0,
    syncCounter: () => h.syncCount,
    engineContext: () => ({ directory, province: 'binh-thuan' }),
  });
  const t0 = performance.now();
  await c.start();
  const fullMs = performance.now() - t0;
  const full = c.lastStats!;
  const syncs: number[] = [];
  const engine: number[] = [];
  const wall: number[] = [];
  const taskRows = c.snapshot!.grid.rows.filter((r) => /^\d+$/.test(r.cells[0]?.text ?? '')).map((r) => r.index);
  for (let i = 0; i < edits; i++) {
    const row = taskRows[(i * 7919) % taskRows.length];
    const current = h.text('Phụ lục', `D${row}`);
    const e0 = performance.now();
    h.userEdit('Phụ lục', `D${row}`, current ? '' : 'Sở Nội vụ');
    await h.settle();
    await c.flush();
    wall.push(performance.now() - e0);
    syncs.push(c.lastStats!.syncs);
    engine.push(c.lastStats!.engineMs);
  }
  const figures = {
    rows,
    diagnostics: c.report!.diagnostics.length,
    fullValidationSyncs: full.syncs,
    fullValidationEngineMs: Math.round(full.engineMs),
    fullValidationWallMs: Math.round(fullMs),
    editSyncsMax: Math.max(...syncs),
    editSyncsMean: Number((syncs.reduce((a, b) => a + b, 0) / syncs.length).toFixed(2)),
    editEngineMsMedian: Number(pct(engine, 50).toFixed(1)),
    editEngineMsP95: Number(pct(engine, 95).toFixed(1)),
    editWallMsMedian: Number(pct(wall, 50).toFixed(1)),
  };
  console.log(`addin (fake host, ${rows} rows, ${edits} edits):`);
  console.log(
    `  full validation: ${figures.fullValidationSyncs} syncs, engine ${figures.fullValidationEngineMs} ms, wall ${figures.fullValidationWallMs} ms, ${figures.diagnostics} diagnostics`,
  );
  console.log(
    `  per edit: syncs max ${figures.editSyncsMax} (mean ${figures.editSyncsMean}), engine median ${figures.editEngineMsMedian} ms / p95 ${figures.editEngineMsP95} ms, wall median ${figures.editWallMsMedian} ms`,
  );
  return figures;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
