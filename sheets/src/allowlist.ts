// The server address against the script's URL allow-list. Apps Script fetches only URLs that start with an entry
// of the manifest's `urlFetchWhitelist` (fixed when the add-on is built and published), and only over https; any
// other address would fail at the first submission with an English permission error. Saying so when the officer
// types the address is kinder. Entry syntax, as Apps Script defines it: "https://host/path/" prefixes, where the
// host may start with "*." to stand for any subdomain ("https://*.gov.vn/").

/** Whether `url` is fetchable under one of the allow-list entries. */
export function urlAllowed(url: string, allowList: readonly string[]): boolean {
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:') return false;
  return allowList.some((entry) => {
    const e = parseUrl(entry.replace('://*.', '://wildcard.'));
    if (!e || e.protocol !== 'https:') return false;
    const prefixPath = e.path.toLowerCase();
    const path = u.path.toLowerCase().endsWith('/') ? u.path.toLowerCase() : `${u.path.toLowerCase()}/`;
    if (!path.startsWith(prefixPath)) return false;
    if (entry.includes('://*.')) {
      const suffix = e.host.toLowerCase().slice('wildcard'.length); // ".gov.vn"
      return u.host.toLowerCase().endsWith(suffix) && u.host.length > suffix.length;
    }
    return u.host.toLowerCase() === e.host.toLowerCase();
  });
}

function parseUrl(s: string): { protocol: string; host: string; path: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#\s]+)([^?#\s]*)/i.exec(s.trim());
  if (!m) return undefined;
  return { protocol: m[1].toLowerCase(), host: m[2], path: m[3] || '/' };
}

/** The address to save (no trailing slash), or a Vietnamese error saying what is wrong and what to do. */
export function checkServerUrl(input: string, allowList: readonly string[] | undefined): string {
  const url = input.trim().replace(/\/+$/, '');
  if (!url) return '';
  if (!/^https?:\/\/[^\s/]+/i.test(url))
    throw new Error(`Địa chỉ máy chủ "${input}" không hợp lệ: cần dạng https://phuluc.tinh.gov.vn`);
  if (!allowList) return url;
  if (!/^https:\/\//i.test(url)) {
    throw new Error(
      `Google Apps Script chỉ gọi được máy chủ qua https; "${input}" dùng http. Hãy nhập địa chỉ bắt đầu bằng https://.`,
    );
  }
  if (!urlAllowed(url, allowList)) {
    throw new Error(
      `Tiện ích này chỉ được phép gọi các máy chủ: ${allowList.join(', ')}. "${input}" không nằm trong danh sách; ` +
        'hãy nhập đúng địa chỉ máy chủ Phụ lục của tỉnh, hoặc nhờ quản trị của tỉnh dựng bản tiện ích cho máy chủ này (xem hướng dẫn SHEETS).',
    );
  }
  return url;
}
