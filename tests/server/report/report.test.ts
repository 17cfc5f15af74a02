import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { consolidate, type Consolidated } from '../../../engine/index.js';
import {
  consolidatedToCsv,
  consolidatedToJson,
  CSV_HEADER,
  writeConsolidatedXlsx,
} from '../../../server/report/index.js';
import { annex, due } from '../../engine/merge/build.js';

function inputsOf() {
  const a = annex('Sheet1', [
    {
      area: 'procedure',
      tasks: [
        {
          task: '=HYPERLINK("http://x.invalid","bấm vào")',
          lead: ['Sở Tư pháp'],
          timeline: due('2026-03-31'),
          products: ['- Báo cáo rà soát', '@SUM(A1)'],
        },
        { task: 'Ban hành Kế hoạch tuyên truyền CCHC năm 2026', lead: ['+84 Sở A'], timeline: due('2026-09-30') },
      ],
    },
    {
      area: 'direction',
      tasks: [
        {
          task: 'Kiểm tra công tác cải cách hành chính',
          lead: ['Sở Nội vụ'],
          timeline: { kind: 'recurring', text: 'Thường xuyên' },
        },
      ],
    },
  ]);
  const b = annex('Sheet1', [
    {
      area: 'procedure',
      tasks: [{ task: 'Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2026 của đơn vị', lead: ['-Sở B'] }],
    },
  ]);
  return [
    {
      agencyId: 'so-tu-phap',
      agencyName: 'Sở Tư pháp',
      docNumber: '12/KH-STP',
      docDate: '2026-01-05',
      annex: a,
      version: 2,
    },
    { agencyId: 'so-b', agencyName: 'Sở B', annex: b, version: 1 },
  ];
}

function sample(): Consolidated {
  return consolidate(inputsOf(), { date: '2026-01-10', today: '2026-06-01' });
}

async function load(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

function texts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((cell) => out.push(String(cell.value ?? ''))));
  return out;
}

