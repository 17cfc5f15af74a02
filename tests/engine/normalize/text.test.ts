import { describe, expect, it } from 'vitest';
import {
  cleanText,
  decodeLegacy,
  detectLegacyEncoding,
  encodeLegacy,
  findHtml,
  ABBREVIATION_RUN,
  foldKey,
  foldKeyBytes,
  foldedKeyBytes,
  isCleanText,
  isVietnameseSyllable,
  stripHtml,
  type LegacyEncoding,
} from '../../../engine/normalize/text.js';
import { TCVN3 } from '../../../engine/normalize/legacy/tables.js';
import { seedFiles } from './seeds.js';
import { replaceGuarded } from '../../../engine/normalize/guard.js';

/** foldKey as it was written first (whole-text casing and decomposition): the fast path must give the same keys. */
function referenceFoldKey(s: string): string {
  let t = cleanText(s);
  t = replaceGuarded(t, ABBREVIATION_RUN, (m) => m.replace(/[\s&-]+/g, ''));
  t = t.replace(/&/g, ' và ');
  return t
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

describe('findHtml', () => {
  it.each([
    ['<b>I</b>', ['b']],
    ['<ul style="list-style-type: none"> <li>- Văn phòng UBND tỉnh chủ trì triển khai</li> </ul>', ['ul', 'li']],
    ['<p>phương chủ động rà soát</p> <p>- Văn phòng UBND tỉnh tổng hợp</p>', ['p']],
    ['Sở Nội vụ chủ trì', []],
    ['Tỷ lệ < 5% và > 2%', []],
  ])('%s', (raw, tags) => {
    expect(findHtml(raw).sort()).toEqual([...tags].sort());
  });
});

describe('cleanText', () => {
  it.each([
    // seed 001: list items that already carry a dash keep one dash
    [
      '<ul style="list-style-type: none"> <li>- Văn phòng UBND tỉnh chủ trì triển khai</li> <li>- Các sở, ban, ngành và các cơ quan liên quan phối hợp</li> </ul>',
      '- Văn phòng UBND tỉnh chủ trì triển khai\n- Các sở, ban, ngành và các cơ quan liên quan phối hợp',
    ],
    ['<ul><li>Rà soát</li><li>Ban hành</li></ul>', '- Rà soát\n- Ban hành'],
    [
      '<p>- Văn phòng UBND tỉnh chủ trì hướng dẫn</p> <p>- Các sở, ban, ngành và các cơ quan liên quan thực hiện</p>',
      '- Văn phòng UBND tỉnh chủ trì hướng dẫn\n- Các sở, ban, ngành và các cơ quan liên quan thực hiện',
    ],
    ['<b>CẢI CÁCH THỂ CHẾ</b>', 'CẢI CÁCH THỂ CHẾ'],
    ['Sở TT&amp;TT&nbsp;tỉnh', 'Sở TT&TT tỉnh'],
    ['Tỷ lệ &lt; 5% &#7853; &#x1EA1;', 'Tỷ lệ < 5% ậ ạ'],
    ['TTPVHCC&KSTT;', 'TTPVHCC&KSTT;'], // not an entity: left alone
    ['Dòng 1<br>Dòng 2<br/>Dòng 3', 'Dòng 1\nDòng 2\nDòng 3'],
    ['  Sở   Nội\tvụ  ', 'Sở Nội vụ'],
    ['Sở Nội vụ\n\n\n  chủ trì  ', 'Sở Nội vụ\nchủ trì'],
    ['Sở\u200b Nội vụ\ufeff', 'Sở Nội vụ'],
    ['Së Néi vô', 'Sở Nội vụ'], // TCVN3 converted
    ['Sôû Noäi vuï', 'Sở Nội vụ'], // VNI converted
    ['', ''],
  ])('%j', (raw, expected) => {
    expect(cleanText(raw)).toBe(expected);
  });

  it('returns NFC for NFD input', () => {
    const nfd = 'Thường xuyên trong năm'.normalize('NFD');
    expect(nfd).not.toBe('Thường xuyên trong năm');
    expect(cleanText(nfd)).toBe('Thường xuyên trong năm');
  });

  it('is idempotent and leaves no tags on any seed cell', () => {
    let n = 0;
    for (const { text } of seedFiles()) {
      for (const line of text.split('\n')) {
        for (const cell of line.split('\t')) {
          const once = cleanText(cell);
          expect(cleanText(once)).toBe(once);
          expect(findHtml(once)).toEqual([]);
          expect(once).toBe(once.normalize('NFC'));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('stripHtml keeps plain text untouched', () => {
    expect(stripHtml('Sở Nội vụ chủ trì, phối hợp')).toBe('Sở Nội vụ chủ trì, phối hợp');
  });
});

describe('foldKey', () => {
  it.each([
    [['Sở TT&TT', 'Sở TT &TT', 'Sở TT & TT', 'Sở TTTT', 'sở tt&tt'], 'so tttt'],
    [['Sở LĐ-TB&XH', 'Sở LĐTB&XH', 'Sở LĐTBXH'], 'so ldtbxh'],
    [['VP.UBND tỉnh', 'VP UBND tỉnh', 'VP. UBND tỉnh'], 'vp ubnd tinh'],
    [
      ['Sở Văn hóa, Thể thao và Du lịch', 'Sở Văn hoá, Thể thao và Du lịch', 'SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH'],
      'so van hoa the thao va du lich',
    ],
    [['Đài PT-TH', 'Đài PTTH'], 'dai ptth'],
    [['Kế hoạch & Đầu tư', 'Kế hoạch và Đầu tư'], 'ke hoach va dau tu'],
    [
      ['Sở Lao động – Thương binh và Xã hội', 'Sở Lao động - Thương binh và Xã hội'],
      'so lao dong thuong binh va xa hoi',
    ],
  ])('%j → %s', (inputs, key) => {
    for (const s of inputs) expect(foldKey(s)).toBe(key);
  });

  it('NFC and NFD spellings compare equal', () => {
    for (const s of ['Sở Nội vụ', 'Ủy ban nhân dân tỉnh Khánh Hòa', 'Đồng Tháp', 'Quý I/2023']) {
      expect(foldKey(s.normalize('NFD'))).toBe(foldKey(s.normalize('NFC')));
    }
  });

  it('gives the keys of the whole-text folding, on seed texts and on random text of every kind', () => {
    const pieces = [
      ...'aAzZ09 .,;:/&-–\t\n'.split(''),
      ...'ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ'.split(''),
      ...'ÁÀẢÃẠẤẦẨẪẬÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ'.split(''),
      'Sở',
      'TT&TT',
      'LĐ-TB&XH',
      'KH-UBND',
      '2021-2030',
      ' - ',
      'Ủy ban',
      'Quý I/2023',
      'Σ',
      'ΣΑΣ',
      'İ',
      'ß',
      'ǅ',
      'ﬁ',
      'Å',
      '\u0301',
      '\u0323',
      '\u1dc4',
      '\u0591',
      'e\u0301\u0323',
      '😀',
      '\u00a0',
      '\u200b',
      '<b>',
      '&amp;',
      'Ⅻ',
      '①',
      '한',
      'ｶ',
    ];
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let t = '';
      const n = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < n; k++) t += pieces[Math.floor(rnd() * pieces.length)] + (rnd() < 0.3 ? ' ' : '');
      texts.push(rnd() < 0.3 ? t.normalize('NFD') : t);
    }
    for (const f of seedFiles()) texts.push(...f.text.split('\n').slice(0, 400));
    for (const t of texts) expect(foldKey(t), JSON.stringify(t)).toBe(referenceFoldKey(t));
    // The same key as bytes (consolidation reads most keys that way), surrogate pairs and long texts included.
    texts.push('x'.repeat(9000) + ' Đ 😀 ' + 'ạ'.repeat(300));
    for (const t of texts) {
      const n = foldKeyBytes(t);
      expect(String.fromCharCode(...foldedKeyBytes().subarray(0, n)), JSON.stringify(t)).toBe(foldKey(t));
    }
  });

  it('glues runs of abbreviations joined by "-" as the whole-text pattern does, beside digits, long and mixed words', () => {
    const words = ['KH', 'UBND', 'QĐ', 'TT', 'tt', 'nđ', 'Đ', 'đ', 'X', 'ABCDEFGH', 'ABCDEFGHI', 'bcdfghjk'];
    const more = ['bcdfghjkl', 'Σ', 'ΣΑ', 'Ab', 'aB', 'ư', 'Ư', '𝐀𝐁', 'Ạ', 'ạ', 'B\u0301', 'İ', 'Sở', 'số'];
    const separators = ['-', '-', '-', '--', ' ', '/', '1', '12', '.', ' - ', '–', '(', ')', '\u00a0', '', '😀', 'é'];
    const all = [...words, ...more];
    let seed = 11;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let i = 0; i < 20000; i++) {
      let t = '';
      const n = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < n; k++)
        t +=
          (rnd() < 0.6 ? all[Math.floor(rnd() * all.length)] : '') + separators[Math.floor(rnd() * separators.length)];
      expect(foldKey(t), JSON.stringify(t)).toBe(referenceFoldKey(t));
    }
    // "TTg" is no abbreviation (capital, then lower case): the run stops before it.
    expect(foldKey('Số 12/KH-UBND ngày 3/QĐ-TTg-UBND')).toBe('so 12 khubnd ngay 3 qd ttg ubnd');
    expect(foldKey('Số 12/KH-UBND ngày 3/QĐ-TTG-UBND')).toBe('so 12 khubnd ngay 3 qdttgubnd');
    expect(foldKey('12KH-UB-ND, A-Ab')).toBe('12kh ubnd a ab');
  });

  it('isCleanText reads each unit as its definition says (Vietnamese letters, Latin-1 letters, typography)', () => {
    const vietnamese = (c: number) => (c >= 0x1ea0 && c <= 0x1ef9) || 'ăĂđĐơƠưƯĩĨũŨ'.includes(String.fromCharCode(c));
    const shared = new Set('àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026');
    for (let c = 0x80; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      // Alone it is clean only as a Vietnamese letter; beside one, also as a shared letter or typography.
      expect(isCleanText(`a ${ch} b`), c.toString(16)).toBe(vietnamese(c));
      expect(isCleanText(`${ch} ơ`), c.toString(16)).toBe(vietnamese(c) || shared.has(ch));
    }
  });

  it('keeps different agencies apart', () => {
    expect(foldKey('Sở Nội vụ')).not.toBe(foldKey('Sở Ngoại vụ'));
    expect(foldKey('Sở KH&ĐT')).not.toBe(foldKey('Sở KH&CN'));
  });
});

describe('isVietnameseSyllable', () => {
  it.each([
    ['Sở', true],
    ['Nội', true],
    ['nghiêng', true],
    ['Quý', true],
    ['khuya', true],
    ['Së', false], // diaeresis is not Vietnamese
    ['Néi', false], // "ei" is not a Vietnamese rhyme
    ['Sôû', false], // circumflex on u
    ['th¸ng', false],
    ['Café', false],
  ])('%s → %s', (w, ok) => {
    expect(isVietnameseSyllable(w)).toBe(ok);
  });
});

describe('legacy encodings', () => {
  it.each([
    ['Së Néi vô', 'tcvn3', 'Sở Nội vụ'],
    ['Thêi gian', 'tcvn3', 'Thời gian'],
    ['Sôû Noäi vuï', 'vni', 'Sở Nội vụ'],
    ['Thôøi gian thöïc hieän', 'vni', 'Thời gian thực hiện'],
    ['SõÒ Nôòi vuò chuÒ triÌ', 'cp1258', 'Sở Nội vụ chủ trì'],
  ] as [string, LegacyEncoding, string][])('%s is %s', (raw, enc, unicode) => {
    expect(detectLegacyEncoding(raw)).toBe(enc);
    expect(decodeLegacy(raw, enc)).toBe(unicode);
  });

  it.each([
    'Sở Nội vụ',
    'Quý I',
    'Tháng 6/2023',
    'Năm 2023',
    'Thường xuyên',
    'hello world',
    'UBND tỉnh, Sở TT&TT',
    'Café crème brûlée',
    'Quyết định¹',
    '¹',
    '«Kế hoạch»',
    'Sở Nội vụ'.normalize('NFD'),
    '',
  ])('no detection on %j', (s) => {
    expect(detectLegacyEncoding(s)).toBeNull();
  });

  // Real sentences from the seeds; TCVN3 cannot hold toned capitals, so those sentences avoid them.
  const sentences = [
    'Sở Nội vụ chủ trì, phối hợp với cơ quan, đơn vị liên quan tham mưu',
    'Rà soát, hệ thống hóa văn bản quy phạm pháp luật; kịp thời kiến nghị, bổ sung, thay thế',
    'Thường xuyên trong năm',
    'Kế hoạch được UBND tỉnh ban hành',
    'Sau 02 tháng kể từ khi có văn bản hướng dẫn của Trung ương',
    'Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong hoạt động của cơ quan hành chính nhà nước',
    'Các cơ quan, đơn vị, địa phương xây dựng Đề án, gửi Sở Nội vụ thẩm định, trình UBND tỉnh',
    'Nâng cao chất lượng giải quyết thủ tục hành chính, hướng tới sự hài lòng của người dân',
  ];
  for (const enc of ['tcvn3', 'vni', 'cp1258'] as const) {
    it.each(sentences)(`${enc} round trip: %s`, (s) => {
      const legacy = encodeLegacy(s, enc);
      expect(legacy).not.toBe(s);
      expect(detectLegacyEncoding(legacy)).toBe(enc);
      expect(decodeLegacy(legacy, enc)).toBe(s);
      expect(cleanText(legacy)).toBe(s);
    });
  }

  it('VNI and CP1258 round-trip toned capitals too', () => {
    const s = 'Ủy ban nhân dân tỉnh Khánh Hòa; Ở ĐÂU, Ý KIẾN, Ữ Ự Ỵ';
    for (const enc of ['vni', 'cp1258'] as const) expect(decodeLegacy(encodeLegacy(s, enc), enc)).toBe(s);
  });

  it('the TCVN3 table maps every lower-case Vietnamese letter once', () => {
    const letters = 'aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ';
    for (const ch of letters) {
      const enc = encodeLegacy(ch, 'tcvn3');
      expect(decodeLegacy(enc, 'tcvn3')).toBe(ch);
    }
    const values = Object.values(TCVN3);
    expect(new Set(values).size).toBe(values.length);
  });

  it('never fires on any seed (whole files, lines, cells, words)', () => {
    const hits: string[] = [];
    let checked = 0;
    for (const { name, text } of seedFiles()) {
      if (detectLegacyEncoding(text)) hits.push(`${name}: whole file`);
      for (const line of text.split('\n')) {
        for (const cell of line.split('\t')) {
          checked++;
          if (detectLegacyEncoding(cell)) hits.push(`${name}: ${cell.slice(0, 60)}`);
          for (const w of cell.split(/\s+/)) if (w && detectLegacyEncoding(w)) hits.push(`${name}: word ${w}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(hits).toEqual([]);
  });
});
