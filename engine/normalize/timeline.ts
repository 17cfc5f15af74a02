// Vietnamese free-text timelines → typed values. Never invents a date: a phrase without a year uses
// ctx.planYear (or a year written elsewhere in the same cell), otherwise it stays without dates.
import type { Timeline } from '../model.js';
import { cleanText } from './text.js';
import { matchAllGuarded, replaceGuarded } from './guard.js';

export interface TimelineContext {
  planYear?: number;
}

type Fact =
  | { type: 'range'; from: YM; to: YM; openEnd?: boolean; twoEnded?: boolean; at: number }
  | { type: 'deadline'; day: number; month: number; year?: number; at: number; end: number }
  | { type: 'start'; day: number; month: number; year?: number; at: number; end?: number };

/** A month-granular bound; the year may be missing (taken from the cell or the plan year later). */
interface YM {
  year?: number;
  month: number;
}

interface Scan {
  facts: Fact[];
  recurrence?: string;
  condition?: string;
  offset?: string;
  invalid: boolean;
  /** Character spans recognised as timeline wording (for looksLikeTimeline). */
  spans: [number, number][];
  /** Years written anywhere in the text. */
  years: number[];
}

const YEAR = '((?:19|20)\\d\\d)';
const NUM_END = '(?![\\p{L}\\d])';
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
const QUARTER_NUM = '(iv|i{1,3}|[1-4])';
const MONTH_NUM = '(0?[1-9]|1[0-2])';

const RE_OFFSET = new RegExp(
  `(?:(sau|trong vòng|trong thời hạn|trong|chậm nhất|không quá)\\s+)?(\\d{1,3})\\s*(ngày làm việc|ngày|tuần|tháng|năm)\\s*(kể từ|sau khi|từ khi|sau)\\s*(?:khi|ngày)?\\s*(?:có\\s+)?([^;()]*?)(?=\\.\\s|[;()]|\\.?$)`,
  'u',
);
const RE_QUARTER = new RegExp(
  `quý\\s*${QUARTER_NUM}${NUM_END}((?:\\s*(?:,|và|-|–|đến)\\s*(?:quý\\s*)?(?:iv|i{1,3}|[1-4])${NUM_END})*)(?:\\s*(?:\\/|-|–|,)?\\s*(?:năm\\s*)?${YEAR}${NUM_END})?`,
  'gu',
);
const RE_HALF = new RegExp(`(?:06|6|sáu)\\s*tháng\\s*(đầu|cuối)\\s*năm(?:\\s*${YEAR})?`, 'gu');
const RE_DMY = new RegExp(`(\\d{1,2})\\s*([\\/.-])\\s*(\\d{1,2})\\s*\\2\\s*${YEAR}${NUM_END}`, 'gu');
const RE_DMY_WORDS = new RegExp(`ngày\\s*(\\d{1,2})\\s*tháng\\s*(\\d{1,2})(?:\\s*năm\\s*${YEAR})?`, 'gu');
const RE_MONTH = new RegExp(
  `tháng\\s*${MONTH_NUM}${NUM_END}(?:\\s*(?:-|–|đến)\\s*(?:tháng\\s*)?${MONTH_NUM}${NUM_END})?(?:\\s*(?:\\/|-|,)?\\s*(?:năm\\s*)?${YEAR}${NUM_END})?`,
  'gu',
);
/** Words that may surround a timeline without making the cell a product sentence. */
export const TIMELINE_FILLER =
  /(^|[^\p{L}])(?:trong|từ|đến|trước|sau|ngày|năm|hoàn thành|thực hiện|và|hoặc|chậm nhất|là|vào|khoảng|dự kiến|các|những|đầu|cuối|giữa|hằng|hàng|định kỳ|thường xuyên|tiếp theo|tổ chức|triển khai)(?![\p{L}])/gu;
export const RE_DM = new RegExp(`(^|[^\\d\\/.])(\\d{1,2})\\s*\\/\\s*(\\d{1,2})(?![\\/.\\d])`, 'gu');
export const RE_YEAR = new RegExp(`(^|[^\\d\\/])${YEAR}(?:\\s*(?:-|–|đến)\\s*(?:năm\\s*)?${YEAR})?${NUM_END}`, 'gu');
const RE_DEADLINE_BEFORE = /(?:trước|chậm nhất(?:\s*là)?|hạn chót|không muộn hơn|hoàn thành)\s*(?:ngày\s*)?$/u;
const RE_START_BEFORE = /(?:từ|bắt đầu(?:\s*từ)?)\s*(?:ngày\s*)?$/u;

