import { describe, expect, it } from 'vitest';
import {
  AREA_ORDER,
  AREA_TITLES,
  AreaCodeSchema,
  FIELD_LABELS,
  FieldSchema,
  REFORM_AREAS,
  STANDARD_FIELDS,
  areaRank,
  fromRoman,
  headerField,
  matchArea,
  quarterLabel,
  toRoman,
} from '../../../engine/index.js';
import { ColumnsFileSchema, ReformAreasFileSchema } from '../../../engine/vocab/index.js';
import areasJson from '../../../data/reform-areas.json' with { type: 'json' };
import columnsJson from '../../../data/layouts/columns.json' with { type: 'json' };

describe('engine/vocab: numerals', () => {
  it('writes and reads Roman numerals, and refuses non-canonical ones', () => {
    const cases: [number, string][] = [
      [1, 'I'],
      [4, 'IV'],
      [9, 'IX'],
      [14, 'XIV'],
      [40, 'XL'],
      [1999, 'MCMXCIX'],
    ];
    for (const [n, r] of cases) {
      expect(toRoman(n)).toBe(r);
      expect(fromRoman(r)).toBe(n);
      expect(fromRoman(r.toLowerCase())).toBe(n);
    }
    for (let n = 1; n <= 300; n++) expect(fromRoman(toRoman(n))).toBe(n);
    expect(fromRoman('IIII')).toBeNull();
    expect(fromRoman('VX')).toBeNull();
    expect(fromRoman('1')).toBeNull();
    expect(toRoman(0)).toBe('0');
    expect(quarterLabel(3, 2026)).toBe('Quý III/2026');
  });
});

describe('engine/vocab: areas and columns from data/*.json', () => {
  it('gives every area code one title, in the order of the data file', () => {
    expect(REFORM_AREAS.map((a) => a.code)).toEqual(areasJson.areas.map((a) => a.code));
    expect(Object.keys(AREA_TITLES).sort()).toEqual([...AreaCodeSchema.options].sort());
    expect(AREA_TITLES.organization).toBe('Cải cách tổ chức bộ máy hành chính nhà nước');
    expect(AREA_ORDER).not.toContain('direction');
    expect(areaRank('direction')).toBeLessThan(areaRank('institution'));
    expect(areaRank(null)).toBe(REFORM_AREAS.length);
    expect(matchArea('II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH')).toBe('procedure');
  });

  it('gives every field one header and maps aliases back to it', () => {
    expect(Object.keys(FIELD_LABELS).sort()).toEqual([...FieldSchema.options].sort());
    expect(STANDARD_FIELDS.map((f) => FIELD_LABELS[f])).toEqual([
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
    ]);
    for (const f of FieldSchema.options) expect(headerField(FIELD_LABELS[f])).toBe(f);
  });

  it('refuses a data file with an unknown code, a duplicate area or an empty title', () => {
    const bad = structuredClone(areasJson);
    bad.areas[0].code = 'nonsense';
    expect(ReformAreasFileSchema.safeParse(bad).success).toBe(false);
    const dup = structuredClone(areasJson);
    dup.areas[1].code = dup.areas[0].code;
    expect(ReformAreasFileSchema.safeParse(dup).success).toBe(false);
    const empty = structuredClone(areasJson);
    empty.areas[0].title = '';
    expect(ReformAreasFileSchema.safeParse(empty).success).toBe(false);
    const cols = structuredClone(columnsJson) as { standard: string[] };
    cols.standard = ['number', 'nonsense'];
    expect(ColumnsFileSchema.safeParse(cols).success).toBe(false);
  });
});
