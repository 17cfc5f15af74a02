import { describe, expect, it } from 'vitest';
import { byCode, cells, check, seed } from './helpers.js';

const S1 = ['I', 'Cải cách thể chế', '', '', '', ''];
const S2 = ['II', 'Cải cách thủ tục hành chính', '', '', '', ''];
const row = (n: string, text: string): string[] => [n, text, 'Báo cáo', 'Sở Tư pháp', '', 'Quý II/2024'];

describe('duplicates', () => {
  it('finds the same task written twice, across sections, ignoring case, diacritics and punctuation', () => {
    const { report } = check([
      S1,
      row('1', 'Rà soát, hệ thống hóa văn bản QPPL'),
      S2,
      row('1', 'rà soát hệ thống hoá văn bản qppl.'),
    ]);
    const found = byCode(report, 'task.duplicate');
    expect(cells(found)).toEqual(['B6']);
    expect(found[0].params).toMatchObject({ otherRow: 4, similarity: '100%' });
  });

  it('finds near-duplicates by wording (seed 002: the same task for departments and for localities)', () => {
    const { report } = seed('002');
    const found = byCode(report, 'task.duplicate');
    expect(cells(found)).toEqual(['B291']);
    expect(found[0].params).toMatchObject({ otherRow: 290 });
    expect(Number.parseInt(found[0].params!.similarity as string, 10)).toBeGreaterThanOrEqual(85);
  });

  it('does not call different tasks with shared words duplicates (seed 001: the CCHC plan and the CCHC propaganda plan)', () => {
    const { report } = seed('001');
    expect(byCode(report, 'task.duplicate')).toEqual([]);
    const short = check([S1, row('1', 'Công tác kiểm tra'), row('2', 'Công tác thanh tra')]).report;
    expect(byCode(short, 'task.duplicate')).toEqual([]);
  });
});

describe('duplicates in a session', () => {
  it('after each edit equals a fresh validation: duplicates appear, move to another earlier task and go away', async () => {
    const { createSession, validate } = await import('../../../engine/rules/validate.js');
    const { readAnnex } = await import('../../../engine/read/index.js');
    const { directory, sheet, HEADER } = await import('./helpers.js');
    const texts = [
      'Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý của các sở, ngành',
      'Tổ chức tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho công chức',
      'Xây dựng kho dữ liệu dùng chung của tỉnh phục vụ chuyển đổi số',
      'Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị',
      'Tuyên truyền cải cách hành chính trên báo, đài và cổng thông tin',
      'Đánh giá mức độ hài lòng của người dân đối với dịch vụ công',
    ];
    const grid = sheet([['PHỤ LỤC'], HEADER, S1, ...texts.map((t, i) => row(String(i + 1), t))]);
    const ctx = { directory, province: 'nam-dinh', planYear: 2024 };
    const session = createSession([grid], ctx);
    const fresh = () => {
      const copies = structuredClone(session.grids());
      return validate(readAnnex(copies, ctx), { ...ctx, grids: copies });
    };
    const dup = (r: ReturnType<typeof fresh>) =>
      byCode(r, 'task.duplicate').map((d) => [d.location.cell, d.params!.otherRow, d.params!.similarity]);
    const edits: [number, string][] = [
      [9, texts[0]], // row 9 (task 6) = task 1, exactly
      [8, `${texts[0]} tỉnh`], // task 5 close to task 1: now the earlier match of nobody but itself
      [4, 'Nhiệm vụ khác hẳn'], // task 1 changes: task 5 and task 6 lose their match
      [4, texts[0]], // and back
      [5, texts[0].toUpperCase()], // task 2 the same text in capitals: task 6 now matches task 1 still (earliest)
      [4, 'Một nhiệm vụ mới'], // task 1 gone: task 6 matches task 2, task 5 matches task 2
      [9, texts[5]],
    ];
    for (const [r, text] of edits) {
      const report = session.update([{ sheet: grid.sheet, row: r, column: 2, text }]);
      expect(report).toEqual(fresh());
    }
    expect(dup(session.report())).toEqual([['B8', 5, '93%']]);
  });
});
