// Export of the consolidated report to a new Google Sheet with the same rows as the xlsx report: the xlsx that
// server/report writes is read back (exceljs) sheet by sheet — values, merges, bold rows, frozen header rows,
// column widths — and sent as spreadsheets.create, one values.batchUpdate (RAW: nothing is parsed or run as a
// formula) and one spreadsheets.batchUpdate for the formats.
// Types only at the top: exceljs itself loads on the first export, not with the server.
import type ExcelJS from 'exceljs';
import type { sheets_v4 } from 'googleapis';
import { parseA1 } from '../../engine/index.js';
import { NO_GAXIOS_RETRY, withRetry, type GoogleClients } from './client.js';
import { quoteSheet } from './intake.js';

export interface ExportSheet {
  title: string;
  values: (string | number)[][];
  /** Merged ranges as 1-based inclusive corners. */
  merges: { top: number; left: number; bottom: number; right: number }[];
  /** 1-based rows whose cells are bold (headings, table headers). */
  boldRows: number[];
  frozenRows: number;
  /** Column widths in Excel characters. */
  widths: number[];
}

function cellValue(cell: ExcelJS.Cell): string | number {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.replace(/^'(?=[=+@])/, ''); // the xlsx-only escape; RAW input is never a formula
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return cell.text ?? '';
}

/** The workbook's sheets as rows (merged-over cells empty, as in the file). */
export async function sheetsFromXlsx(bytes: Uint8Array): Promise<ExportSheet[]> {
  const { default: excel } = await import('exceljs');
  const wb = new excel.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out: ExportSheet[] = [];
  wb.eachSheet((ws) => {
    const width = ws.columnCount;
    const values: (string | number)[][] = [];
    const boldRows: number[] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const line: (string | number)[] = [];
      let bold = false;
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        const covered = cell.isMerged && cell.master !== cell;
        const v = covered ? '' : cellValue(cell);
        line.push(v);
        if (v !== '' && cell.font?.bold) bold = true;
      }
      values.push(line);
      if (bold) boldRows.push(r);
    }
    const merges = ((ws.model as { merges?: string[] }).merges ?? []).map((m) => {
      const [a, b] = m.split(':');
      const p = parseA1(a)!;
      const q = parseA1(b ?? a)!;
      return { top: p.row, left: p.column, bottom: q.row, right: q.column };
    });
    const view = (ws.views ?? [])[0] as { state?: string; ySplit?: number } | undefined;
    out.push({
      title: ws.name,
      values,
      merges,
      boldRows,
      frozenRows: view?.state === 'frozen' ? (view.ySplit ?? 0) : 0,
      widths: Array.from({ length: width }, (_, i) => ws.getColumn(i + 1).width ?? 9),
    });
  });
  return out;
}

/** Excel character widths → pixels (Calibri 11: about 7 px a character plus padding). */
const pixels = (chars: number) => Math.round(chars * 7 + 5);

