// Spreadsheet values → the text an officer sees in the cell (Vietnamese conventions: dd/mm/yyyy).
// Only what annexes use: dates, plain and fixed-decimal numbers, percentages; anything exotic
// falls back to the plain number, which is still the right value.

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Excel's built-in short date (id 14) shows in the reader's locale; Vietnamese locale is dd/mm/yyyy. */
const LOCALE_DATE_FORMATS = new Set(['mm-dd-yy', 'm/d/yy', 'm/d/yyyy', 'mm/dd/yyyy', 'mm-dd-yyyy']);

function stripFormat(fmt: string): string {
  // First section only (positive numbers); drop [colour]/[locale] tags, quoted text and escapes.
  return fmt
    .split(';')[0]
    .replace(/\[[^\]]*\]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_./g, '')
    .replace(/\*./g, '');
}

export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = stripFormat(fmt).toLowerCase();
  return /[dy]/.test(f) || (/(^|[^0#?])m{1,4}([^0#?]|$)/.test(f) && !/[0#]/.test(f));
}

/** Formats a date with an Excel number format (dates are UTC-based in exceljs). */
export function formatDate(d: Date, fmt?: string): string {
  const day = d.getUTCDate();
  const month = d.getUTCMonth() + 1;
  const year = d.getUTCFullYear();
  const hasTime = d.getUTCHours() !== 0 || d.getUTCMinutes() !== 0 || d.getUTCSeconds() !== 0;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (!fmt || LOCALE_DATE_FORMATS.has(fmt.toLowerCase()) || fmt === 'General') {
    return `${pad(day)}/${pad(month)}/${year}${hasTime ? ` ${time}` : ''}`;
  }
  // Keep literal text ("Tháng "mm"/"yyyy) and replace tokens; m after h or before s is minutes.
  const section = fmt.split(';')[0].replace(/\[[^\]]*\]/g, '');
  const tokens = section.match(/"[^"]*"|\\.|yyyy|yy|dddd|ddd|dd|d|mmmm|mmm|mm|m|hh|h|ss|s|AM\/PM|./gi) ?? [];
  // Whether the next letter token after each position is seconds, filled from the end in one pass:
  // looking ahead from every token instead made a long format quadratic.
  const secondsNext: boolean[] = new Array(tokens.length);
  let next = false;
  for (let i = tokens.length - 1; i >= 0; i--) {
    secondsNext[i] = next;
    if (/^[a-z]/i.test(tokens[i])) next = /^s/i.test(tokens[i]);
  }
  let out = '';
  let lastWasHour = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const lower = t.toLowerCase();
    const nextIsSeconds = secondsNext[i];
    if (t.startsWith('"')) out += t.slice(1, -1);
    else if (t.startsWith('\\')) out += t.slice(1);
    else if (lower === 'yyyy') out += year;
    else if (lower === 'yy') out += pad(year % 100);
    else if (lower === 'dd') out += pad(day);
    else if (lower === 'd') out += day;
    else if (lower === 'ddd' || lower === 'dddd') out += ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'][d.getUTCDay()];
    else if ((lower === 'mm' || lower === 'm') && (lastWasHour || nextIsSeconds))
      out += lower === 'mm' ? pad(d.getUTCMinutes()) : d.getUTCMinutes();
    else if (lower === 'mm') out += pad(month);
    else if (lower === 'm') out += month;
    else if (lower === 'mmm' || lower === 'mmmm') out += `Tháng ${month}`;
    else if (lower === 'hh') out += pad(d.getUTCHours());
    else if (lower === 'h') out += d.getUTCHours();
    else if (lower === 'ss') out += pad(d.getUTCSeconds());
    else if (lower === 's') out += d.getUTCSeconds();
    else if (lower === 'am/pm') out += d.getUTCHours() < 12 ? 'SA' : 'CH';
    else out += t;
    if (/^[a-z]/i.test(t)) lastWasHour = lower === 'h' || lower === 'hh';
  }
  return out;
}

/** Removes binary floating noise (0.1 + 0.2) the way Excel's 15-digit display does. */
function clean(n: number): number {
  return Number(n.toPrecision(15));
}

export function formatNumber(n: number, fmt?: string): string {
  if (!Number.isFinite(n)) return String(n);
  if (!fmt || fmt === 'General' || fmt === '@') return String(clean(n));
  const f = stripFormat(fmt);
  const decimals = /\.([0#?]+)/.exec(f)?.[1].length ?? 0;
  const fixed = /\.(0+)/.exec(f)?.[1].length ?? 0;
  const show = (x: number) => {
    const s = x.toFixed(decimals);
    // Optional digits (#) drop trailing zeros beyond the required ones.
    if (decimals > fixed && s.includes('.')) {
      const [i, frac] = s.split('.');
      const trimmed = frac.replace(/0+$/, '').padEnd(fixed, '0');
      return trimmed ? `${i}.${trimmed}` : i;
    }
    return s;
  };
  if (f.includes('%')) return `${show(clean(n * 100))}%`;
  if (/[0#?]/.test(f)) return show(clean(n));
  return String(clean(n));
}
