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
