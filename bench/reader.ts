// Large xlsx reading: cells/s and peak memory of io/xlsx-read (readFileToGrids), SheetJS (dense) and exceljs on
// the same 1.2-million-cell file, in one run. Each reader runs in a process of its own, so that each peak RSS is
// that reader's alone; the line "after imports" is what the process held before it read a byte.
//
// The file: BENCH_XLSX=path (for instance big_200000.xlsx from the shared annex generator), or a generated
// annex of BENCH_XLSX_ROWS task rows (200,000: six columns, shared strings, as Excel writes them), kept in the
// system's temporary folder between runs. A floor is measured in this process on the same file: inflating the
// sheet part with zlib and counting its tags, which no reader can beat.
// Run alone with `npx tsx bench/reader.ts`, or through `npm run bench -- reader`. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { PROVINCE_AGENCIES, TASK_VERBS } from './words.js';

const TARGET_CELLS_PER_SECOND = 1_000_000;
const TARGET_RSS_MB = 300;

const VERBS = TASK_VERBS;
const TOPICS = [
  'thủ tục hành chính',
  'văn bản quy phạm pháp luật',
  'Cổng dịch vụ công',
  'vị trí việc làm',
  'chữ ký số',
  'số hóa hồ sơ',
  'một cửa liên thông',
  'chuyển đổi số',
  'tự chủ tài chính',
  'đạo đức công vụ',
];
const PRODUCTS = [
  'Kế hoạch',
  'Báo cáo kết quả',
  'Quyết định phê duyệt',
  'Văn bản hướng dẫn',
  'Danh mục',
  'Thông báo kết luận kiểm tra',
];
const AGENCIES = [...PROVINCE_AGENCIES, 'UBND các xã, phường'];
const TIMES = ['Quý I/2026', 'Quý II/2026', 'Trước 30/6/2026', 'Tháng 9/2026', 'Thường xuyên', 'Năm 2026'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const col = (c: number) => String.fromCharCode(64 + c);

/** An annex workbook as Excel writes it: one sheet, shared strings, the task number as a number. */
export function generateLargeXlsx(taskRows: number): Uint8Array {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const sst = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = strings.push(s) - 1));
    return id;
  };
  const parts: string[] = [];
  let r = 0;
  const row = (cells: (string | number)[]) => {
    r++;
    let x = `<row r="${r}" spans="1:6">`;
    cells.forEach((v, i) => {
      if (v === '') return;
      x +=
        typeof v === 'number'
          ? `<c r="${col(i + 1)}${r}"><v>${v}</v></c>`
          : `<c r="${col(i + 1)}${r}" t="s"><v>${sst(v)}</v></c>`;
    });
    parts.push(`${x}</row>`);
  };
  row(['PHỤ LỤC']);
  row(['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện']);
  row(['I', 'CẢI CÁCH THỦ TỤC HÀNH CHÍNH']);
  for (let i = 1; i <= taskRows; i++) {
    // About half the task texts are new, as in a real roll-up where departments share some wording.
    const n = i % 2 ? i : i - 1;
    const task = `${VERBS[n % VERBS.length]} ${TOPICS[(n >> 3) % TOPICS.length]} gắn với ${TOPICS[(n >> 5) % TOPICS.length]} (nhiệm vụ ${n})`;
    row([
      i,
      task,
      `${PRODUCTS[i % PRODUCTS.length]} về ${TOPICS[i % TOPICS.length]}`,
      AGENCIES[i % AGENCIES.length],
      AGENCIES[(i + 3) % AGENCIES.length],
      TIMES[i % TIMES.length],
    ]);
  }
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}" xmlns:r="${R}"><dimension ref="A1:F${r}"/><sheetData>${parts.join('')}</sheetData><mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells></worksheet>`;
  parts.length = 0;
  const shared = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`;
  return zipSync(
    {
      '[Content_Types].xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
      ),
      '_rels/.rels': strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
      'xl/workbook.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS}" xmlns:r="${R}"><sheets><sheet name="Phụ lục" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml': strToU8(sheet),
      'xl/sharedStrings.xml': strToU8(shared),
    },
    { level: 6 },
  );
}

type Reader = 'own' | 'sheetjs' | 'exceljs';
interface Measure {
  reader: Reader;
  cells: number;
  ms: number;
  cpuMs: number;
  rssMB: number;
  baseMB: number;
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

/** One reader on one file, in this process (the child side of the bench). */
async function measure(reader: Reader, file: string): Promise<Measure> {
  const bytes = readFileSync(file);
  let count: () => Promise<number>;
  if (reader === 'own') {
    const { readFileToGrids } = await import('../io/read.js');
    count = async () => {
      let n = 0;
      for (const g of await readFileToGrids(bytes, 'phu-luc.xlsx'))
        for (const r of g.rows) for (const c of r.cells) if (c.text !== '') n++;
      return n;
    };
  } else if (reader === 'sheetjs') {
    const XLSX = await import('xlsx');
    const read = XLSX.read ?? (XLSX as unknown as { default: typeof XLSX }).default.read;
    count = async () => {
      const wb = read(bytes, { type: 'buffer', dense: true });
      let n = 0;
      for (const name of wb.SheetNames) {
        const ws = wb.Sheets[name] as unknown as ({ w?: string; v?: unknown } | undefined)[][];
        for (const row of ws) if (row) for (const c of row) if (c && (c.w ?? String(c.v ?? '')) !== '') n++;
      }
      return n;
    };
  } else {
    const ExcelJS = (await import('exceljs')).default;
    count = async () => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      let n = 0;
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void (c.text !== '' && n++))));
      return n;
    };
  }
  const base = process.memoryUsage().rss;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const cells = await count();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return {
    reader,
    cells,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMB: mb(process.resourceUsage().maxRSS * 1024),
    baseMB: mb(base),
  };
}

/** The sheet part inflated by zlib and its tags counted: the floor under any reader of this file. */
function floor(bytes: Buffer): { ms: number; cells: number } {
  let p = 0;
  let best = { ms: Infinity, cells: 0 };
  const sig = Buffer.from([0x50, 0x4b, 3, 4]);
  const entries: Buffer[] = [];
  while ((p = bytes.indexOf(sig, p)) >= 0) {
    const nameLength = bytes.readUInt16LE(p + 26);
    const name = bytes.toString('utf8', p + 30, p + 30 + nameLength);
    const start = p + 30 + nameLength + bytes.readUInt16LE(p + 28);
    if (name.startsWith('xl/worksheets/')) entries.push(bytes.subarray(start, start + bytes.readUInt32LE(p + 18)));
    p += 4;
  }
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    let cells = 0;
    for (const e of entries) {
      const xml = inflateRawSync(e);
      const c = Buffer.from('<c ');
      for (let q = xml.indexOf(c); q >= 0; q = xml.indexOf(c, q + 3)) cells++;
    }
    const ms = performance.now() - t;
    if (ms < best.ms) best = { ms, cells };
  }
  return best;
}

function benchFile(): string {
  if (process.env.BENCH_XLSX) return process.env.BENCH_XLSX;
  const rows = Number(process.env.BENCH_XLSX_ROWS ?? 200_000);
  const file = join(tmpdir(), `phu-luc-bench-reader-${rows}.xlsx`);
  if (!existsSync(file)) {
    writeFileSync(`${file}.part`, generateLargeXlsx(rows));
    renameSync(`${file}.part`, file);
  }
  return file;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const file = benchFile();
  const bytes = readFileSync(file);
  const self = fileURLToPath(import.meta.url);
  const readers: Reader[] = (process.env.BENCH_READERS?.split(',') as Reader[] | undefined) ?? [
    'own',
    'sheetjs',
    'exceljs',
  ];
  const results: (Measure | { reader: Reader; error: string })[] = [];
  for (const reader of readers) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', reader, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    try {
      results.push(JSON.parse(line) as Measure);
    } catch {
      results.push({
        reader,
        error: (child.stderr || child.stdout || `exit ${child.status}`).trim().split('\n').slice(-1)[0],
      });
    }
  }
  const f = floor(bytes);
  const name: Record<Reader, string> = {
    own: 'io/xlsx-read (readFileToGrids)',
    sheetjs: 'SheetJS (xlsx, dense)',
    exceljs: 'exceljs',
  };
  console.log(
    `file: ${Math.round((bytes.length / 1024 / 1024) * 10) / 10} MB xlsx, ${fmtInt(f.cells)} cells in the sheet XML${process.env.BENCH_XLSX ? '' : ' (generated)'}`,
  );
  const rows: string[][] = [['reader', 'cells', 'time', 'cells/s', 'peak RSS (after imports)', 'target', '']];
  for (const m of results) {
    if ('error' in m) {
      rows.push([name[m.reader], '—', '—', '—', '—', '', `failed: ${m.error}`]);
      continue;
    }
    const rate = m.cells / (m.ms / 1000);
    const own = m.reader === 'own';
    const ok = rate >= TARGET_CELLS_PER_SECOND && m.rssMB < TARGET_RSS_MB;
    rows.push([
      name[m.reader],
      fmtInt(m.cells),
      `${fmtInt(m.ms)} ms (cpu ${fmtInt(m.cpuMs)})`,
      fmtInt(rate),
      `${m.rssMB} MB (${m.baseMB} MB)`,
      own ? `≥ ${fmtInt(TARGET_CELLS_PER_SECOND)}/s, < ${TARGET_RSS_MB} MB` : '',
      own ? (ok ? 'ok' : 'MISSED') : '',
    ]);
  }
  rows.push([
    'floor: zlib inflate + tag count, this process',
    fmtInt(f.cells),
    `${fmtInt(f.ms)} ms`,
    fmtInt(f.cells / (f.ms / 1000)),
    '',
    '',
    '',
  ]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, r] of rows.entries()) {
    console.log(
      r
        .map((c, j) => c.padEnd(w[j]))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) console.log(w.map((n) => '-'.repeat(n)).join('  '));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--child')
    console.log(JSON.stringify(await measure(process.argv[3] as Reader, process.argv[4])));
  else await run();
}
