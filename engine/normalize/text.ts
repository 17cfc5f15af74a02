// Text normalisation: NFC, whitespace, HTML fragments, legacy Vietnamese encodings.
// STUB (foundation): the normalize owner replaces these bodies; signatures are the contract.

export type LegacyEncoding = 'tcvn3' | 'vni' | 'cp1258';

/** HTML tags present in a cell ("b", "p", "li"...). */
export function findHtml(raw: string): string[] {
  const tags = new Set<string>();
  for (const m of raw.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) tags.add(m[1].toLowerCase());
  return [...tags];
}

export function detectLegacyEncoding(_raw: string): LegacyEncoding | null {
  return null;
}

export function decodeLegacy(raw: string, _encoding: LegacyEncoding): string {
  return raw;
}

/** The text as it should be stored: HTML stripped, legacy encodings converted, NFC, whitespace collapsed. */
export function cleanText(raw: string): string {
  return raw
    .replace(/<br\s*\/?>|<\/p>|<\/li>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .normalize('NFC')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/** Comparison key: NFC, lower case, diacritics removed (đ → d), punctuation and spaces folded. */
export function foldKey(s: string): string {
  return cleanText(s)
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
