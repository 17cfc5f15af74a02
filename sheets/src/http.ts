// Submitting to the Phụ lục server: the HTTP calls (UrlFetchApp) with the agency token, and the submission itself.
import type { Report } from '../../engine/index.js';
import type { SubmitResponse } from '../../contracts/index.js';
import { PROP, getSettings, readWorkbook, spreadsheet, userProps } from './workbook.js';
import { ApiError, calls, type Call, type HttpAnswer, type HttpRequest } from '../../clients/api.js';

// ---------------------------------------------------------------------------------------------
// Submitting to the Phụ lục server (same endpoint and JSON grids as the Excel add-in).
// ---------------------------------------------------------------------------------------------

/** What the sidebar shows of a stored version (a submission or a push): the answer without its full report. */
export interface StoredView {
  submissionId: string;
  version: number;
  duplicate: boolean;
  status: string;
  stats: Report['stats'] | null;
}

export function storedView(answer: SubmitResponse): StoredView {
  return {
    submissionId: answer.submissionId,
    version: answer.version,
    duplicate: answer.duplicate,
    status: answer.status,
    stats: answer.report?.stats ?? null,
  };
}

export interface SubmitView extends StoredView {
  roundTitle: string;
}

export function connection(): { server: string; token: string } {
  const server = userProps().getProperty(PROP.server);
  const token = userProps().getProperty(PROP.token);
  if (!server || !token) throw new Error('Chưa cài đặt máy chủ và mã truy cập của cơ quan: mở Phụ lục › Cài đặt.');
  return { server, token };
}

/** The UrlFetchApp transport of the shared client protocol (synchronous, like everything in Apps Script). */
export function send(req: HttpRequest): HttpAnswer {
  const { server, token } = connection();
  let res: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    res = UrlFetchApp.fetch(server.replace(/\/+$/, '') + req.path, {
      method: req.method.toLowerCase() as GoogleAppsScript.URL_Fetch.HttpMethod,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      muteHttpExceptions: true,
      ...(req.body === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(req.body) }),
    });
  } catch (err) {
    throw new Error(`Không kết nối được máy chủ ${server}: ${(err as Error).message}`);
  }
  return { status: res.getResponseCode(), text: res.getContentText('UTF-8') };
}

/** A server error as the sidebar shows it: one line, the message and its hint. */
export function shown(e: unknown): unknown {
  return e instanceof ApiError ? new Error(e.text) : e;
}

/** One call of the shared protocol over UrlFetchApp. */
export function run<T>(c: Call<T>): T {
  const answer = send(c.request);
  try {
    return c.read(answer);
  } catch (e) {
    throw shown(e);
  }
}

export function listRounds(): { id: string; title: string; deadline?: string; locked?: boolean }[] {
  return run(calls.rounds()).rounds.map((r) => ({
    id: r.id,
    title: r.title,
    ...(r.deadline ? { deadline: r.deadline } : {}),
    locked: r.locked,
  }));
}

/** Nộp báo cáo: the workbook's sheets as JSON grids to the round chosen in Cài đặt. */
export function submit(): SubmitView {
  const s = getSettings();
  if (!s.roundId) throw new Error('Chưa chọn đợt báo cáo: mở Phụ lục › Cài đặt và chọn đợt cần nộp.');
  const ss = spreadsheet();
  const grids = readWorkbook(ss).map((d) => d.grid);
  const body = run(calls.submit(s.roundId, { grids, source: 'sheets-addon', fileName: ss.getName() }));
  return { ...storedView(body), roundTitle: s.roundTitle };
}
