import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_SECTIONS, fillError, inputStatus, type ErrorText } from '../../contracts/errors.js';
import { renderErrorsDoc } from '../../scripts/errors-doc.js';
import { appError } from '../../server/errors.js';
import { InputError } from '../../io/errors.js';
import { UsageError } from '../../cli/usage.js';

const VIETNAMESE = /[ạảãáàâấầẩẫậăắằẳẵặẹẻẽéèêếềểễệịỉĩíìọỏõóòôốồổỗộơớờởỡợụủũúùưứừửữựỵỷỹýỳđ]/i;
const placeholders = (s: string | undefined) =>
  new Set([...(s ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1].replace(/En$/, '')));
const entries = Object.entries(ERROR_CATALOGUE) as [string, ErrorText][];

describe('the one error catalogue', () => {
  it('holds each code once: no section silently overrides another', () => {
    const sizes = Object.values(ERROR_SECTIONS).map((t) => Object.keys(t).length);
    expect(entries.length).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('gives every code a Vietnamese text with diacritics and a distinct English one', () => {
    for (const [code, t] of entries) {
      expect(t.vi, code).toMatch(VIETNAMESE);
      expect(t.en, code).not.toBe(t.vi);
      expect(t.en, code).not.toMatch(/[ạảãấầẩẫậăắằẳẵặẹẻẽếềểễệịỉĩọỏõốồổỗộơớờởỡợụủũưứừửữựỵỷỹđ]/i);
      if (t.hint) expect(t.hint, code).toMatch(VIETNAMESE);
    }
  });

  it('fills the English text only with values the Vietnamese one names, or technical details for the log', () => {
    // {x} in Vietnamese and {x} or {xEn} in English name the same value; the English (developer) text may add
    // what went wrong underneath, which an officer cannot act on.
    const TECHNICAL = new Set(['detail', 'status', 'problem']);
    for (const [code, t] of entries) {
      const vi = placeholders(t.vi);
      const extra = [...placeholders(t.en)].filter((p) => !vi.has(p) && !TECHNICAL.has(p));
      expect(extra, code).toEqual([]);
    }
  });

  it('tells the officer what to do about every input error, and gives API errors an HTTP status', () => {
    for (const [code, t] of Object.entries(ERROR_SECTIONS.input) as [string, ErrorText][]) {
      expect(t.hint?.length, code).toBeGreaterThan(10);
      expect(t.hintEn?.length, code).toBeGreaterThan(10);
    }
    for (const [code, t] of Object.entries(ERROR_SECTIONS.api) as [string, ErrorText][]) {
      expect(t.status, code).toBeGreaterThanOrEqual(400);
      expect(t.status, code).toBeLessThan(600);
    }
    expect(inputStatus('input.too-large')).toBe(413);
    expect(inputStatus('input.unknown-type')).toBe(415);
    expect(inputStatus('input.empty')).toBe(422);
  });

  it('is what the server, io and the CLI say', () => {
    const api = appError('sync.stale-base', { baseVersion: 2, latestVersion: 3, who: 'Nguyễn Văn A' });
    expect(api).toMatchObject({ code: 'sync.stale-base', status: 409 });
    expect(api.messageVi).toContain('phiên bản 2, nhưng Nguyễn Văn A đã gửi phiên bản 3');
    const input = new InputError('input.empty', {}, { file: 'a.xlsx' });
    expect(input.messageVi).toBe(fillError('input.empty', { file: 'a.xlsx' }).message);
    const usage = new UsageError('usage.bad-year', { value: '26' });
    expect(usage.messageVi).toBe('Năm "26" không hợp lệ; ghi năm 4 chữ số, ví dụ --year 2025.');
    expect(usage.messageEn).toContain('Invalid year "26"');
  });

  it('fills {x} in English from xEn when given, and leaves an unknown placeholder visible', () => {
    const t = fillError('template.no-agencies', {
      province: 'A',
      date: '01/01/2026',
      dateEn: '2026-01-01',
      from: '',
      fromEn: '',
    });
    expect(t.message).toContain('ngày 01/01/2026');
    expect(t.messageEn).toContain('on 2026-01-01');
    expect(fillError('sync.no-plan', {}).message).toContain('{round}');
  });

  it('is documented in docs/ERRORS.md (run `npx tsx scripts/errors-doc.ts` after changing it)', () => {
    const onDisk = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderErrorsDoc());
  });
});
