// A1 addresses: column letters <-> 1-based indices. Shared by every reader, rule and adapter.

export function columnLetter(column: number): string {
  let n = column;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function a1(row: number, column: number): string {
  return `${columnLetter(column)}${row}`;
}

/** Parses "C12" into { row: 12, column: 3 }; returns undefined for anything else. */
export function parseA1(address: string): { row: number; column: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!m) return undefined;
  return { row: Number(m[2]), column: columnIndex(m[1]) };
}

/** Sort order of A1 addresses: by column, then row. */
export function byPosition(x: string, y: string): number {
  const a = parseA1(x)!;
  const b = parseA1(y)!;
  return a.column - b.column || a.row - b.row;
}

/** Joins vertically adjacent cells of one column into areas ("C5:C9"), so marks and rules carry few ranges. */
export function compactAreas(cells: string[]): string[] {
  const sorted = [...new Set(cells)].sort(byPosition);
  const out: string[] = [];
  let start: { row: number; column: number } | undefined;
  let prev: { row: number; column: number } | undefined;
  const flush = () => {
    if (start && prev)
      out.push(
        start.row === prev.row
          ? a1(start.row, start.column)
          : `${a1(start.row, start.column)}:${a1(prev.row, prev.column)}`,
      );
  };
  for (const c of sorted) {
    const p = parseA1(c)!;
    if (prev && p.column === prev.column && p.row === prev.row + 1) {
      prev = p;
      continue;
    }
    flush();
    start = prev = p;
  }
  flush();
  return out;
}
