// Points the add-in manifest at another host: every URL on the manifest's current origin (the one
// of DefaultSettings/SourceLocation) moves to the new origin. Office loads add-ins over HTTPS only.
//   tsx scripts/manifest-urls.ts --base https://phuluc.tinh.gov.vn [--in manifest.xml] [--out dist/addin/manifest.xml]
//   tsx scripts/manifest-urls.ts --port 3443      (dev: https://localhost:3443)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export class ManifestUrlError extends Error {}

/** The origin the manifest currently points at (from DefaultSettings/SourceLocation). */
export function manifestOrigin(xml: string): string {
  const m = /<SourceLocation\s+DefaultValue="([^"]+)"/.exec(xml);
  if (!m)
    throw new ManifestUrlError('manifest.xml: không thấy <SourceLocation DefaultValue="…"> trong <DefaultSettings>.');
  return new URL(m[1]).origin;
}

/** Checks a base address: HTTPS, no path beyond "/", no query. */
export function normalizeBase(base: string): string {
  let u: URL;
  try {
    u = new URL(base.trim());
  } catch {
    throw new ManifestUrlError(`Địa chỉ "${base}" không hợp lệ; ví dụ đúng: https://phuluc.tinh.gov.vn`);
  }
  if (u.protocol !== 'https:')
    throw new ManifestUrlError(`Địa chỉ "${base}" phải dùng https:// (Office chỉ tải phần bổ trợ qua HTTPS).`);
  if (u.search || u.hash) throw new ManifestUrlError(`Địa chỉ "${base}" không được có ? hoặc #.`);
  return (u.origin + u.pathname).replace(/\/+$/, '');
}

export function rewriteManifestUrls(xml: string, base: string): string {
  const from = manifestOrigin(xml);
  const to = normalizeBase(base);
  const out = xml.split(from).join(to);
  if (out.includes(from) && !to.startsWith(from)) throw new ManifestUrlError(`Còn sót địa chỉ ${from} trong manifest.`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  try {
    const port = arg('--port');
    const base = arg('--base') ?? (port ? `https://localhost:${port}` : undefined);
    if (!base) throw new ManifestUrlError('Cần --base https://tên-máy-chủ hoặc --port SỐ_CỔNG.');
    const input = arg('--in') ?? 'manifest.xml';
    const xml = rewriteManifestUrls(readFileSync(input, 'utf8'), base);
    const out = arg('--out');
    if (out) {
      writeFileSync(out, xml);
      console.log(`manifest: ${input} → ${out} (${normalizeBase(base)})`);
    } else process.stdout.write(xml);
  } catch (e) {
    console.error(`manifest-urls: ${(e as Error).message}`);
    process.exit(1);
  }
}