describe('writeConsolidatedXlsx', () => {
  it('writes an official annex: A4 landscape, repeated header rows, Times New Roman, heading lines', async () => {
    const c = sample();
    const wb = await load(
      await writeConsolidatedXlsx(c, { provinceName: 'Ninh Bình', year: 2026, issuer: 'Sở Nội vụ' }),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Phụ lục', 'Tổng hợp', 'Trùng lặp, xung đột']);
    const ws = wb.getWorksheet('Phụ lục')!;
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.printTitlesRow).toBe('5:6');
    expect(ws.getCell('A1').value).toBe('Phụ lục');
    expect(ws.getCell('A2').value).toBe('NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA TỈNH NINH BÌNH');
    expect(String(ws.getCell('A3').value)).toMatch(/^\(Kèm theo Kế hoạch số … ngày … của Sở Nội vụ\)$/);
    expect(ws.getCell('A3').font.italic).toBe(true);
    expect(ws.getRow(5).values).toEqual([
      undefined,
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
      'Cơ quan đăng ký',
    ]);
    for (const sheet of wb.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.font?.name, `${sheet.name}!${cell.address}`).toBe('Times New Roman');
        }),
      );
    }
    // Sections in reform-area order, titles in capitals, tasks with borders and wrapping.
    expect(ws.getCell('A7').value).toBe('I');
    expect(ws.getCell('B7').value).toBe('CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH');
    expect(ws.getCell('A9').value).toBe('II');
    expect(ws.getCell('B8').border.top?.style).toBe('thin');
    expect(ws.getCell('B8').alignment.wrapText).toBe(true);
    // Source agency with its document number and date.
    const source = String(ws.getCell('G10').value);
    expect(source).toBe('Sở Tư pháp (số 12/KH-STP ngày 05/01/2026)');
    // No file names, sheet names or cell references: the reader of a signed report cannot look them up.
    for (const t of texts(ws)) expect(t).not.toMatch(/Sheet1|!B\d/);
  });

  it('escapes user text that a spreadsheet would run as a formula, and writes no formulas', async () => {
    const c = sample();
    const buf = await writeConsolidatedXlsx(c);
    const wb = await load(buf);
    const ws = wb.getWorksheet('Phụ lục')!;
    const all = texts(ws);
    expect(all).toContain(`'=HYPERLINK("http://x.invalid","bấm vào")`);
    expect(all.some((t) => t.includes("'@SUM(A1)"))).toBe(false); // inside a multi-line cell it is not at the start
    expect(all).toContain('- Báo cáo rà soát\n@SUM(A1)');
    expect(all).toContain("'+84 Sở A");
    for (const sheet of wb.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => expect(cell.type, cell.address).not.toBe(ExcelJS.ValueType.Formula)),
      );
    }
    // And in the raw XML: no <f> element anywhere.
    const zip = await JSZip.loadAsync(buf);
    const sheets = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
    expect(sheets).toHaveLength(3);
    for (const name of sheets) {
      expect(await zip.file(name)!.async('string')).not.toMatch(/<f[ >]/);
    }
  });

  it('writes the summary and the sheet of similar tasks for review from the consolidation', async () => {
    const c = sample();
    expect(c.duplicates).toEqual([]);
    expect(c.candidates).toHaveLength(1);
    const wb = await load(await writeConsolidatedXlsx(c));
    const summary = texts(wb.getWorksheet('Tổng hợp')!);
    expect(summary).toContain('Cải cách thủ tục hành chính');
    expect(summary).toContain('Quý I/2026');
    expect(summary).toContain('Thường xuyên, định kỳ');
    expect(summary.some((t) => t.startsWith('4. Nhiệm vụ quá hạn (tính đến ngày 01/06/2026)'))).toBe(true);
    expect(summary).toContain(`'=HYPERLINK("http://x.invalid","bấm vào")`); // overdue task, escaped
    const issues = texts(wb.getWorksheet('Trùng lặp, xung đột')!);
    expect(issues).toContain('Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2026 của đơn vị');
    expect(issues).toContain('Sở B');
    expect(issues.some((t) => t.startsWith('1. Nhóm nhiệm vụ tương tự chưa xem xét (1)'))).toBe(true);
    expect(issues).toContain('Chưa gộp nhiệm vụ nào');
  });
});

