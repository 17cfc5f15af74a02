// Worksheet change events → which rows to re-read. Anything that is not a plain cell range
// (several areas, whole rows/columns) returns undefined and the caller re-reads the sheet.

/** "B5" / "A5:G9" → [[5, 5]] / [[5, 9]]; "5:7", "A:C", "A1,B3" → undefined. */
export function parseRowSpans(address: string): [number, number][] | undefined {
  const a = address.slice(address.lastIndexOf('!') + 1).replace(/\$/g, '').trim();
  if (!a || a.includes(',') || a.includes(';')) return undefined;
  const m = /^[A-Za-z]{1,3}(\d+)(?::[A-Za-z]{1,3}(\d+))?$/.exec(a);
  if (!m) return undefined;
  const r1 = Number(m[1]);
  const r2 = m[2] ? Number(m[2]) : r1;
  return [[Math.min(r1, r2), Math.max(r1, r2)]];
}
