// Worksheet change events → which rows to re-read. Anything that is not a plain cell range
// (several areas, whole rows/columns) returns undefined and the caller re-reads the sheet.

/** The address without its sheet name and absolute-reference signs ("'Phụ lục'!$B$5" → "B5"). */
function bareAddress(address: string): string {
  return address
    .slice(address.lastIndexOf('!') + 1)
    .replace(/\$/g, '')
    .trim();
}

/** "B5" / "A5:G9" → [[5, 5]] / [[5, 9]]; "5:7", "A:C", "A1,B3" → undefined. */
export function parseRowSpans(address: string): [number, number][] | undefined {
  const a = bareAddress(address);
  if (!a || a.includes(',') || a.includes(';')) return undefined;
  const m = /^[A-Za-z]{1,3}(\d+)(?::[A-Za-z]{1,3}(\d+))?$/.exec(a);
  if (!m) return undefined;
  const r1 = Number(m[1]);
  const r2 = m[2] ? Number(m[2]) : r1;
  return [[Math.min(r1, r2), Math.max(r1, r2)]];
}

export interface RowColRect {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

const BIG = 1 << 30;

function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** "B5", "A5:G9", "5:7", "A:C" (1-based, inclusive; whole rows/columns span everything) or undefined. */
export function addressRect(address: string): RowColRect | undefined {
  const a = bareAddress(address);
  if (!a || a.includes(',')) return undefined;
  const [p, q = p] = a.split(':');
  const part = (x: string) => /^([A-Za-z]{0,3})(\d*)$/.exec(x);
  const m1 = part(p);
  const m2 = part(q);
  if (!m1 || !m2 || (!m1[1] && !m1[2]) || (!m2[1] && !m2[2])) return undefined;
  const r1 = m1[2] ? Number(m1[2]) : 1;
  const r2 = m2[2] ? Number(m2[2]) : BIG;
  const c1 = m1[1] ? colNumber(m1[1]) : 1;
  const c2 = m2[1] ? colNumber(m2[1]) : BIG;
  return { r1: Math.min(r1, r2), r2: Math.max(r1, r2), c1: Math.min(c1, c2), c2: Math.max(c1, c2) };
}

/**
 * The add-in's own writes, remembered for a few seconds so their change events are not taken for the
 * officer's. Needed before ExcelApi 1.14 (no triggerSource), and because turning events off and on
 * inside one batch is not documented to hide that batch's events.
 */
export class OwnWrites {
  private entries: { sheetId: string; rect: RowColRect; until: number }[] = [];
  constructor(private ttlMs = 3000) {}

  record(sheetId: string, addresses: string[]): void {
    const until = Date.now() + this.ttlMs;
    for (const a of addresses) {
      const rect = addressRect(a);
      if (rect) this.entries.push({ sheetId, rect, until });
    }
  }

  /** Whether an event's range lies inside something the add-in wrote recently. */
  covers(sheetId: string, address: string): boolean {
    const now = Date.now();
    this.entries = this.entries.filter((e) => e.until >= now);
    const r = addressRect(address);
    if (!r) return false;
    return this.entries.some(
      (e) => e.sheetId === sheetId && e.rect.r1 <= r.r1 && e.rect.r2 >= r.r2 && e.rect.c1 <= r.c1 && e.rect.c2 >= r.c2,
    );
  }
}
