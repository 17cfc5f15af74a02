// Document metadata from the text around the annex: province, issuer, document number and date, plan year, title.
import type { Grid, Meta } from '../model.js';
import { foldKey } from '../normalize/text.js';
import { clean } from './text.js';

// Provinces and centrally-run cities before the 2025 merger (the 34 merged units keep names from this list).
const PROVINCES = [
  'An Giang',
  'Bà Rịa - Vũng Tàu',
  'Bạc Liêu',
  'Bắc Giang',
  'Bắc Kạn',
  'Bắc Ninh',
  'Bến Tre',
  'Bình Dương',
  'Bình Định',
  'Bình Phước',
  'Bình Thuận',
  'Cà Mau',
  'Cao Bằng',
  'Cần Thơ',
  'Đà Nẵng',
  'Đắk Lắk',
  'Đắk Nông',
  'Điện Biên',
  'Đồng Nai',
  'Đồng Tháp',
  'Gia Lai',
  'Hà Giang',
  'Hà Nam',
  'Hà Nội',
  'Hà Tĩnh',
  'Hải Dương',
  'Hải Phòng',
  'Hậu Giang',
  'Hòa Bình',
  'Hồ Chí Minh',
  'Hưng Yên',
  'Khánh Hòa',
  'Kiên Giang',
  'Kon Tum',
  'Lai Châu',
  'Lạng Sơn',
  'Lào Cai',
  'Lâm Đồng',
  'Long An',
  'Nam Định',
  'Nghệ An',
  'Ninh Bình',
  'Ninh Thuận',
  'Phú Thọ',
  'Phú Yên',
  'Quảng Bình',
  'Quảng Nam',
  'Quảng Ngãi',
  'Quảng Ninh',
  'Quảng Trị',
  'Sóc Trăng',
  'Sơn La',
  'Tây Ninh',
  'Thái Bình',
  'Thái Nguyên',
  'Thanh Hóa',
  'Thừa Thiên Huế',
  'Huế',
  'Tiền Giang',
  'Trà Vinh',
  'Tuyên Quang',
  'Vĩnh Long',
  'Vĩnh Phúc',
  'Yên Bái',
];

const CITIES = new Set(['Cần Thơ', 'Đà Nẵng', 'Hà Nội', 'Hải Phòng', 'Hồ Chí Minh', 'Huế']);

interface ProvinceKey {
  id: string;
  name: string;
  key: string;
}

let provinceKeys: ProvinceKey[] | undefined;
function provinces(): ProvinceKey[] {
  if (!provinceKeys) {
    provinceKeys = PROVINCES.map((name) => {
      const key = foldKey(name);
      return { id: key.replace(/ /g, '-'), name, key };
    }).sort((a, b) => b.key.length - a.key.length);
  }
  return provinceKeys;
}

let unitRe: RegExp | undefined;
/** "tinh nam dinh", "thanh pho ha noi", "tp ho chi minh" in folded text; group 1 is the province key. */
function unitRegex(): RegExp {
  unitRe ??= new RegExp(
    `(?:^| )(?:tinh|thanh pho|tp) (${provinces()
      .map((p) => p.key)
      .join('|')})(?= |$)`,
    'g',
  );
  return unitRe;
}

