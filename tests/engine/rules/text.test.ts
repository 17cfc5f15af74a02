import { describe, expect, it } from 'vitest';
import { encodeLegacy } from '../../../engine/normalize/text.js';
import { tidyText } from '../../../engine/rules/text.js';
import { byCode, cells, check, seed } from './helpers.js';

const S1 = ['I', 'Cải cách thể chế', '', '', '', ''];

describe('text', () => {
  it('finds the HTML of seed 001 (<b> section rows, <p>, <ul><li> lists) with a cleaned-text fix', () => {
    const { report } = seed('001');
    const found = byCode(report, 'text.html');
    expect(cells(found)).toEqual(expect.arrayContaining(['A166', 'B166', 'E187', 'C204', 'E204', 'E218']));
    const b = found.find((d) => d.location.cell === 'B166')!;
    expect(b.params).toMatchObject({ tags: ['<b>'] });
    expect(b.fix!.edits).toEqual([
      expect.objectContaining({ cell: 'B166', from: '<b>CẢI CÁCH THỂ CHẾ</b>', to: 'CẢI CÁCH THỂ CHẾ' }),
    ]);
    const list = found.find((d) => d.location.cell === 'C204')!;
    expect(list.message).toBe('Ô C204 chứa thẻ HTML (<ul>, <li>).');
    const to = list.fix!.edits[0].to;
    expect(to).not.toMatch(/<[^>]+>/);
    expect(to).toContain('Các quy định được cập nhật đầy đủ');
    // A text document's cell cannot hold a line break: list items are joined on one line.
    expect(to).not.toContain('\n');
  });

  it('reports a legacy TCVN3 cell as an error with the Unicode text as fix', () => {
    const legacy = encodeLegacy('Sở Nội vụ', 'tcvn3');
    expect(legacy).not.toBe('Sở Nội vụ');
    const { report } = check([S1, ['1', 'Rà soát văn bản', 'Báo cáo', legacy, '', 'Quý II/2024']]);
    const found = byCode(report, 'text.legacy-encoding');
    expect(cells(found)).toEqual(['D4']);
    expect(found[0].severity).toBe('error');
    expect(found[0].fix!.edits[0]).toMatchObject({ cell: 'D4', from: legacy, to: 'Sở Nội vụ' });
  });

  it('reports NFD text and stray whitespace as info with a normalised fix', () => {
    const nfd = 'Sở Tư pháp'.normalize('NFD');
    const { report } = check([S1, ['1', '  Rà soát   văn bản ', 'Báo cáo', nfd, '', 'Quý II/2024']]);
    const found = byCode(report, 'text.unnormalized');
    expect(cells(found)).toEqual(['B4', 'D4']);
    expect(found.every((d) => d.severity === 'info')).toBe(true);
    expect(found[0].fix!.edits[0].to).toBe('Rà soát văn bản');
    expect(found[1].fix!.edits[0].to).toBe('Sở Tư pháp'.normalize('NFC'));
    expect(found[1].params).toMatchObject({ nfd: true });
  });

  it('leaves clean cells alone (seed 000 has no HTML, legacy text or stray spaces)', () => {
    const { report } = seed('000');
    expect(report.diagnostics.filter((d) => d.code.startsWith('text.'))).toEqual([]);
  });

  it('tidyText keeps line breaks but trims each line', () => {
    expect(tidyText(' a  b \n  c\u00a0d\u200b ')).toBe('a b\nc d');
  });
});
