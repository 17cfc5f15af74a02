// Submitting to the Phụ lục server: the HTTP calls (UrlFetchApp) with the agency token, and the submission itself.
import type { Report } from '../../engine/index.js';
import { PROP, getSettings, parseJson, readWorkbook, spreadsheet, userProps } from './workbook.js';

// ---------------------------------------------------------------------------------------------
// Submitting to the Phụ lục server (same endpoint and JSON grids as the Excel add-in).
// ---------------------------------------------------------------------------------------------

export interface SubmitView {
  submissionId: string;
  version: number;
  duplicate: boolean;
  status: string;
  stats: Report['stats'] | null;
  roundTitle: string;
}

export function connection(): { server: string; token: string } {
  const server = userProps().getProperty(PROP.server);
  const token = userProps().getProperty(PROP.token);
  if (!server || !token) throw new Error('Chưa cài đặt máy chủ và mã truy cập của cơ quan: mở Phụ lục › Cài đặt.');
  return { server, token };
}

export function request(
  method: 'get' | 'post',
  path: string,
  body?: unknown,
): { status: number; json: Record<string, unknown> | null } {
  const { server, token } = connection();
  let res: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    res = UrlFetchApp.fetch(server + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      muteHttpExceptions: true,
      ...(body === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new Error(`Không kết nối được máy chủ ${server}: ${(err as Error).message}`);
  }
  const status = res.getResponseCode();
  const json = parseJson<Record<string, unknown>>(res.getContentText('UTF-8'));
  if (status < 400 && !json) throw new Error(`Máy chủ ${server} trả về dữ liệu không phải JSON (HTTP ${status}).`);
  return { status, json };
}

export function httpError(status: number, json: Record<string, unknown> | null): Error {
  const e = (json?.error ?? {}) as { message?: string; hint?: string };
  const msg = e.message ?? `Máy chủ trả lỗi HTTP ${status}.`;
  return new Error(e.hint ? `${msg} ${e.hint}` : msg);
}

export function call<T>(method: 'get' | 'post', path: string, body?: unknown): T {
  const { status, json } = request(method, path, body);
  if (status >= 400) throw httpError(status, json);
  return json as T;
}

export function listRounds(): { id: string; title: string; deadline?: string; locked?: boolean }[] {
  const body = call<{ rounds?: { id: string; title: string; deadline?: string; locked?: boolean | number }[] }>(
    'get',
    '/api/rounds',
  );
  return (body.rounds ?? []).map((r) => ({
    id: r.id,
    title: r.title,
    ...(r.deadline ? { deadline: r.deadline } : {}),
    locked: Boolean(r.locked),
  }));
}

/** Nộp báo cáo: the workbook's sheets as JSON grids to the round chosen in Cài đặt. */
export function submit(): SubmitView {
  const s = getSettings();
  if (!s.roundId) throw new Error('Chưa chọn đợt báo cáo: mở Phụ lục › Cài đặt và chọn đợt cần nộp.');
  const ss = spreadsheet();
  const grids = readWorkbook(ss).map((d) => d.grid);
  const body = call<{ submissionId: string; version: number; duplicate: boolean; status: string; report?: Report }>(
    'post',
    `/api/rounds/${encodeURIComponent(s.roundId)}/submissions`,
    { grids, source: 'sheets-addon', fileName: ss.getName() },
  );
  return {
    submissionId: body.submissionId,
    version: body.version,
    duplicate: body.duplicate,
    status: body.status,
    stats: body.report?.stats ?? null,
    roundTitle: s.roundTitle,
  };
}
