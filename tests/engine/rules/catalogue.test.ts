import { describe, expect, it } from 'vitest';
import { CATALOGUE, ruleInfo } from '../../../engine/rules/catalogue.js';
import { RULES, RULE_CODES } from '../../../engine/rules/codes.js';
import { vi } from '../../../engine/messages/vi.js';
import { en } from '../../../engine/messages/en.js';
import { makeDiagnostic, messageEntry } from '../../../engine/rules/diagnostic.js';
import { seed } from './helpers.js';

const placeholders = (t?: string) => new Set([...(t ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

describe('catalogue', () => {
  it('lists every code once, with the severity of codes.ts and a checking function unless the reader emits it', () => {
    expect(CATALOGUE.map((r) => r.code)).toEqual(RULE_CODES);
    for (const r of CATALOGUE) {
      expect(r.severity).toBe(RULES[r.code].severity);
      if (r.family === 'reader') expect(r.check).toBeUndefined();
      else expect(typeof r.check).toBe('function');
    }
    expect(ruleInfo('timeline.in-product')).toMatchObject({ family: 'timelines', scope: 'task', fixable: true });
    expect(ruleInfo('nope')).toBeUndefined();
  });

  it('has Vietnamese and English wording for every code, with the same placeholders, and fix labels for fixable codes', () => {
    for (const code of RULE_CODES) {
      expect(vi[code].message.length).toBeGreaterThan(0);
      expect(en[code].message.length).toBeGreaterThan(0);
      expect([code, placeholders(en[code].message)]).toEqual([code, placeholders(vi[code].message)]);
      expect([code, placeholders(en[code].hint)]).toEqual([code, placeholders(vi[code].hint)]);
      const fixable = ruleInfo(code)!.fixable;
      expect([code, !!vi[code].fix, !!en[code].fix]).toEqual([code, fixable, fixable]);
    }
    expect(messageEntry('text.html', 'en')).toBe(en['text.html']);
  });

  it('has the same message variants in both languages, with the placeholders of the params they are used with', () => {
    for (const code of RULE_CODES) {
      const a = vi[code].variants;
      const b = en[code].variants;
      expect([code, b?.param, Object.keys(b?.cases ?? {})]).toEqual([code, a?.param, Object.keys(a?.cases ?? {})]);
      for (const k of Object.keys(a?.cases ?? {}))
        expect([code, k, placeholders(b!.cases[k].message)]).toEqual([code, k, placeholders(a!.cases[k].message)]);
    }
  });

  it('words document.truncated after its reason, and never says a row lacks 0 cells', () => {
    const at = { sheet: 'kh.txt', row: 9, line: 9 };
    const short = makeDiagnostic('document.truncated', at, { row: 9, missing: 3, reason: 'short-row' });
    expect(short.message).toBe('Văn bản kết thúc giữa chừng ở dòng 9: dòng cuối thiếu 3 ô so với dòng tiêu đề.');
    const dangling = makeDiagnostic('document.truncated', at, { row: 9, missing: 0, reason: 'dangling' });
    expect(dangling.message).toContain('bỏ dở giữa câu');
    const noEnd = makeDiagnostic(
      'document.truncated',
      at,
      { row: 9, missing: 0, reason: 'no-line-end' },
      { locale: 'en' },
    );
    expect(noEnd.message).toBe(
      'The document stops at row 9 without a line end: the rest of the table may have been lost in copying.',
    );
    // An unknown reason falls back to the general wording (no "{missing}" left unfilled).
    expect(makeDiagnostic('document.truncated', at, { row: 9, reason: 'other' }).message).toBe(
      'Văn bản kết thúc giữa chừng ở dòng 9.',
    );
    const truncated = seed('001').report.diagnostics.filter((d) => d.code === 'document.truncated');
    expect(truncated).toHaveLength(1);
    expect(truncated[0].message).not.toMatch(/thiếu 0 ô|\{/);
    expect(truncated[0].message).toContain('không có dấu xuống dòng');
  });

  it('every diagnostic found in the seeds comes from the catalogue, and fixes appear only on fixable codes', () => {
    for (const s of ['000', '001', '002', '003', '004']) {
      for (const d of seed(s).report.diagnostics) {
        const info = ruleInfo(d.code);
        expect(info).toBeDefined();
        if (d.fix) expect([d.code, info!.fixable]).toEqual([d.code, true]);
      }
    }
  });

  it('leaves out a hint whose placeholders are not filled rather than showing it half-empty', () => {
    const d = makeDiagnostic(
      'agency.unknown',
      { sheet: 'S', row: 3, column: 4, cell: 'D3' },
      { text: 'Sở X', province: 'Nam Định', suggestions: [] },
    );
    expect(d.message).toBe('"Sở X" không có trong danh mục cơ quan (Nam Định).');
    expect(d.hint).toBeUndefined();
    const withSuggestions = makeDiagnostic(
      'agency.unknown',
      { sheet: 'S', row: 3 },
      { text: 'Sở X', province: 'Nam Định', suggestions: ['Sở Xây dựng'] },
    );
    expect(withSuggestions.hint).toBe('Có phải là: Sở Xây dựng?');
  });
});
