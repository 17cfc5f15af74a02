// Text decoding for CSV/TSV/plain text: BOMs, BOM-less UTF-16, UTF-8, Windows-1258 vs 1252.
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeText, looksBinary } from '../../io/encoding.js';
import { readFileToGrids } from '../../io/read.js';

const VI = 'Sở Thông tin và Truyền thông chủ trì; hoàn thành trước Quý III/2025.';

describe('decodeText', () => {
  it('UTF-8 with and without BOM', () => {
    expect(decodeText(Buffer.from(VI))).toEqual({ text: VI, encoding: 'utf-8', bom: false });
    expect(decodeText(Buffer.from('\uFEFF' + VI))).toEqual({ text: VI, encoding: 'utf-8', bom: true });
  });

  it('UTF-16 LE/BE with BOM, and LE without', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(VI, 'utf16le')]))).toMatchObject({
      text: VI,
      encoding: 'utf-16le',
    });
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(VI, 'utf16-be')]))).toMatchObject({
      text: VI,
      encoding: 'utf-16be',
    });
    expect(decodeText(iconv.encode(VI, 'utf16le'))).toMatchObject({ text: VI, encoding: 'utf-16le', bom: false });
  });

  it('Windows-1258 (tones as combining marks) comes back as NFC Vietnamese', () => {
    // "Sở Nội vụ" in 1258: ơ = 0xF5, ô = 0xF4, then combining hook (0xD2) / dot below (0xF2).
    const bytes = Buffer.from([0x53, 0xf5, 0xd2, 0x20, 0x4e, 0xf4, 0xf2, 0x69, 0x20, 0x76, 0x75, 0xf2]);
    const got = decodeText(bytes);
    expect(got.encoding).toBe('windows-1258');
    expect(got.text).toBe('Sở Nội vụ');
  });

  it('Windows-1252 when the bytes are not Vietnamese 1258 (e.g. TCVN3 font text, converted later by the engine)', () => {
    // "Së Néi vô" in TCVN3 bytes: no combining-tone pattern after letters.
    const bytes = Buffer.from([0x53, 0xeb, 0x20, 0x4e, 0xe9, 0x69, 0x20, 0x76, 0xf4, 0x20, 0xb8, 0xb5]);
    const got = decodeText(bytes);
    expect(got.encoding).toBe('windows-1252');
    expect(got.text).toBe(iconv.decode(bytes, 'windows-1252'));
  });

  it('looksBinary tells text from binary', () => {
    expect(looksBinary(VI)).toBe(false);
    expect(looksBinary('a\u0000b')).toBe(true);
    expect(looksBinary('\u0001\u0002\u0003\u0004 abc')).toBe(true);
  });

  it('a UTF-16 text file reads as the same grid as its UTF-8 twin', async () => {
    const text = 'STT\tNhiệm vụ\n1\tRà soát văn bản\n';
    const a = await readFileToGrids(Buffer.from(text), 'a.txt');
    const b = await readFileToGrids(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]), 'a.txt');
    expect(b).toEqual(a);
    expect(a[0].rows[1].cells.map((c) => c.text)).toEqual(['1', 'Rà soát văn bản']);
  });
});
