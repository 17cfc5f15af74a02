// Builds the Excel task pane into dist/addin: taskpane.html/js/css, commands.html/js, icons (PNG,
// drawn by code), a local copy of Office.js (fallback when the CDN is unreachable) and manifest.xml
// with its URLs pointed at ADDIN_BASE_URL (default https://localhost:3000).
//   npm run build:addin            or   tsx scripts/build-addin.ts --base https://phuluc.tinh.gov.vn
import { build } from 'esbuild';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { rewriteManifestUrls } from './manifest-urls.js';
import { downlevelRegexes } from './regex-es2017.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// --- PNG icons, drawn by code ------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** RGBA pixels → PNG bytes. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The icon: a blue rounded tile with a white annex table (header band + grid) and a red check dot. */
export function drawIcon(size: number): Buffer {
  const px = new Uint8Array(size * size * 4);
  const set = (x: number, y: number, [r, g, b, a]: number[]) => {
    const i = (y * size + x) * 4;
    px[i] = r;
    px[i + 1] = g;
    px[i + 2] = b;
    px[i + 3] = a;
  };
  const blue = [15, 108, 189, 255];
  const white = [255, 255, 255, 255];
  const light = [207, 228, 250, 255];
  const red = [196, 43, 28, 255];
  const radius = Math.max(2, Math.round(size / 6));
  const m = Math.max(2, Math.round(size * 0.2)); // table margin
  const line = Math.max(1, Math.round(size / 32));
  const rows = 4;
  const cols = 3;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cx = Math.min(Math.max(x, radius), size - 1 - radius);
      const cy = Math.min(Math.max(y, radius), size - 1 - radius);
      const inside = (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
      if (!inside) continue;
      set(x, y, blue);
      if (x >= m && x < size - m && y >= m && y < size - m) {
        const tx = x - m;
        const ty = y - m;
        const tw = size - 2 * m;
        const th = size - 2 * m;
        const onRow = Array.from({ length: rows + 1 }, (_, i) => Math.round((i * (th - 1)) / rows)).some(
          (ry) => Math.abs(ty - ry) < line,
        );
        const onCol = Array.from({ length: cols + 1 }, (_, i) => Math.round((i * (tw - 1)) / cols)).some(
          (rx) => Math.abs(tx - rx) < line,
        );
        const header = ty < th / rows;
        set(x, y, onRow || onCol ? white : header ? white : light);
      }
      const d = size * 0.16;
      if ((x - (size - m)) ** 2 + (y - (size - m)) ** 2 <= d * d) set(x, y, red);
    }
  }
  return encodePng(size, size, px);
}

export const ICON_SIZES = [16, 32, 64, 80, 128];

// --- Office.js fallback copy -------------------------------------------------------------------

/** The files office.js loads for Excel (host scripts, string tables): not Outlook/Word/OneNote/Project. */
function officeJsFiles(dir: string): string[] {
  const keep = (name: string) =>
    /^(office|office\.debug|o15apptofilemappingtable|es6-promise|excel-.*|excelwebapp-.*|excelios-.*)\.js$/.test(
      name,
    ) || /^(en-us|vi-vn)$/.test(name);
  return readdirSync(dir).filter(keep);
}

export interface BuildResult {
  outDir: string;
  files: { path: string; bytes: number }[];
  /** Patterns using lookbehind, which ES2017 cannot express: always empty (the build refuses them). */
  lookbehind: string[];
}

export async function buildAddin(
  opts: { outDir?: string; baseUrl?: string; minify?: boolean; officeJs?: boolean } = {},
): Promise<BuildResult> {
  const outDir = opts.outDir ?? join(ROOT, 'dist', 'addin');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  await build({
    entryPoints: { taskpane: join(ROOT, 'addin', 'taskpane.ts'), commands: join(ROOT, 'addin', 'commands.ts') },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // ES2017: Office 2019 on Windows and documents under Windows Information Protection run EdgeHTML
    // (Edge 18), which cannot parse `??` or `?.`; esbuild lowers them.
    target: ['es2017'],
    // Regular expressions with ES2018 features are rewritten after the build (scripts/regex-es2017.ts).
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'none',
    charset: 'utf8',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  // \p{…}, named groups and the s flag as ES2017 patterns; the source map's columns after a rewritten pattern
  // shift on the (one-line, minified) bundle, which the debugging build (--no-minify) keeps readable.
  const lookbehind: string[] = [];
  for (const f of ['taskpane.js', 'commands.js']) {
    const file = join(outDir, f);
    const r = downlevelRegexes(readFileSync(file, 'utf8'));
    writeFileSync(file, r.code);
    lookbehind.push(...r.lookbehind);
  }
  // Lookbehind has no ES2017 form: one such pattern and EdgeHTML (Excel 2019 on Windows) cannot even parse the
  // pane. Write the condition as a guard group instead (engine/normalize/guard.ts).
  if (lookbehind.length)
    throw new Error(
      `build:addin: ${lookbehind.length} pattern(s) use lookbehind, which ES2017 hosts cannot parse; rewrite them with engine/normalize/guard.ts:\n  ${lookbehind.join('\n  ')}`,
    );
  for (const f of ['taskpane.html', 'taskpane.css', 'commands.html', 'office-fallback.js'])
    copyFileSync(join(ROOT, 'addin', f), join(outDir, f));
  for (const s of ICON_SIZES) writeFileSync(join(outDir, 'icons', `icon-${s}.png`), drawIcon(s));
  if (opts.officeJs !== false) {
    const src = join(ROOT, 'node_modules', '@microsoft', 'office-js', 'dist');
    if (existsSync(src)) {
      mkdirSync(join(outDir, 'office'), { recursive: true });
      for (const f of officeJsFiles(src)) cpSync(join(src, f), join(outDir, 'office', f), { recursive: true });
    }
  }
  const manifest = readFileSync(join(ROOT, 'manifest.xml'), 'utf8');
  writeFileSync(join(outDir, 'manifest.xml'), opts.baseUrl ? rewriteManifestUrls(manifest, opts.baseUrl) : manifest);
  const files: BuildResult['files'] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else files.push({ path: relative(outDir, p), bytes: st.size });
    }
  };
  walk(outDir);
  return { outDir, files, lookbehind };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--base');
  const baseUrl = i > 0 ? process.argv[i + 1] : process.env.ADDIN_BASE_URL;
  buildAddin({ baseUrl, minify: !process.argv.includes('--no-minify') })
    .then((r) => {
      const js = r.files.find((f) => f.path === 'taskpane.js');
      const office = r.files.filter((f) => f.path.startsWith('office')).reduce((n, f) => n + f.bytes, 0);
      console.log(
        `build:addin → ${relative(process.cwd(), r.outDir)}: taskpane.js ${((js?.bytes ?? 0) / 1024).toFixed(0)} KiB, office.js copy ${(office / 1024 / 1024).toFixed(1)} MiB, ${r.files.length} files${baseUrl ? `, manifest for ${baseUrl}` : ''}`,
      );
    })
    .catch((e) => {
      console.error(`build:addin failed: ${(e as Error).message}`);
      process.exit(1);
    });
}
