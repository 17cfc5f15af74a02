// A local fake of the Google endpoints the server uses, faithful to their documented request and response
// shapes (Sheets API v4 REST reference, OAuth 2.0 for service accounts, Drive v3 permissions):
//   POST /token                                   JWT-bearer grant: RS256 signature checked against the key
//   GET  /v4/spreadsheets/{id}                    ?includeGridData&ranges&fields (field masks applied)
//   GET  /v4/spreadsheets/{id}/values/{range}     ValueRange
//   GET  /v4/spreadsheets/{id}/values:batchGet    ?ranges=…
//   PUT  /v4/spreadsheets/{id}/values/{range}     ?valueInputOption=RAW|USER_ENTERED
//   POST /v4/spreadsheets/{id}/values:batchUpdate
//   POST /v4/spreadsheets                         create
//   POST /v4/spreadsheets/{id}:batchUpdate        mergeCells, repeatCell, updateDimensionProperties, updateSheetProperties
//   POST /drive/v3/files/{id}/permissions         share with a user
// Errors use Google's JSON error shape: 401 UNAUTHENTICATED, 403 PERMISSION_DENIED (not shared with the caller's
// service-account email), 404 NOT_FOUND, 429 RESOURCE_EXHAUSTED (on demand), 400 INVALID_ARGUMENT.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { a1, columnIndex } from '../../../engine/a1.js';

export interface CellData {
  userEnteredValue?: { stringValue?: string; numberValue?: number; boolValue?: boolean; formulaValue?: string };
  effectiveValue?: { stringValue?: string; numberValue?: number; boolValue?: boolean };
  formattedValue?: string;
  userEnteredFormat?: { textFormat?: { bold?: boolean }; wrapStrategy?: string; verticalAlignment?: string };
}

export interface GridRange {
  sheetId?: number;
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}

export interface FakeSheet {
  properties: {
    sheetId: number;
    title: string;
    index: number;
    hidden?: boolean;
    gridProperties: { rowCount: number; columnCount: number; frozenRowCount?: number };
  };
  cells: (CellData | undefined)[][];
  merges: GridRange[];
  columnWidths: (number | undefined)[];
}

export interface FakeDoc {
  spreadsheetId: string;
  properties: { title: string; locale: string; timeZone: string };
  sheets: FakeSheet[];
  owner: string;
  sharedWith: Set<string>;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  caller?: string;
  body?: unknown;
  status: number;
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_AUDIENCES = ['https://oauth2.googleapis.com/token'];

// ---------------------------------------------------------------------------------------------
// Field masks ("sheets(properties(title),data.rowData.values.formattedValue)").
// ---------------------------------------------------------------------------------------------

type Mask = Map<string, Mask | true>;

export function parseFieldMask(text: string): Mask {
  let i = 0;
  const list = (): Mask => {
    const out: Mask = new Map();
    while (i < text.length && text[i] !== ')') {
      let name = '';
      while (i < text.length && !',()'.includes(text[i])) name += text[i++];
      name = name.trim();
      let sub: Mask | true = true;
      if (text[i] === '(') {
        i++;
        sub = list();
        if (text[i] !== ')') throw new HttpError(400, 'INVALID_ARGUMENT', `Invalid field selection ${text}`);
        i++;
      }
      if (name) {
        const parts = name.split(/[./]/);
        let node = out;
        parts.forEach((p, k) => {
          if (k === parts.length - 1) {
            const prev = node.get(p);
            node.set(
              p,
              prev instanceof Map && sub instanceof Map ? new Map([...prev, ...sub]) : prev === true ? true : sub,
            );
          } else {
            let next = node.get(p);
            if (next === true) return;
            if (!next) {
              next = new Map();
              node.set(p, next);
            }
            node = next;
          }
        });
      }
      if (text[i] === ',') i++;
    }
    return out;
  };
  return list();
}

export function applyMask(value: unknown, mask: Mask | true): unknown {
  if (mask === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => applyMask(v, mask));
  const out: Record<string, unknown> = {};
  for (const [k, sub] of mask) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = applyMask(v, sub);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A1 ranges.
// ---------------------------------------------------------------------------------------------

interface Resolved {
  sheet: FakeSheet;
  r1: number;
  c1: number;
  r2: number;
  c2: number;
  /** True when the range named cells (not a whole sheet). */
  bounded: boolean;
}

function splitSheet(range: string): { title?: string; cells?: string } {
  const m = /^'((?:[^']|'')*)'(?:!(.*))?$/.exec(range) ?? /^([^!]+)!(.*)$/.exec(range);
  if (m) return { title: m[1].replace(/''/g, "'"), cells: m[2] || undefined };
  return /^[A-Za-z]{1,3}\d*(:[A-Za-z]{1,3}\d*)?$/.test(range) ? { cells: range } : { title: range };
}

