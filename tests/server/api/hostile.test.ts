// Hostile uploads against the running server: each is sent while /api/health is polled, every health
// answer must come within 1 s (files are read in the parse pool, never on the request loop), the upload
// gets its coded refusal, and the server goes on serving afterwards.
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, NS, sheet, xlsx } from '../../io/helpers.js';
import { officerInRound, RawJson, startServer, type Client, type Res, type TestServer } from './harness.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const SEED = '000_683635a77beddbc9.txt';

async function docxSpan(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  zip.file(
    'word/document.xml',
    `<w:document xmlns:w="${W}"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>Nhiệm vụ</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

async function zipBomb(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('xl/workbook.xml', '<workbook/>');
  zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(60 * 1024 * 1024, 0x20));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** A JSON grid body: a header row, `rows` rows of `cols` short cells, and extra grid fields. */
function jsonGrid(rows: number, cols: number, extra: Record<string, unknown> = {}): string {
  const cell = '{"text":"x"}';
  const row = (i: number) => `{"index":${i},"cells":[${Array(cols).fill(cell).join(',')}]}`;
  const body = [`{"index":1,"cells":[{"text":"STT"},{"text":"Nhiệm vụ"}]}`];
  for (let i = 2; i <= rows + 1; i++) body.push(row(i));
  const tail = Object.entries(extra)
    .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join('');
  return `{"source":"api","grids":[{"sheet":"Phụ lục","kind":"sheet","rows":[${body.join(',')}]${tail}}]}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `action` while /api/health is asked every 50 ms; returns the action's answer and each health time. */
async function watchingHealth<T>(base: string, action: () => Promise<T>): Promise<{ result: T; times: number[] }> {
  const times: number[] = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const t0 = performance.now();
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) });
      await r.arrayBuffer();
      times.push(performance.now() - t0);
      expect(r.status).toBe(200);
      await sleep(50);
    }
  })();
  try {
    return { result: await action(), times };
  } finally {
    done = true;
    await poll;
  }
}

function expectRefused(r: Res, status: number, code: string): void {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  // Vietnamese for the officer, with its diacritics.
  expect(r.body.error.message).toMatch(/[ạảãáàâấầẩẫậăắằẳẵặđẹẻẽéèêếềểễệọỏõóòôốồổỗộơớờởỡợụủũúùưứừửữựịỉĩíìỵỷỹýỳ]/);
}

/** Sends the request while /api/health is watched: it gets its coded refusal, and health answers within 1 s. */
async function expectRefusedWhileHealthy(base: string, send: () => Promise<Res>, status: number, code: string) {
  const { result, times } = await watchingHealth(base, send);
  expectRefused(result, status, code);
  expect(times.length).toBeGreaterThan(0);
  expect(Math.max(...times)).toBeLessThan(1000);
}

