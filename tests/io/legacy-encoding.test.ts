// A Windows-1258 file reads like its UTF-8 original and says so in an info diagnostic; a file whose toned
// letters were lost when it was saved (a code page that cannot hold them wrote "?") is refused with the fix,
// instead of the "no header row" it used to get (the cause of the empty read: the test file itself had no words).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import iconv from 'iconv-lite';
import { readFileDetailed } from '../../io/read.js';
import { InputError } from '../../io/errors.js';
import { readAnnex } from '../../engine/index.js';

const seeds = readdirSync('seeds').filter((f) => /^\d{3}_.*\.txt$/.test(f));

/** What Word writes for "Vietnamese (Windows)": base letters precomposed, tones as combining marks. */
function cp1258(s: string): Buffer {
  const TONES = /[\u0300\u0301\u0303\u0309\u0323]/;
  const form = s.normalize('NFD').replace(/(\P{M})(\p{M}+)/gu, (_, base: string, marks: string) => {
    const tones = [...marks].filter((m) => TONES.test(m)).join('');
    const shape = [...marks].filter((m) => !TONES.test(m)).join('');
    return (base + shape).normalize('NFC') + tones;
  });
  return iconv.encode(form, 'windows-1258');
}

const count = (r: ReturnType<typeof readAnnex>): string =>
  `${r.annex.sections.length}/${r.annex.sections.reduce((a, s) => a + s.tasks.length, 0)}`;

describe('Windows-1258 text files', () => {
  it.each(seeds)('%s in Windows-1258 reads as its UTF-8 form, with a document.encoding info', async (f) => {
    const text = readFileSync(`seeds/${f}`, 'utf8');
    const utf8 = readAnnex((await readFileDetailed(Buffer.from(text), f)).grids);
    const legacy = await readFileDetailed(cp1258(text), f);
    expect(legacy.encoding).toBe('windows-1258');
    const r = readAnnex(legacy.grids);
    expect(count(r)).toBe(count(utf8));
    expect(r.annex.sections.flatMap((s) => s.tasks.map((t) => t.task))).toEqual(
      utf8.annex.sections.flatMap((s) => s.tasks.map((t) => t.task)),
    );
    const info = r.diagnostics.filter((d) => d.code === 'document.encoding');
    expect(info).toHaveLength(1);
    expect(info[0].severity).toBe('info');
    expect(JSON.stringify(info[0])).toContain('Windows-1258');
    expect(utf8.diagnostics.some((d) => d.code === 'document.encoding')).toBe(false);
  });

  it('a file whose toned letters became "?" when saved is refused with the line and the fix', async () => {
    const text = readFileSync(`seeds/${seeds[1]}`, 'utf8');
    // iconv (like "Save as ANSI") cannot write precomposed "ở", "ệ" in 1258 and puts "?" in their place.
    const naive = iconv.encode(text, 'windows-1258');
    const e = await readFileDetailed(naive, 'mat-dau.txt').then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    const err = e as InputError;
    expect(err.code).toBe('input.lost-letters');
    expect(err.where?.row).toBeGreaterThan(0);
    expect(err.message).toMatch(/mất chữ có dấu/);
    expect(err.message).toContain('?');
    expect(err.hint).toMatch(/CSV UTF-8/);
  });

  it('prose with a few question marks is not taken for lost letters', async () => {
    const text = readFileSync(`seeds/${seeds[0]}`, 'utf8') + '\nCó?Không?Đúng?Sai?Ai?Gì?Nào?Sao?\n';
    await expect(readFileDetailed(Buffer.from(text), 'hoi.txt')).resolves.toBeTruthy();
  });
});