function resolveRange(doc: FakeDoc, range: string): Resolved {
  const { title, cells } = splitSheet(range.trim());
  const sheet = title === undefined ? doc.sheets[0] : doc.sheets.find((s) => s.properties.title === title);
  if (!sheet) throw new HttpError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
  const g = sheet.properties.gridProperties;
  if (!cells) return { sheet, r1: 1, c1: 1, r2: g.rowCount, c2: g.columnCount, bounded: false };
  const [a, b] = cells.split(':');
  const pa = /^([A-Za-z]{1,3})(\d*)$/.exec(a);
  const pb = /^([A-Za-z]{1,3})(\d*)$/.exec(b ?? a);
  if (!pa || !pb) throw new HttpError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`);
  return {
    sheet,
    r1: pa[2] ? Number(pa[2]) : 1,
    c1: columnIndex(pa[1]),
    r2: pb[2] ? Number(pb[2]) : b === undefined && pa[2] ? Number(pa[2]) : g.rowCount,
    c2: columnIndex(pb[1]),
    bounded: true,
  };
}

const rangeName = (s: FakeSheet, r1: number, c1: number, r2: number, c2: number) =>
  `'${s.properties.title.replace(/'/g, "''")}'!${a1(r1, c1)}${r1 === r2 && c1 === c2 ? '' : `:${a1(r2, c2)}`}`;

// ---------------------------------------------------------------------------------------------
// The server.
// ---------------------------------------------------------------------------------------------

export interface ServiceAccountKeyJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export class FakeGoogle {
  server!: Server;
  rootUrl = '';
  docs = new Map<string, FakeDoc>();
  log: LoggedRequest[] = [];
  /** Answer the next n Sheets/Drive requests with 429 RESOURCE_EXHAUSTED. */
  quotaFailures = 0;
  private keys = new Map<string, string>(); // client_email → public key PEM
  private tokens = new Map<string, { email: string; scope: string }>();
  private seq = 1;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.rootUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get tokenUri(): string {
    return `${this.rootUrl}token`;
  }

  /** A new service account with a fresh RSA key; returns its JSON key file as Google issues it. */
  serviceAccount(name = 'phuluc-server'): ServiceAccountKeyJson {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const email = `${name}@phuluc-test.iam.gserviceaccount.com`;
    this.keys.set(email, publicKey.export({ type: 'spki', format: 'pem' }) as string);
    return {
      type: 'service_account',
      project_id: 'phuluc-test',
      private_key_id: randomBytes(20).toString('hex'),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      client_email: email,
      client_id: String(100000000000000 + this.keys.size),
      token_uri: this.tokenUri,
    };
  }

  /** Test helper: a spreadsheet as an officer typed it (strings; numbers typed as numbers). */
  addSpreadsheet(input: {
    title: string;
    owner?: string;
    sharedWith?: string[];
    sheets: { title: string; rows: (string | number)[][]; merges?: string[]; hidden?: boolean }[];
  }): string {
    const id = `1${randomBytes(21).toString('base64url')}`;
    const owner = input.owner ?? 'can.bo@sotuphap.gov.vn';
    const doc: FakeDoc = {
      spreadsheetId: id,
      properties: { title: input.title, locale: 'vi_VN', timeZone: 'Asia/Ho_Chi_Minh' },
      sheets: [],
      owner,
      sharedWith: new Set([owner, ...(input.sharedWith ?? [])]),
    };
    input.sheets.forEach((s, index) => {
      const sheet = this.newSheet(
        index,
        s.title,
        Math.max(1000, s.rows.length),
        Math.max(26, ...s.rows.map((r) => r.length)),
      );
      if (s.hidden) sheet.properties.hidden = true;
      s.rows.forEach((line, r) => line.forEach((v, c) => v !== '' && this.put(sheet, r + 1, c + 1, v, 'USER_ENTERED')));
      for (const m of s.merges ?? []) {
        const [x, y] = m.split(':');
        const p = /^([A-Z]+)(\d+)$/.exec(x)!;
        const q = /^([A-Z]+)(\d+)$/.exec(y ?? x)!;
        sheet.merges.push({
          sheetId: sheet.properties.sheetId,
          startRowIndex: Number(p[2]) - 1,
          endRowIndex: Number(q[2]),
          startColumnIndex: columnIndex(p[1]) - 1,
          endColumnIndex: columnIndex(q[1]),
        });
      }
      doc.sheets.push(sheet);
    });
    this.docs.set(id, doc);
    return id;
  }