const RECURRENCES: [RegExp, string][] = [
  [/thường xuyên|liên tục/u, 'continuous'],
  [
    /(?:định kỳ\s*)?(?:hằng|hàng|mỗi)\s*(?:06|6|sáu)\s*tháng|định kỳ\s*(?:06|6|sáu)\s*tháng|nửa năm một lần/u,
    'half-yearly',
  ],
  [/(?:định kỳ\s*)?(?:hằng|hàng|mỗi)\s*quý/u, 'quarterly'],
  [/(?:định kỳ\s*)?(?:hằng|hàng|mỗi)\s*tháng/u, 'monthly'],
  [/(?:định kỳ\s*)?(?:hằng|hàng|mỗi)\s*tuần/u, 'weekly'],
  [/(?:định kỳ\s*)?(?:hằng|hàng|mỗi)\s*năm|(?:và|các)\s*(?:những\s*)?năm tiếp theo/u, 'yearly'],
  [/(?:12|mười hai)\s*tháng\s*\/\s*lần|1\s*năm\s*\/\s*lần/u, 'yearly'],
  [/(?:06|6|sáu)\s*tháng\s*\/\s*lần/u, 'half-yearly'],
  [/(?:03|3|ba)\s*tháng\s*\/\s*lần/u, 'quarterly'],
  [/(?:01|1|một)\s*tháng\s*\/\s*lần/u, 'monthly'],
  [/định kỳ/u, 'periodic'],
];

const RE_CONDITION =
  /(?:(?:sau|kể từ|từ)\s+khi|khi)\s+(?:có\s+)?([^;()]+)|theo\s+((?:lộ trình|tiến độ|hướng dẫn|kế hoạch|quy định|yêu cầu|chỉ đạo|đề án|phương án|thời gian|quyết định|chủ trương|thông báo|văn bản)[^;()]*)/u;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function validDay(day: number, month: number, year?: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year ?? 2024, month); // leap-year-friendly when the year is unknown
}

/** Blanks out a matched region so later patterns do not read it twice. */
function mask(s: string, from: number, to: number): string {
  return s.slice(0, from) + ' '.repeat(to - from) + s.slice(to);
}

