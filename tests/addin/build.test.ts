// Icons are drawn by code at build time: they must be valid PNGs of the sizes the manifest names.
import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { drawIcon, ICON_SIZES } from '../../scripts/build-addin.js';

function decode(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
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
  const pixel = (x: number, y: number) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4)];
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
  it('parses as ES2017 apart from its regular expressions (EdgeHTML knows no `??`, `?.` or BigInt)', async () => {
    const { buildAddin } = await import('../../scripts/build-addin.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const acorn = await import('acorn');
    const out = mkdtempSync(join(tmpdir(), 'pane-'));
    try {
      await buildAddin({ outDir: out, officeJs: false });
      for (const f of ['taskpane.js', 'commands.js']) {
        const code = readFileSync(join(out, f), 'utf8');
        // Regular expression literals are checked apart (below): esbuild cannot lower \p{L} or
        // lookbehind, so their patterns are masked and everything else must parse as ES2017.
        let masked = '';
        let at = 0;
        const regexes: string[] = [];
        for (const t of acorn.tokenizer(code, { ecmaVersion: 2018 })) {
          if (t.type === acorn.tokTypes.regexp) {
            masked += code.slice(at, t.start) + '/x/';
            at = t.end;
            regexes.push(code.slice(t.start, t.end));
          }
        }
        masked += code.slice(at);
        expect(() => acorn.parse(masked, { ecmaVersion: 2017, sourceType: 'script' }), f).not.toThrow();
        if (f === 'taskpane.js') expect(regexes.length).toBeGreaterThan(0);
      }
      // The check can fail: the same parser refuses newer syntax.
      expect(() => acorn.parse('a ?? b', { ecmaVersion: 2017 })).toThrow();
      expect(() => acorn.parse('a?.b', { ecmaVersion: 2017 })).toThrow();
      expect(() => acorn.parse('let h = 5n', { ecmaVersion: 2017 })).toThrow();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