  private newSheet(index: number, title: string, rows = 1000, columns = 26, sheetId?: number): FakeSheet {
    return {
      properties: {
        sheetId: sheetId ?? (index === 0 ? 0 : this.seq++ * 1000 + index),
        title,
        index,
        gridProperties: { rowCount: rows, columnCount: columns },
      },
      cells: [],
      merges: [],
      columnWidths: [],
    };
  }

  private put(sheet: FakeSheet, row: number, column: number, v: unknown, mode: 'RAW' | 'USER_ENTERED'): void {
    while (sheet.cells.length < row) sheet.cells.push([]);
    const line = sheet.cells[row - 1];
    while (line.length < column) line.push(undefined);
    const g = sheet.properties.gridProperties;
    g.rowCount = Math.max(g.rowCount, row);
    g.columnCount = Math.max(g.columnCount, column);
    const old = line[column - 1];
    const keep = old?.userEnteredFormat ? { userEnteredFormat: old.userEnteredFormat } : {};
    if (v === '' || v === null || v === undefined) {
      line[column - 1] = Object.keys(keep).length ? keep : undefined;
      return;
    }
    if (typeof v === 'number')
      line[column - 1] = {
        ...keep,
        userEnteredValue: { numberValue: v },
        effectiveValue: { numberValue: v },
        formattedValue: String(v),
      };
    else if (typeof v === 'boolean')
      line[column - 1] = {
        ...keep,
        userEnteredValue: { boolValue: v },
        effectiveValue: { boolValue: v },
        formattedValue: v ? 'TRUE' : 'FALSE',
      };
    else {
      const s = String(v);
      if (mode === 'USER_ENTERED' && s.startsWith('=') && s.length > 1)
        line[column - 1] = { ...keep, userEnteredValue: { formulaValue: s }, formattedValue: '' };
      else if (mode === 'USER_ENTERED' && /^-?\d+(\.\d+)?$/.test(s))
        line[column - 1] = {
          ...keep,
          userEnteredValue: { numberValue: Number(s) },
          effectiveValue: { numberValue: Number(s) },
          formattedValue: s,
        };
      else
        line[column - 1] = {
          ...keep,
          userEnteredValue: { stringValue: s },
          effectiveValue: { stringValue: s },
          formattedValue: s,
        };
    }
  }

  /** Test helper: a sheet's values as shown (formattedValue), trimmed to content. */
  shown(spreadsheetId: string, title: string): string[][] {
    const sheet = this.docs.get(spreadsheetId)?.sheets.find((s) => s.properties.title === title);
    if (!sheet) throw new Error(`no sheet ${title}`);
    const rows = sheet.cells.map((line) => line.map((c) => c?.formattedValue ?? ''));
    while (rows.length && rows[rows.length - 1].every((x) => x === '')) rows.pop();
    return rows;
  }