export function formatRequests(sheetId: number, s: ExportSheet): sheets_v4.Schema$Request[] {
  const width = Math.max(1, ...s.values.map((r) => r.length));
  const requests: sheets_v4.Schema$Request[] = [];
  for (const m of s.merges) {
    requests.push({
      mergeCells: {
        range: {
          sheetId,
          startRowIndex: m.top - 1,
          endRowIndex: m.bottom,
          startColumnIndex: m.left - 1,
          endColumnIndex: m.right,
        },
        mergeType: 'MERGE_ALL',
      },
    });
  }
  for (const r of s.boldRows) {
    requests.push({
      repeatCell: {
        range: { sheetId, startRowIndex: r - 1, endRowIndex: r, startColumnIndex: 0, endColumnIndex: width },
        cell: { userEnteredFormat: { textFormat: { bold: true } } },
        fields: 'userEnteredFormat.textFormat.bold',
      },
    });
  }
  // Long texts wrap, top-aligned, as in the printed annex.
  requests.push({
    repeatCell: {
      range: {
        sheetId,
        startRowIndex: 0,
        endRowIndex: Math.max(1, s.values.length),
        startColumnIndex: 0,
        endColumnIndex: width,
      },
      cell: { userEnteredFormat: { wrapStrategy: 'WRAP', verticalAlignment: 'TOP' } },
      fields: 'userEnteredFormat.wrapStrategy,userEnteredFormat.verticalAlignment',
    },
  });
  s.widths.forEach((w, i) =>
    requests.push({
      updateDimensionProperties: {
        range: { sheetId, dimension: 'COLUMNS', startIndex: i, endIndex: i + 1 },
        properties: { pixelSize: pixels(w) },
        fields: 'pixelSize',
      },
    }),
  );
  if (s.frozenRows) {
    requests.push({
      updateSheetProperties: {
        properties: { sheetId, gridProperties: { frozenRowCount: s.frozenRows } },
        fields: 'gridProperties.frozenRowCount',
      },
    });
  }
  return requests;
}

export interface ExportResult {
  spreadsheetId: string;
  url: string;
  sheets: { title: string; rows: number }[];
  sharedWith: string[];
}

/** Creates the spreadsheet, writes every sheet's rows in one call, formats in one call, then shares it. */
export async function exportToGoogleSheet(
  g: GoogleClients,
  title: string,
  sheets: ExportSheet[],
  shareWith: string[] = [],
): Promise<ExportResult> {
  const ctx = { action: 'create' as const, email: g.email };
  const created = await withRetry(g.options, ctx, () =>
    g.sheets.spreadsheets.create(
      {
        requestBody: {
          properties: { title, locale: 'vi_VN', timeZone: 'Asia/Ho_Chi_Minh' },
          sheets: sheets.map((s, index) => ({
            properties: {
              sheetId: index,
              title: s.title,
              index,
              gridProperties: {
                rowCount: Math.max(s.values.length, 1) + 20,
                columnCount: Math.max(1, ...s.values.map((r) => r.length)),
              },
            },
          })),
        },
        fields: 'spreadsheetId,spreadsheetUrl,sheets.properties(sheetId,title)',
      },
      NO_GAXIOS_RETRY,
    ),
  );
  const spreadsheetId = created.data.spreadsheetId!;
  const url = created.data.spreadsheetUrl ?? `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`;
  const ids = new Map((created.data.sheets ?? []).map((s) => [s.properties?.title ?? '', s.properties?.sheetId ?? 0]));
  const write = { action: 'write' as const, email: g.email, spreadsheetId };
  await withRetry(g.options, write, () =>
    g.sheets.spreadsheets.values.batchUpdate(
      {
        spreadsheetId,
        requestBody: {
          valueInputOption: 'RAW',
          data: sheets
            .filter((s) => s.values.length)
            .map((s) => ({ range: `${quoteSheet(s.title)}!A1`, majorDimension: 'ROWS', values: s.values })),
        },
      },
      NO_GAXIOS_RETRY,
    ),
  );
  const requests = sheets.flatMap((s) => formatRequests(ids.get(s.title) ?? 0, s));
  if (requests.length) {
    await withRetry(g.options, write, () =>
      g.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, NO_GAXIOS_RETRY),
    );
  }
  // The service account owns the file: without sharing nobody else can open it.
  const sharedWith: string[] = [];
  for (const email of [...new Set(shareWith)]) {
    await withRetry(g.options, { action: 'share', email: g.email, spreadsheetId }, () =>
      g.drive.permissions.create(
        {
          fileId: spreadsheetId,
          sendNotificationEmail: false,
          requestBody: { type: 'user', role: 'writer', emailAddress: email },
        },
        NO_GAXIOS_RETRY,
      ),
    );
    sharedWith.push(email);
  }
  return { spreadsheetId, url, sheets: sheets.map((s) => ({ title: s.title, rows: s.values.length })), sharedWith };
}
