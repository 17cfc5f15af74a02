// Where the pane keeps what the officer enters once. The server address and the chosen round travel
// with the workbook (document settings); the agency token does not — it stays on this computer
// (localStorage), so a workbook sent by e-mail never carries anyone's credentials.
import type { DocumentSettings } from './excel/host.js';
import type { KeyValueStore } from './api.js';

export interface PaneSettings {
  server: string;
  token: string;
  roundId: string;
  province: string;
}

const DOC_KEYS = { server: 'phuluc.server', roundId: 'phuluc.roundId', province: 'phuluc.province' } as const;
const TOKEN_KEY = 'phuluc.token';

export function loadSettings(doc: DocumentSettings, local: KeyValueStore, defaultServer: string): PaneSettings {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    server: str(doc.get(DOC_KEYS.server)) || defaultServer,
    token: local.getItem(TOKEN_KEY) ?? '',
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
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, error: 'Địa chỉ máy chủ phải bắt đầu bằng https://' };
  return { ok: true, value: a };
}

export function saveSettings(doc: DocumentSettings, local: KeyValueStore, s: Partial<PaneSettings>): void {
  if (s.server !== undefined) doc.set(DOC_KEYS.server, s.server);
  if (s.roundId !== undefined) doc.set(DOC_KEYS.roundId, s.roundId);
  if (s.province !== undefined) doc.set(DOC_KEYS.province, s.province);
  if (s.token !== undefined) {
    if (s.token) local.setItem(TOKEN_KEY, s.token);
    else local.removeItem(TOKEN_KEY);
  }
  doc.saveAsync();
}