describe('hostile uploads: the server keeps answering', () => {
  let t: TestServer;
  let officer: Client;
  let roundId: string;

  beforeAll(async () => {
    t = await startServer({ maxUploadBytes: 40 * 1024 * 1024 });
    ({ officer, roundId } = await officerInRound(t, 'Đợt thử tệp độc'));
  });
  afterAll(async () => {
    await t?.close();
  });

  // Each input is made before the watch starts: making it (a 60 MB deflate, a 30 MB string) would block
  // this process, which is also the server's.
  type Payload = { file: Uint8Array; name: string } | { json: string };
  const numberFormat = `<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="${'dd/mm/yyyy hh:mm:ss '.repeat(3300)}"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`;
  const cases: { name: string; make: () => Promise<Payload>; status: number; code: string }[] = [
    {
      name: 'a 3 KB xlsx merging A3:XFD1048576',
      make: async () => ({
        file: await xlsx(sheet(HEADER, '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>')),
        name: 'gop.xlsx',
      }),
      status: 413,
      code: 'input.limit-merge-area',
    },
    {
      name: 'a docx with gridSpan 2,000,000,000',
      make: async () => ({ file: await docxSpan(), name: 'span.docx' }),
      status: 422,
      code: 'input.limit-docx-span',
    },
    {
      name: 'a 64k-character number format',
      make: async () => ({
        file: await xlsx(sheet(`${HEADER}<row r="2"><c r="A2" s="1"><v>45000</v></c></row>`), { styles: numberFormat }),
        name: 'dinh-dang.xlsx',
      }),
      status: 422,
      code: 'input.limit-number-format',
    },
    {
      name: 'JSON grids merging B2:B30000000',
      make: async () => ({ json: jsonGrid(400, 3, { merges: ['B2:B30000000'] }) }),
      status: 413,
      code: 'input.limit-merge-area',
    },
    {
      name: 'JSON grids with 60,000 merged ranges',
      make: async () => ({
        json: jsonGrid(10, 3, { merges: Array.from({ length: 60_000 }, (_, i) => `C${i + 2}:D${i + 2}`) }),
      }),
      status: 413,
      code: 'input.limit-merge-count',
    },
    {
      name: 'a zip bomb (60 MB of spaces in a few KB)',
      make: async () => ({ file: await zipBomb(), name: 'bom.xlsx' }),
      status: 413,
      code: 'input.zip-bomb',
    },
    {
      name: 'an xlsx with a value in row 1,048,576',
      make: async () => ({
        file: await xlsx(sheet(`${HEADER}<row r="1048576"><c r="A1048576"><v>1</v></c></row>`)),
        name: 'dong.xlsx',
      }),
      status: 413,
      code: 'input.limit-rows',
    },
    {
      name: 'JSON grids of 2.6 million cells',
      make: async () => ({ json: jsonGrid(2_600, 1_000) }),
      status: 413,
      code: 'input.limit-cells',
    },
  ];

  for (const c of cases) {
    it(`${c.name}: refused with ${c.code}, health answers within 1 s throughout`, async () => {
      const p = await c.make();
      const form = 'file' in p ? new FormData() : null;
      if (form && 'file' in p) form.append('file', new Blob([new Uint8Array(p.file)]), p.name);
      const body = form ?? new RawJson('json' in p ? p.json : '');
      const send = () => officer.req('POST', `/api/rounds/${roundId}/submissions`, body);
      await expectRefusedWhileHealthy(t.base, send, c.status, c.code);
    });
  }

  it('the marked copy (POST /api/check/marked.xlsx) reads in the pool too: a merge bomb is refused, health answers', async () => {
    const file = await xlsx(sheet(HEADER, '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), 'gop.xlsx');
    const send = () => officer.req('POST', '/api/check/marked.xlsx', form);
    await expectRefusedWhileHealthy(t.base, send, 413, 'input.limit-merge-area');
  });

  it('the server still takes a real annex afterwards', async () => {
    const r = await officer.upload(roundId, readFileSync(`seeds/${SEED}`), SEED);
    expect(r.status).toBe(201);
    expect(r.body.report.stats.tasks).toBeGreaterThan(0);
    expect((await fetch(`${t.base}/api/health`)).status).toBe(200);
  });
});

describe('parse limits of time, memory and concurrency', () => {
  let t: TestServer;
  let officer: Client;
  let roundId: string;

  async function setUp(opts: Parameters<typeof startServer>[0]): Promise<void> {
    t = await startServer(opts);
    ({ officer, roundId } = await officerInRound(t, 'Đợt giới hạn'));
    // The pool's thread started, so the limits below measure the work and not a thread's start.
    expect((await officer.upload(roundId, readFileSync(`seeds/${SEED}`), SEED)).status).toBe(201);
  }

  afterAll(async () => {
    await t?.close();
  });

  const stopped = [
    {
      name: 'a parse over its time limit is stopped (422 input.parse-timeout)',
      opts: { parse: { timeoutMs: 1500, threads: 1 } },
      json: () => jsonGrid(200_000, 4),
      status: 422,
      code: 'input.parse-timeout',
    },
    {
      name: 'a parse over its heap limit kills its thread only (413 input.parse-memory)',
      opts: { parse: { heapMb: 128, threads: 1 }, maxUploadBytes: 40 * 1024 * 1024 },
      json: () => jsonGrid(240_000, 10),
      status: 413,
      code: 'input.parse-memory',
    },
  ];
  for (const c of stopped) {
    it(`${c.name}, the server answers throughout and after`, async () => {
      await setUp(c.opts);
      const body = new RawJson(c.json());
      const send = () => officer.req('POST', `/api/rounds/${roundId}/submissions`, body);
      await expectRefusedWhileHealthy(t.base, send, c.status, c.code);
      expect((await officer.upload(roundId, readFileSync(`seeds/${SEED}`), SEED)).status).toBe(200);
      await t.close();
    });
  }

  it("one user's parses beyond their line are refused (429 parse.busy); others are served", async () => {
    await setUp({ parse: { perUser: 1, perUserQueue: 1 } });
    const body = new RawJson(jsonGrid(20_000, 6));
    const slow = () => officer.req('POST', `/api/rounds/${roundId}/submissions`, body);
    const answers = await Promise.all([slow(), slow(), slow()]);
    const busy = answers.filter((r) => r.status === 429);
    expect(busy.length).toBe(1);
    expectRefused(busy[0], 429, 'parse.busy');
    expect(busy[0].body.error.message).toMatch(/lần nộp chờ máy chủ đọc/);
    expect(answers.filter((r) => r.status !== 429).every((r) => r.status < 500)).toBe(true);
    await t.close();
  });
});