describe('consolidatedToCsv / consolidatedToJson', () => {
  it('writes one escaped row per consolidated task', () => {
    const c = sample();
    const csv = consolidatedToCsv(c);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    expect(parsed.data[0]).toEqual(CSV_HEADER);
    expect(parsed.data).toHaveLength(1 + c.stats.tasks);
    const cells = parsed.data.flat();
    expect(cells).toContain(`'=HYPERLINK("http://x.invalid","bấm vào")`);
    expect(cells).toContain("'- Báo cáo rà soát\n@SUM(A1)");
    expect(cells.filter((v) => /^[=+\-@]/.test(v))).toEqual([]);
    expect(c.stats.tasks).toBe(c.stats.inputTasks);
    // A row a reviewer merged names every agency it came from, with its plan document.
    const g = c.candidates[0];
    const merged = consolidate(inputsOf(), {
      date: '2026-01-10',
      decisions: [
        {
          group: g.id,
          action: 'merge',
          members: g.members.map((m) => ({ agencyId: m.source.agencyId, task: m.task })),
        },
      ],
    });
    const rows = Papa.parse<string[]>(consolidatedToCsv(merged).slice(1), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(1 + merged.stats.tasks);
    const row = rows.find((r) => r[3] === 'Ban hành Kế hoạch tuyên truyền CCHC năm 2026')!;
    expect(row[14]).toBe('Sở B');
  });

  it('gives plain JSON data that round-trips', () => {
    const c = sample();
    const j = consolidatedToJson(c);
    expect(j.format).toBe('phu-luc.consolidated');
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
    expect(j.stats).toEqual(c.stats);
    expect(j.sections.map((s) => s.area)).toEqual(['direction', 'procedure']);
  });
});

describe('the "Trùng lặp, xung đột" sheet with a provincial plan', () => {
  it('lists lead conflicts and the plan tasks nobody took up', async () => {
    const plan = annex('KH', [
      {
        area: 'digital-government',
        tasks: [
          { task: 'Xây dựng Kế hoạch chuyển đổi số của tỉnh năm 2026', lead: ['Sở Khoa học và Công nghệ'] },
          { task: 'Tuyển dụng công chức theo vị trí việc làm', lead: ['Sở Nội vụ'] },
        ],
      },
    ]);
    const mine = (sheet: string, lead: string) =>
      annex(sheet, [
        {
          area: 'digital-government',
          tasks: [{ task: 'Xây dựng kế hoạch chuyển đổi số của tỉnh năm 2026', lead: [lead] }],
        },
      ]);
    const c = consolidate(
      [
        {
          agencyId: 'khcn',
          agencyName: 'Sở Khoa học và Công nghệ',
          annex: mine('KHCN', 'Sở Khoa học và Công nghệ'),
          version: 1,
        },
        { agencyId: 'vp', agencyName: 'Văn phòng UBND tỉnh', annex: mine('VP', 'Văn phòng UBND tỉnh'), version: 3 },
      ],
      { planAnnex: plan },
    );
    const wb = await load(await writeConsolidatedXlsx(c));
    const cells = texts(wb.getWorksheet('Trùng lặp, xung đột')!);
    expect(cells).toContain('3. Xung đột cơ quan chủ trì (1)');
    expect(cells).toContain(
      'Sở Khoa học và Công nghệ (theo kế hoạch tỉnh)\nSở Khoa học và Công nghệ\nVăn phòng UBND tỉnh',
    );
    expect(cells).toContain('4. Nhiệm vụ của kế hoạch tỉnh chưa có cơ quan nào triển khai (1/2)');
    expect(cells).toContain('2. Tuyển dụng công chức theo vị trí việc làm');
  });
});

describe('the NĐ 30 cover block in the xlsx report', () => {
  it('is off by default; when asked, sits above the heading, moves the repeated header rows, and "Nơi nhận" follows the table', async () => {
    const plain = (await load(await writeConsolidatedXlsx(sample()))).getWorksheet('Phụ lục')!;
    expect(texts(plain).join('\n')).not.toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');

    const cover = {
      issuer: 'UBND tỉnh Ninh Bình',
      number: '20/KH-UBND',
      place: 'Ninh Bình',
      date: '2026-01-15',
      recipients: ['Bộ Nội vụ;', 'Lưu: VT.'],
    };
    const ws = (
      await load(await writeConsolidatedXlsx(sample(), { provinceName: 'Ninh Bình', year: 2026, cover }))
    ).getWorksheet('Phụ lục')!;
    expect(ws.getCell('B1').value).toBe('UBND TỈNH NINH BÌNH');
    expect(ws.getCell('B1').font.bold).toBe(true);
    expect(ws.getCell('B2').value).toBe('Số: 20/KH-UBND');
    expect(ws.getCell('C1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(ws.getCell('C2').value).toBe('Độc lập - Tự do - Hạnh phúc');
    expect(ws.getCell('C3').value).toBe('Ninh Bình, ngày 15 tháng 01 năm 2026');
    // three cover rows and a blank one: the heading is on row 5, the header rows on 9:10
    expect(ws.getCell('A5').value).toBe('Phụ lục');
    expect(ws.pageSetup.printTitlesRow).toBe('9:10');
    expect(ws.getCell('A9').value).toBe('STT');
    const all = texts(ws);
    const at = all.indexOf('Nơi nhận:');
    expect(at).toBeGreaterThan(all.indexOf('STT'));
    expect(all.slice(at + 1, at + 3)).toEqual(['- Bộ Nội vụ;', '- Lưu: VT.']);
  });
});