  // -------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      status: 200,
    };
    this.log.push(entry);
    const send = (status: number, body: unknown) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    try {
      if (url.pathname === '/token' && req.method === 'POST') return send(200, this.token(new URLSearchParams(raw)));
      const caller = this.caller(req);
      entry.caller = caller;
      const body = raw ? (JSON.parse(raw) as unknown) : undefined;
      entry.body = body;
      if (this.quotaFailures > 0) {
        this.quotaFailures--;
        throw new HttpError(
          429,
          'RESOURCE_EXHAUSTED',
          "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com'.",
        );
      }
      return send(200, this.route(req.method ?? 'GET', entry.path, url.searchParams, caller, body));
    } catch (e) {
      if (e instanceof HttpError) {
        if (e.status === 'invalid_grant') return send(e.code, { error: 'invalid_grant', error_description: e.message });
        return send(e.code, { error: { code: e.code, message: e.message, status: e.status } });
      }
      send(500, { error: { code: 500, message: String((e as Error).message), status: 'INTERNAL' } });
    }
  }

  private token(form: URLSearchParams): unknown {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      throw new HttpError(400, 'invalid_grant', 'Invalid grant_type.');
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) throw new HttpError(400, 'invalid_grant', 'Invalid JWT.');
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as {
      iss?: string;
      scope?: string;
      aud?: string;
      exp?: number;
      iat?: number;
    };
    const pem = claims.iss ? this.keys.get(claims.iss) : undefined;
    if (header.alg !== 'RS256' || !pem) throw new HttpError(400, 'invalid_grant', 'Invalid JWT Signature.');
    const ok = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), pem, Buffer.from(parts[2], 'base64url'));
    if (!ok) throw new HttpError(400, 'invalid_grant', 'Invalid JWT Signature.');
    if (!claims.aud || ![...TOKEN_AUDIENCES, this.tokenUri].includes(claims.aud))
      throw new HttpError(400, 'invalid_grant', 'Invalid JWT audience.');
    const now = Math.floor(Date.now() / 1000);
    if (!claims.exp || claims.exp < now || (claims.iat ?? 0) > now + 300)
      throw new HttpError(
        400,
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
    if (!claims.scope) throw new HttpError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const token = `ya29.fake-${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, { email: claims.iss!, scope: claims.scope });
    return { access_token: token, expires_in: 3599, token_type: 'Bearer' };
  }

  private caller(req: IncomingMessage): string {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const t = m ? this.tokens.get(m[1]) : undefined;
    if (!t)
      throw new HttpError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    return t.email;
  }

  private doc(id: string, caller: string): FakeDoc {
    const doc = this.docs.get(id);
    if (!doc) throw new HttpError(404, 'NOT_FOUND', 'Requested entity was not found.');
    if (!doc.sharedWith.has(caller))
      throw new HttpError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    return doc;
  }

  private route(method: string, path: string, q: URLSearchParams, caller: string, body: any): unknown {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v4/spreadsheets') return this.create(body, caller, q);
    if ((m = /^\/drive\/v3\/files\/([^/]+)\/permissions$/.exec(path)) && method === 'POST') {
      const doc = this.doc(m[1], caller);
      if (!body?.emailAddress || !['reader', 'commenter', 'writer'].includes(body.role))
        throw new HttpError(400, 'INVALID_ARGUMENT', 'The permission role or emailAddress is invalid.');
      doc.sharedWith.add(body.emailAddress);
      return { kind: 'drive#permission', id: randomBytes(8).toString('hex'), type: body.type, role: body.role };
    }
    if ((m = /^\/v4\/spreadsheets\/([^/:]+):batchUpdate$/.exec(path)) && method === 'POST')
      return this.batchUpdate(this.doc(m[1], caller), body);
    if ((m = /^\/v4\/spreadsheets\/([^/:]+)\/values:batchGet$/.exec(path)) && method === 'GET') {
      const doc = this.doc(m[1], caller);
      return { spreadsheetId: doc.spreadsheetId, valueRanges: q.getAll('ranges').map((r) => this.valueRange(doc, r)) };
    }
    if ((m = /^\/v4\/spreadsheets\/([^/:]+)\/values:batchUpdate$/.exec(path)) && method === 'POST') {
      const doc = this.doc(m[1], caller);
      const mode = this.inputOption(body?.valueInputOption);
      const responses = (body?.data ?? []).map((d: { range: string; values: unknown[][] }) =>
        this.write(doc, d.range, d.values, mode),
      );
      return {
        spreadsheetId: doc.spreadsheetId,
        totalUpdatedRows: responses.reduce((n: number, r: any) => n + r.updatedRows, 0),
        totalUpdatedCells: responses.reduce((n: number, r: any) => n + r.updatedCells, 0),
        responses,
      };
    }
    if ((m = /^\/v4\/spreadsheets\/([^/:]+)\/values\/(.+)$/.exec(path))) {
      const doc = this.doc(m[1], caller);
      if (method === 'GET') return this.valueRange(doc, m[2]);
      if (method === 'PUT')
        return this.write(doc, m[2], body?.values ?? [], this.inputOption(q.get('valueInputOption')));
    }
    if ((m = /^\/v4\/spreadsheets\/([^/:]+)$/.exec(path)) && method === 'GET') {
      const doc = this.doc(m[1], caller);
      const full = this.resource(doc, q.get('includeGridData') === 'true', q.getAll('ranges'));
      const fields = q.get('fields');
      return fields ? applyMask(full, parseFieldMask(fields)) : full;
    }
    throw new HttpError(404, 'NOT_FOUND', `Method not found: ${method} ${path}`);
  }

  private inputOption(v: unknown): 'RAW' | 'USER_ENTERED' {
    if (v === 'RAW' || v === 'USER_ENTERED') return v;
    throw new HttpError(
      400,
      'INVALID_ARGUMENT',
      "Invalid valueInputOption: 'valueInputOption' is required but not specified",
    );
  }

  private resource(doc: FakeDoc, grid: boolean, ranges: string[]): unknown {
    const wanted = ranges.map((r) => resolveRange(doc, r));
    const sheets = (wanted.length ? [...new Set(wanted.map((w) => w.sheet))] : doc.sheets).map((s) => {
      const out: Record<string, unknown> = { properties: structuredClone(s.properties) };
      if (s.merges.length) out.merges = structuredClone(s.merges);
      if (grid) {
        const w = wanted.find((x) => x.sheet === s);
        const r1 = w?.bounded ? w.r1 : 1;
        const c1 = w?.bounded ? w.c1 : 1;
        const r2 = Math.min(w?.bounded ? w.r2 : s.cells.length, s.cells.length);
        const c2 = w?.bounded ? w.c2 : Math.max(0, ...s.cells.map((l) => l.length));
        const rowData = [];
        for (let r = r1; r <= r2; r++) {
          const line = s.cells[r - 1] ?? [];
          const values = [];
          for (let c = c1; c <= Math.min(c2, line.length); c++) values.push(structuredClone(line[c - 1] ?? {}));
          rowData.push(values.length ? { values } : {});
        }
        out.data = [{ ...(r1 > 1 ? { startRow: r1 - 1 } : {}), ...(c1 > 1 ? { startColumn: c1 - 1 } : {}), rowData }];
      }
      return out;
    });
    return {
      spreadsheetId: doc.spreadsheetId,
      properties: structuredClone(doc.properties),
      sheets,
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${doc.spreadsheetId}/edit`,
    };
  }

  private valueRange(doc: FakeDoc, range: string): unknown {
    const r = resolveRange(doc, range);
    const rows: string[][] = [];
    for (let i = r.r1; i <= Math.min(r.r2, r.sheet.cells.length); i++) {
      const line = r.sheet.cells[i - 1] ?? [];
      const vals: string[] = [];
      for (let j = r.c1; j <= Math.min(r.c2, line.length); j++) vals.push(line[j - 1]?.formattedValue ?? '');
      while (vals.length && vals[vals.length - 1] === '') vals.pop();
      rows.push(vals);
    }
    while (rows.length && rows[rows.length - 1].length === 0) rows.pop();
    const out: Record<string, unknown> = { range: rangeName(r.sheet, r.r1, r.c1, r.r2, r.c2), majorDimension: 'ROWS' };
    if (rows.length) out.values = rows;
    return out;
  }

  private write(doc: FakeDoc, range: string, values: unknown[][], mode: 'RAW' | 'USER_ENTERED'): unknown {
    const r = resolveRange(doc, range);
    if (!Array.isArray(values) || values.some((l) => !Array.isArray(l)))
      throw new HttpError(400, 'INVALID_ARGUMENT', 'Invalid values: expected a list of rows.');
    if (r.bounded && values.length > r.r2 - r.r1 + 1 && range.includes(':')) {
      throw new HttpError(
        400,
        'INVALID_ARGUMENT',
        `Requested writing within range [${range}], but tried writing to row [${r.r1 + values.length - 1}]`,
      );
    }
    let cells = 0;
    let cols = 0;
    values.forEach((line, i) =>
      line.forEach((v, j) => {
        this.put(r.sheet, r.r1 + i, r.c1 + j, v, mode);
        cells++;
        cols = Math.max(cols, j + 1);
      }),
    );
    return {
      spreadsheetId: doc.spreadsheetId,
      updatedRange: rangeName(r.sheet, r.r1, r.c1, r.r1 + Math.max(values.length, 1) - 1, r.c1 + Math.max(cols, 1) - 1),
      updatedRows: values.length,
      updatedColumns: cols,
      updatedCells: cells,
    };
  }

  private create(body: any, caller: string, q: URLSearchParams): unknown {
    const id = `1${randomBytes(21).toString('base64url')}`;
    const doc: FakeDoc = {
      spreadsheetId: id,
      properties: {
        title: body?.properties?.title ?? 'Untitled spreadsheet',
        locale: body?.properties?.locale ?? 'en_US',
        timeZone: body?.properties?.timeZone ?? 'Etc/GMT',
      },
      sheets: [],
      owner: caller,
      sharedWith: new Set([caller]),
    };
    const specs: any[] = body?.sheets?.length ? body.sheets : [{ properties: { title: 'Sheet1' } }];
    const titles = new Set<string>();
    specs.forEach((spec, index) => {
      const p = spec.properties ?? {};
      const title = p.title ?? `Sheet${index + 1}`;
      if (titles.has(title))
        throw new HttpError(
          400,
          'INVALID_ARGUMENT',
          `Invalid requests[0].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`,
        );
      titles.add(title);
      doc.sheets.push(
        this.newSheet(index, title, p.gridProperties?.rowCount ?? 1000, p.gridProperties?.columnCount ?? 26, p.sheetId),
      );
    });
    this.docs.set(id, doc);
    const full = this.resource(doc, false, []);
    const fields = q.get('fields');
    return fields ? applyMask(full, parseFieldMask(fields)) : full;
  }

  private sheetById(doc: FakeDoc, id: number | undefined): FakeSheet {
    const s = doc.sheets.find((x) => x.properties.sheetId === (id ?? 0));
    if (!s) throw new HttpError(400, 'INVALID_ARGUMENT', `No grid with id: ${id}`);
    return s;
  }

  private batchUpdate(doc: FakeDoc, body: any): unknown {
    const requests: any[] = body?.requests ?? [];
    // All or nothing, as the API applies a batch atomically: validate every request before changing anything.
    const apply: (() => void)[] = requests.map((req, i) => {
      const kind = Object.keys(req)[0];
      const r = req[kind];
      switch (kind) {
        case 'mergeCells': {
          const s = this.sheetById(doc, r.range?.sheetId);
          return () => s.merges.push({ ...r.range });
        }
        case 'repeatCell': {
          const s = this.sheetById(doc, r.range?.sheetId);
          if (!r.fields)
            throw new HttpError(400, 'INVALID_ARGUMENT', `Invalid requests[${i}].repeatCell: No 'fields' specified.`);
          return () => {
            for (
              let row = r.range.startRowIndex ?? 0;
              row < (r.range.endRowIndex ?? s.properties.gridProperties.rowCount);
              row++
            ) {
              for (
                let col = r.range.startColumnIndex ?? 0;
                col < (r.range.endColumnIndex ?? s.properties.gridProperties.columnCount);
                col++
              ) {
                while (s.cells.length <= row) s.cells.push([]);
                const line = s.cells[row];
                while (line.length <= col) line.push(undefined);
                const cell = line[col] ?? {};
                const f = r.cell?.userEnteredFormat ?? {};
                cell.userEnteredFormat = {
                  ...(cell.userEnteredFormat ?? {}),
                  ...f,
                  textFormat: { ...(cell.userEnteredFormat?.textFormat ?? {}), ...(f.textFormat ?? {}) },
                };
                line[col] = cell;
              }
            }
          };
        }
        case 'updateDimensionProperties': {
          const s = this.sheetById(doc, r.range?.sheetId);
          if (r.range.dimension !== 'COLUMNS' && r.range.dimension !== 'ROWS')
            throw new HttpError(400, 'INVALID_ARGUMENT', `Invalid requests[${i}].updateDimensionProperties: dimension`);
          return () => {
            if (r.range.dimension === 'COLUMNS')
              for (let c = r.range.startIndex; c < r.range.endIndex; c++) s.columnWidths[c] = r.properties.pixelSize;
          };
        }
        case 'updateSheetProperties': {
          const s = this.sheetById(doc, r.properties?.sheetId);
          return () => {
            const frozen = r.properties.gridProperties?.frozenRowCount;
            if (frozen !== undefined) s.properties.gridProperties.frozenRowCount = frozen;
            if (r.properties.title) s.properties.title = r.properties.title;
          };
        }
        default:
          throw new HttpError(
            400,
            'INVALID_ARGUMENT',
            `Invalid requests[${i}]: unsupported request "${kind}" in this fake.`,
          );
      }
    });
    for (const f of apply) f();
    return { spreadsheetId: doc.spreadsheetId, replies: requests.map(() => ({})) };
  }
}