function scan(lower: string): Scan {
  const out: Scan = { facts: [], invalid: false, spans: [], years: [] };
  let s = lower;
  const take = (from: number, to: number) => {
    out.spans.push([from, to]);
    s = mask(s, from, to);
  };

  const off = RE_OFFSET.exec(s);
  if (off) {
    const n = Number(off[2]);
    const unit = off[3];
    out.offset = unit === 'tháng' ? `P${n}M` : unit === 'năm' ? `P${n}Y` : unit === 'tuần' ? `P${n}W` : `P${n}D`;
    // Working days are kept as days: the condition text still says "ngày làm việc" in `text`.
    out.condition = off[5].trim().replace(/[.,:\s]+$/u, '') || undefined;
    take(off.index, off.index + off[0].length);
  }

  for (const m of s.matchAll(RE_HALF)) {
    const year = m[2] ? Number(m[2]) : undefined;
    const first = m[1] === 'đầu';
    out.facts.push({
      type: 'range',
      from: { year, month: first ? 1 : 7 },
      to: { year, month: first ? 6 : 12 },
      at: m.index,
    });
    take(m.index, m.index + m[0].length);
  }
  for (const m of s.matchAll(RE_QUARTER)) {
    const nums = [ROMAN[m[1]]];
    for (const q of (m[2] ?? '').matchAll(/(iv|i{1,3}|[1-4])(?![\p{L}\d])/gu)) nums.push(ROMAN[q[1]]);
    const year = m[3] ? Number(m[3]) : undefined;
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    out.facts.push({
      type: 'range',
      from: { year, month: lo * 3 - 2 },
      to: { year, month: hi * 3 },
      twoEnded: nums.length > 1,
      at: m.index,
    });
    take(m.index, m.index + m[0].length);
  }
  const dated = (m: RegExpMatchArray, day: number, month: number, year: number | undefined) => {
    const before = s.slice(Math.max(0, m.index! - 30), m.index);
    if (!validDay(day, month, year)) out.invalid = true;
    const start = RE_START_BEFORE.test(before);
    const kind: 'start' | 'deadline' = start ? 'start' : 'deadline';
    out.facts.push({ type: kind, day, month, year, at: m.index!, end: m.index! + m[0].length });
    const lead = (start ? RE_START_BEFORE : RE_DEADLINE_BEFORE).exec(before);
    take(m.index! - (lead ? lead[0].length : 0), m.index! + m[0].length);
  };
  for (const m of s.matchAll(RE_DMY_WORDS)) dated(m, Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined);
  for (const m of s.matchAll(RE_MONTH)) {
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    const year = m[3] ? Number(m[3]) : undefined;
    if (b < a) out.invalid = true;
    out.facts.push({ type: 'range', from: { year, month: a }, to: { year, month: b }, twoEnded: !!m[2], at: m.index });
    take(m.index, m.index + m[0].length);
  }
  for (const m of s.matchAll(RE_DMY)) dated(m, Number(m[1]), Number(m[3]), Number(m[4]));
  for (const m of matchAllGuarded(s, RE_DM)) dated(m, Number(m[1]), Number(m[2]), undefined);
  for (const m of s.matchAll(/(đầu|cuối|giữa)\s*năm(?:\s*((?:19|20)\d\d))?/gu)) {
    const year = m[2] ? Number(m[2]) : undefined;
    const before = s.slice(Math.max(0, m.index - 20), m.index);
    if (m[1] === 'cuối')
      out.facts.push({ type: 'deadline', day: 31, month: 12, year, at: m.index, end: m.index + m[0].length });
    else if (m[1] === 'đầu' && /từ\s*$/u.test(before))
      out.facts.push({ type: 'start', day: 1, month: 1, year, at: m.index });
    else
      out.facts.push({
        type: 'range',
        from: { year, month: m[1] === 'đầu' ? 1 : 6 },
        to: { year, month: m[1] === 'đầu' ? 3 : 7 },
        at: m.index,
      });
    take(m.index, m.index + m[0].length);
  }
  for (const m of matchAllGuarded(s, RE_YEAR)) {
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (b < a) out.invalid = true;
    out.facts.push({
      type: 'range',
      from: { year: a, month: 1 },
      to: { year: b, month: 12 },
      twoEnded: !!m[2],
      at: m.index,
    });
    take(m.index, m.index + m[0].length);
  }
  for (const m of lower.matchAll(/(?:19|20)\d\d/g)) out.years.push(Number(m[0]));

  // A recurrence in a side remark ("(báo cáo lồng ghép vào chế độ báo cáo định kỳ)") is not the timeline.
  const outside = s.replace(/\([^()]*\)/g, (m) => ' '.repeat(m.length));
  for (const [re, rec] of RECURRENCES) {
    const m = re.exec(outside);
    if (m) {
      if (!out.recurrence && /tiếp theo/u.test(m[0])) {
        // "Năm 2022 và những năm tiếp theo": yearly from 2022, no end.
        for (const f of out.facts) if (f.type === 'range') f.openEnd = true;
      }
      out.recurrence ??= rec;
      take(m.index, m.index + m[0].length);
    }
  }
  if (!out.condition) {
    const c = RE_CONDITION.exec(s);
    if (c) {
      out.condition = (c[1] ?? c[2]).trim().replace(/[.,:\s]+$/u, '');
      take(c.index, c.index + c[0].length);
    }
  }
  // "Từ Quý II đến cuối năm 2023": an opening "từ" makes the first fact a start, "đến" the next an end.
  out.facts.sort((x, y) => x.at - y.at);
  const first = out.facts[0];
  if (
    first?.type === 'range' &&
    !first.twoEnded &&
    out.facts.length === 1 &&
    /(?:^|\s)từ\s*(?:năm\s*)?$/u.test(lower.slice(0, first.at))
  ) {
    first.openEnd = true;
  }
  // "15/3/2023 - 30/6/2023": a date followed by a dash and another date opens the range.
  for (let i = 0; i + 1 < out.facts.length; i++) {
    const a = out.facts[i];
    const b = out.facts[i + 1];
    if (
      a.type === 'deadline' &&
      b.type === 'deadline' &&
      /^\s*(?:-|–|đến|tới)\s*(?:ngày\s*)?$/u.test(lower.slice(a.end, b.at))
    ) {
      out.facts[i] = { ...a, type: 'start' };
    }
  }
  return out;
}

/** Restores the original casing of a phrase taken from the lower-cased text. */
function original(clean: string, lowerPhrase: string): string {
  const i = clean.toLowerCase().indexOf(lowerPhrase);
  return i >= 0 ? clean.slice(i, i + lowerPhrase.length) : lowerPhrase;
}

