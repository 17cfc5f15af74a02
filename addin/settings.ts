// Where the pane keeps what the officer enters once. The server address and the chosen round travel
// with the workbook (document settings); the agency token does not — it stays on this computer
// (localStorage), so a workbook sent by e-mail never carries anyone's credentials. Tokens are kept per
// server origin and only for addresses the officer saved in the pane: a workbook whose settings name
// another server gets no token, so a crafted file cannot collect one.
import type { DocumentSettings } from './excel/host.js';
import type { KeyValueStore } from './api.js';

export interface PaneSettings {
  server: string;
  token: string;
  roundId: string;
  province: string;
}

const DOC_KEYS = { server: 'phuluc.server', roundId: 'phuluc.roundId', province: 'phuluc.province' } as const;
/** Before tokens were kept per origin: one token for whatever server the workbook named. */
const LEGACY_TOKEN_KEY = 'phuluc.token';
const TOKEN_PREFIX = 'phuluc.token@';

function originOf(server: string): string | null {
  try {
    const u = new URL(server);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The token the officer saved for this server's origin, or '' (never another server's). */
export function tokenFor(local: KeyValueStore, server: string): string {
  const origin = originOf(server);
  return origin ? (local.getItem(TOKEN_PREFIX + origin) ?? '') : '';
}

export function loadSettings(doc: DocumentSettings, local: KeyValueStore, defaultServer: string): PaneSettings {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  // The old single token belongs to the server that serves this pane (its own origin), nowhere else.
  const legacy = local.getItem(LEGACY_TOKEN_KEY);
  if (legacy !== null) {
    const own = originOf(defaultServer);
    if (own && !local.getItem(TOKEN_PREFIX + own)) local.setItem(TOKEN_PREFIX + own, legacy);
    local.removeItem(LEGACY_TOKEN_KEY);
  }
  const server = str(doc.get(DOC_KEYS.server)) || defaultServer;
  return {
    server,
    token: tokenFor(local, server),
    roundId: str(doc.get(DOC_KEYS.roundId)),
    province: str(doc.get(DOC_KEYS.province)),
  };
}

/** Checks the server address; returns a Vietnamese error or the normalised address. */
export function checkServer(address: string): { ok: true; value: string } | { ok: false; error: string } {
  const a = address.trim().replace(/\/+$/, '');
  if (!a) return { ok: false, error: 'Chưa nhập địa chỉ máy chủ.' };
  let u: URL;
  try {
    u = new URL(a);
  } catch {
    return { ok: false, error: `Địa chỉ máy chủ "${address}" không hợp lệ; ví dụ đúng: https://phuluc.tinh.gov.vn` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return { ok: false, error: 'Địa chỉ máy chủ phải bắt đầu bằng https://' };
  return { ok: true, value: a };
}

export function saveSettings(doc: DocumentSettings, local: KeyValueStore, s: Partial<PaneSettings>): void {
  if (s.server !== undefined) doc.set(DOC_KEYS.server, s.server);
  if (s.roundId !== undefined) doc.set(DOC_KEYS.roundId, s.roundId);
  if (s.province !== undefined) doc.set(DOC_KEYS.province, s.province);
  // Saving in the pane is the officer confirming the address: the token is kept for that origin only.
  const origin = s.server !== undefined ? originOf(s.server) : null;
  if (s.token !== undefined && origin) {
    if (s.token) local.setItem(TOKEN_PREFIX + origin, s.token);
    else local.removeItem(TOKEN_PREFIX + origin);
  }
  doc.saveAsync();
}
