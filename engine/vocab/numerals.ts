// Roman numerals of section headings ("I", "II", …) and quarters ("Quý III/2026"): one function for every layer.

const ROMAN: readonly [number, string][] = [
  [1000, 'M'],
  [900, 'CM'],
  [500, 'D'],
  [400, 'CD'],
  [100, 'C'],
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

/** 1 → "I", 14 → "XIV"; anything that is not a positive integer is written in digits. */
export function toRoman(n: number): string {
  if (!Number.isInteger(n) || n <= 0) return String(n);
  let out = '';
  for (const [v, s] of ROMAN) for (; n >= v; n -= v) out += s;
  return out;
}

/** "XIV" → 14 (upper or lower case); null when the text is not a well-formed Roman numeral. */
export function fromRoman(text: string): number | null {
  const s = text.trim().toUpperCase();
  if (!/^[MDCLXVI]+$/.test(s)) return null;
  let n = 0;
  let rest = s;
  for (const [v, r] of ROMAN) {
    while (rest.startsWith(r)) {
      n += v;
      rest = rest.slice(r.length);
    }
  }
  // Only canonical spellings count ("IIII" is not 4): writing it back must give the same text.
  return rest === '' && toRoman(n) === s ? n : null;
}

/** "Quý III/2026", the way official plans name a quarter. */
export function quarterLabel(quarter: number, year?: number): string {
  return `Quý ${toRoman(quarter)}${year === undefined ? '' : `/${year}`}`;
}