/**
 * Reads a timeline cell: a date ("Trước ngày 15/12/2023"), a period ("Quý I/2023": start and due are the
 * first and last day), a recurrence ("Thường xuyên", "Hằng quý"), a condition ("Sau 02 tháng kể từ khi có
 * văn bản hướng dẫn của Trung ương": offset P2M), or unknown. `text` is always the officer's text unchanged.
 */
export function parseTimeline(text: string, ctx: TimelineContext = {}): Timeline {
  const clean = cleanText(text ?? '');
  if (!clean) return { kind: 'empty', text };
  const lower = clean.toLowerCase().replace(/\s+/g, ' ');
  const sc = scan(lower);
  if (sc.invalid) return { kind: 'unknown', text };
  // A phrase without its own year takes the one year the cell names, else the plan year.
  const distinctYears = [...new Set(sc.years)];
  const fallbackYear = distinctYears.length === 1 ? distinctYears[0] : ctx.planYear;

  let start: string | undefined;
  let due: string | undefined;
  let yearless = false;
  let hasRange = false;
  let hasDeadline = false;
  for (const f of sc.facts) {
    if (f.type === 'range') {
      hasRange = true;
      const fy = f.from.year ?? f.to.year ?? fallbackYear;
      const ty = f.to.year ?? f.from.year ?? fallbackYear;
      if (fy === undefined || ty === undefined) {
        yearless = true;
        continue;
      }
      const s = iso(fy, f.from.month, 1);
      const d = iso(ty, f.to.month, daysInMonth(ty, f.to.month));
      if (!start || s < start) start = s;
      if (!f.openEnd && (!due || d > due)) due = d;
    } else {
      const y = f.year ?? fallbackYear;
      if (y === undefined) {
        yearless = true;
        continue;
      }
      if (!validDay(f.day, f.month, y)) return { kind: 'unknown', text };
      const d = iso(y, f.month, f.day);
      if (f.type === 'start') {
        hasRange = true;
        if (!start || d < start) start = d;
      } else {
        hasDeadline = true;
        // The first deadline written is the one the task is held to.
        due ??= d;
      }
    }
  }
  // A deadline inside a period ("Quý I/2023, trước 15/3") narrows the period's end.
  if (hasDeadline && hasRange) {
    const deadlines = sc.facts.filter((f) => f.type === 'deadline');
    const f = deadlines[0] as Extract<Fact, { type: 'deadline' }>;
    const y = f.year ?? fallbackYear;
    if (y !== undefined) due = iso(y, f.month, f.day);
  }
  const condition = sc.condition ? original(clean.replace(/\s+/g, ' '), sc.condition) : undefined;
  const dates = { ...(start ? { start } : {}), ...(due ? { due } : {}) };

  if (sc.offset) return { kind: 'conditional', offset: sc.offset, ...(condition ? { condition } : {}), ...dates, text };
  if (sc.recurrence)
    return { kind: 'recurring', recurrence: sc.recurrence, ...dates, ...(condition ? { condition } : {}), text };
  if (hasRange || (yearless && sc.facts.some((f) => f.type === 'range')))
    return { kind: 'period', ...dates, ...(condition ? { condition } : {}), text };
  if (hasDeadline || sc.facts.length) return { kind: 'date', ...dates, ...(condition ? { condition } : {}), text };
  if (condition) return { kind: 'conditional', condition, text };
  return { kind: 'unknown', text };
}

/**
 * True when a whole cell is just a timeline ("Quý I/2024", "Tháng 6", "Thường xuyên"), not a product
 * that merely mentions a date ("Kế hoạch được ban hành trong quý I").
 */
export function looksLikeTimeline(text: string): boolean {
  const clean = cleanText(text ?? '');
  if (!clean || clean.length > 120) return false;
  const lower = clean.toLowerCase().replace(/\s+/g, ' ');
  const sc = scan(lower);
  if (sc.invalid) return false;
  if (!sc.facts.length && !sc.recurrence && !sc.offset && !sc.condition) return false;
  let rest = lower;
  for (const [a, b] of sc.spans) rest = mask(rest, a, b);
  // Words that may surround a timeline without making the cell a product sentence.
  rest = replaceGuarded(rest, TIMELINE_FILLER, () => ' ').replace(/[\s\p{P}\p{S}\d]+/gu, '');
  return rest.length === 0;
}