const ISO = (y: number, m: number, d: number): string | undefined =>
  y > 1900 && m >= 1 && m <= 12 && d >= 1 && d <= 31
    ? `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
    : undefined;

/** "ngày 28 tháng 12 năm 2022", "ngày 15/12/2023", "ngày 15 /12/2023" → ISO; undefined when any part is missing. */
export function parseVnDate(text: string): string | undefined {
  let m = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/i.exec(text);
  if (m) return ISO(+m[3], +m[2], +m[1]);
  m = /ngày\s+(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/i.exec(text);
  if (m) return ISO(+m[3], +m[2], +m[1]);
  return undefined;
}

/** Markdown-ish emphasis the text extraction left around headings ("**KẾ HOẠCH**", "## **II. ...**"). */
export function stripMarkup(s: string): string {
  return s
    .replace(/^\s*#{1,6}\s*/, '')
    .replace(/\*{1,3}|_{2,}/g, '')
    .trim();
}

// "3604/QĐ-UBND", "4912 /KH-UBND", "12/2023/QĐ-UBND" (a year in legal documents' numbers).
const DOC_NUMBER = /(\d+(?:\s*\/\s*\d{4})?)\s*\/\s*(KH|QĐ|QD|CT|NQ|TB|CV)\s*-\s*([A-ZĐ][A-ZĐ0-9]*)/u;
const docNumberOf = (n: RegExpExecArray): string =>
  `${n[1].replace(/\s+/g, '')}/${n[2] === 'QD' ? 'QĐ' : n[2]}-${n[3]}`;

/**
 * Reads metadata from the document lines before the annex (text documents, title rows of a sheet).
 * `lines` are the first cells of rows, in order; `limit` bounds the scan for speed.
 */
export function readMeta(grid: Grid, endRow: number): Meta {
  const lines: { row: number; text: string }[] = [];
  for (const r of grid.rows) {
    if (r.index >= endRow) break;
    const t = r.cells
      .map((c) => c.text)
      .filter((x) => x.trim())
      .join(' ');
    if (t.trim()) lines.push({ row: r.index, text: stripMarkup(clean(t)) });
    if (lines.length > 400) break;
  }
  const meta: Meta = {};

  // Document number: "Số: 3604/QĐ-UBND" near the top, else "(Kèm theo Quyết định số 45 /QĐ-UBND ngày ...)".
  let attachClause: string | undefined;
  for (const { text } of lines.slice(0, 12)) {
    const m = /^Số\s*:?\s*(.*)$/i.exec(text);
    if (m) {
      const n = DOC_NUMBER.exec(m[1]);
      if (n) {
        meta.docNumber = docNumberOf(n);
        meta.docType = n[2] === 'QD' ? 'QĐ' : n[2];
      } else {
        const t = /\/\s*(KH|QĐ)\s*-/.exec(m[1]);
        if (t) meta.docType = t[1];
      }
      break;
    }
  }
  for (const { text } of lines) {
    if (/kèm theo\s+(Quyết định|Kế hoạch)\s+số/i.test(text)) {
      attachClause = text;
      break;
    }
  }
  if (!meta.docNumber && attachClause) {
    const n = DOC_NUMBER.exec(attachClause);
    if (n) {
      meta.docNumber = docNumberOf(n);
      meta.docType = n[2] === 'QD' ? 'QĐ' : n[2];
    }
  }

  // Date: "Khánh Hòa, ngày 28 tháng 12 năm 2022" near the top, else the attachment clause's date.
  let placeLine: string | undefined;
  for (const { text } of lines.slice(0, 15)) {
    if (/^[\p{Lu}][\p{L} .-]{1,40},\s*ngày\b/u.test(text)) {
      placeLine = text;
      meta.docDate = parseVnDate(text);
      break;
    }
  }
  if (!meta.docDate && attachClause) {
    const number = meta.docNumber?.split('/')[0];
    // Only trust the clause's date when it belongs to the same document number.
    if (!number || attachClause.includes(number)) meta.docDate = parseVnDate(attachClause);
  }

  // Title: the line(s) after the first "KẾ HOẠCH" / "QUYẾT ĐỊNH" heading.
  for (let i = 0; i < Math.min(lines.length, 80); i++) {
    const head = lines[i].text.toUpperCase();
    if (head === 'KẾ HOẠCH' || head === 'QUYẾT ĐỊNH') {
      if (!meta.docType) meta.docType = head === 'KẾ HOẠCH' ? 'KH' : 'QĐ';
      const parts: string[] = [];
      for (let j = i + 1; j < lines.length && parts.length < 3; j++) {
        if (j > i + 1 && lines[j].row !== lines[j - 1].row + 1) break; // a blank line ends the title
        const t = lines[j].text;
        if (/^(Căn cứ|Thực hiện|\(|CHỦ TỊCH|ỦY BAN)/.test(t)) break;
        parts.push(t);
      }
      if (parts.length) meta.title = parts.join(' ').replace(/\s+/g, ' ').trim();
      break;
    }
  }

  // A sheet without the plan's heading: its own title row ("NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026").
  if (!meta.title) {
    for (const { text } of lines.slice(0, 30)) {
      if (
        text.length < 250 &&
        /năm\s+\d{4}/iu.test(text) &&
        (/^(Kế hoạch|Nhiệm vụ|Danh mục|Phụ lục|Phân công)/iu.test(text) || text === text.toUpperCase())
      ) {
        meta.title = text;
        break;
      }
    }
  }

  // Plan year: "năm 2023" in the title, else the first "Kế hoạch ... năm YYYY" near the top.
  const year = meta.title && /năm\s+(\d{4})/i.exec(meta.title);
  if (year) meta.planYear = +year[1];
  else
    for (const { text } of lines.slice(0, 60)) {
      const m = /(?:kế hoạch|nhiệm vụ)[^.;]{0,120}?năm\s+(\d{4})/iu.exec(text);
      if (m) {
        meta.planYear = +m[1];
        break;
      }
    }

  // Province: the place of the date line, else "UBND tỉnh X" / "tỉnh X" (most frequent), in the top lines.
  const keys = provinces();
  const pick = (folded: string): ProvinceKey | undefined => {
    const padded = ` ${folded} `;
    for (const p of keys) if (padded.includes(` ${p.key} `)) return p;
    return undefined;
  };
  let province = placeLine ? pick(foldKey(placeLine.split(',')[0])) : undefined;
  if (!province) {
    const re = unitRegex();
    const counts = new Map<string, number>();
    for (const { text } of lines.slice(0, 120)) {
      if (!/t[iỉ]nh|TỈNH|thành phố|THÀNH PHỐ|TP/u.test(text)) continue;
      re.lastIndex = 0;
      for (let m = re.exec(foldKey(text)); m; m = re.exec(foldKey(text))) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    }
    let best = 0;
    for (const [key, n] of counts)
      if (n > best) {
        best = n;
        province = keys.find((p) => p.key === key);
      }
  }
  if (province) {
    meta.province = province.id;
    meta.provinceName = province.name;
    const ubnd = lines.slice(0, 80).some(({ text }) => /ỦY BAN NHÂN DÂN|UBND|Ủy ban nhân dân/u.test(text));
    if (ubnd || meta.docNumber?.endsWith('-UBND'))
      meta.issuer = `UBND ${CITIES.has(province.name) ? 'thành phố' : 'tỉnh'} ${province.name}`;
  }
  return meta;
}
