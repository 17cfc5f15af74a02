// Icons are drawn by code at build time: they must be valid PNGs of the sizes the manifest names.
import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { drawIcon, ICON_SIZES } from '../../scripts/build-addin.js';

function decode(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    chunks.push({ type: png.toString('ascii', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + len) });
    at += 12 + len;
  }
  const ihdr = chunks[0];
  expect(ihdr.type).toBe('IHDR');
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const pixel = (x: number, y: number) => [
    ...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4),
  ];
  return { width, height, types: chunks.map((c) => c.type), pixel };
}

describe('add-in icons', () => {
  it.each(ICON_SIZES)('draws a valid %ipx PNG: transparent rounded corner, blue tile, white table', (size) => {
    const png = decode(drawIcon(size));
    expect([png.width, png.height]).toEqual([size, size]);
    expect(png.types).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(png.pixel(0, 0)[3]).toBe(0);
    expect(png.pixel(1, Math.floor(size / 2))).toEqual([15, 108, 189, 255]);
    const m = Math.max(2, Math.round(size * 0.2));
    expect(png.pixel(m, m)).toEqual([255, 255, 255, 255]);
  });

  it('covers every icon size the manifest refers to', () => {
    const xml = readFileSync('manifest.xml', 'utf8');
    const used = [...xml.matchAll(/icons\/icon-(\d+)\.png/g)].map((m) => Number(m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const s of used) expect(ICON_SIZES).toContain(s);
  });
});

describe('pane bundle', () => {
  it('parses as ES2017 with its regular expressions, and builds none with \\p{…}, named groups or the s flag', async () => {
    const { buildAddin } = await import('../../scripts/build-addin.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const acorn = await import('acorn');
    const out = mkdtempSync(join(tmpdir(), 'pane-'));
    try {
      const built = await buildAddin({ outDir: out, officeJs: false });
      for (const f of ['taskpane.js', 'commands.js']) {
        const code = readFileSync(join(out, f), 'utf8');
        // acorn checks regex literals against the ECMAScript version too: \p{L} or (?<!…) in a literal fails here.
        const ast = acorn.parse(code, { ecmaVersion: 2017, sourceType: 'script' });
        // EdgeHTML (Excel 2019) has no TextEncoder: a pane that makes one unguarded fails to load there.
        for (const m of code.matchAll(/new TextEncoder\b/g))
          expect(code.slice(Math.max(0, m.index - 200), m.index), `${f} at ${m.index}`).toMatch(
            /typeof TextEncoder\s*[!=]=+\s*["']function["']/,
          );
        // Patterns built at run time: every string and template part handed to RegExp.
        const patterns: string[] = [];
        const visit = (n: any) => {
          if (!n || typeof n.type !== 'string') return;
          if (n.type === 'Literal' && n.regex) patterns.push(`/${n.regex.pattern}/${n.regex.flags}`);
          if ((n.type === 'NewExpression' || n.type === 'CallExpression') && n.callee.name === 'RegExp') {
            const [src, flags] = n.arguments;
            if (src?.type === 'Literal') patterns.push(String(src.value));
            if (src?.type === 'TemplateLiteral') patterns.push(...src.quasis.map((q: any) => q.value.cooked));
            if (flags?.type === 'Literal') expect(String(flags.value), f).not.toContain('s');
          }
          for (const k of Object.keys(n)) {
            const v = n[k];
            if (Array.isArray(v)) v.forEach(visit);
            else if (v && typeof v.type === 'string') visit(v);
          }
        };
        visit(ast);
        if (f === 'taskpane.js') expect(patterns.length).toBeGreaterThan(100);
        for (const p of patterns) {
          expect(p, f).not.toMatch(/\\[pP]\{/);
          expect(p, f).not.toMatch(/\(\?<[A-Za-z_$]|\\k</);
        }
        // Lookbehind has no ES2017 form: none is left, in literals or in patterns built at run time.
        expect(
          patterns.filter((p) => /\(\?<[=!]/.test(p)),
          f,
        ).toEqual([]);
      }
      expect(built.lookbehind).toEqual([]);
      // Both pages load Office.js from the CDN, then the one shared fallback file, then their own script; no
      // inline script, which the pane's CSP (script-src 'self' + CDN) would refuse.
      for (const [page, own] of [
        ['taskpane.html', 'taskpane.js'],
        ['commands.html', 'commands.js'],
      ]) {
        const html = readFileSync(join(out, page), 'utf8');
        expect(html, page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
        const srcs = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
        expect(srcs, page).toEqual([
          'https://appsforoffice.microsoft.com/lib/1/hosted/office.js',
          'office-fallback.js',
          own,
        ]);
      }
      acorn.parse(readFileSync(join(out, 'office-fallback.js'), 'utf8'), { ecmaVersion: 5, sourceType: 'script' });
      // The checks can fail: the same parser refuses newer syntax and ES2018 regex literals.
      expect(() => acorn.parse('a ?? b', { ecmaVersion: 2017 })).toThrow();
      expect(() => acorn.parse('a?.b', { ecmaVersion: 2017 })).toThrow();
      expect(() => acorn.parse('let h = 5n', { ecmaVersion: 2017 })).toThrow();
      expect(() => acorn.parse('/\\p{L}/u', { ecmaVersion: 2017 })).toThrow();
      expect(() => acorn.parse('/(?<!a)b/', { ecmaVersion: 2017 })).toThrow();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('the Office.js fallback loads the shipped copy only when the CDN failed, and drops the failed CDN tag', async () => {
    const { runInNewContext } = await import('node:vm');
    const code = readFileSync('addin/office-fallback.js', 'utf8');
    const run = (office: unknown) => {
      const written: string[] = [];
      const removed: unknown[] = [];
      const cdn = { parentNode: { removeChild: (n: unknown) => removed.push(n) } };
      const document = {
        querySelector: (sel: string) => (sel.includes('appsforoffice.microsoft.com') ? cdn : null),
        write: (html: string) => written.push(html),
      };
      runInNewContext(code, { window: { Office: office }, document });
      return { written, removed: removed.length };
    };
    expect(run(undefined)).toEqual({ written: ['<script src="office/office.js"></script>'], removed: 1 });
    expect(run({ onReady() {} })).toEqual({ written: [], removed: 0 });
  });

  it('rewrites \\p{…}, named groups and the s flag into patterns that match the same text', async () => {
    const { downlevelPattern, downlevelFragment } = await import('../../scripts/regex-es2017.js');
    const cases: [string, string, string[], string[]][] = [
      ['^\\p{Lu}\\p{Ll}+$', 'u', ['Đà', 'Ánh'], ['đà', 'A1']],
      ['(?<year>\\d{4})-(?<month>\\d{2})', '', ['2025-06'], ['25-06']],
      ['a.b', 's', ['a\nb'], ['ab']],
    ];
    for (const [pattern, flags, yes, no] of cases) {
      const out = downlevelPattern(pattern, flags);
      expect(out.pattern).not.toMatch(/\\p\{|\(\?</);
      expect(out.flags).not.toContain('s');
      const re = new RegExp(out.pattern, out.flags);
      for (const t of yes) expect(re.test(t), `${pattern} ${t}`).toBe(true);
      for (const t of no) expect(re.test(t), `${pattern} ${t}`).toBe(false);
    }
    const frag = downlevelFragment('[\\p{L}\\d]+\\p{Lu}', 'u');
    expect(frag).not.toMatch(/\\p\{/);
    expect(new RegExp(`^${frag}$`, 'u').test('Hà Nội'.replace(' ', '') + 'X')).toBe(true);
  });
});
