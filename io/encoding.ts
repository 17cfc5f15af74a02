// Bytes → text for CSV/TSV/plain-text inputs. Officers' files come as UTF-8 (with or without BOM),
// UTF-16 (Excel's "Unicode text"), or old Windows code pages: 1258 (Vietnamese) and 1252 (which is
// also how TCVN3/VNI font text looks once decoded; the engine converts those from the string).
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  bom: boolean;
}

// Windows-1258 bytes for combining tone marks (grave, acute, tilde, hook, dot below).
const CP1258_TONES = new Set([0xcc, 0xec, 0xd2, 0xde, 0xf2]);

function isAsciiLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** Guesses a BOM-less UTF-16 text from where the zero bytes fall (ASCII-heavy text in UTF-16). */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return null;
  const n = Math.min(bytes.length, 4096);
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/** Chooses between Windows-1258 and 1252 for bytes that are not valid UTF-8. */
function legacyCodePage(bytes: Uint8Array): 'windows-1258' | 'windows-1252' {
  let tonesAfterLetter = 0;
  let tcvnLike = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (CP1258_TONES.has(b) && i > 0 && (isAsciiLetter(bytes[i - 1]) || bytes[i - 1] >= 0xc0)) tonesAfterLetter++;
    // TCVN3 puts precomposed Vietnamese letters in 0xA1–0xBF, where 1258 has only symbols.
    else if (b >= 0xa1 && b <= 0xbf) tcvnLike++;
  }
  return tonesAfterLetter > 0 && tonesAfterLetter >= tcvnLike ? 'windows-1258' : 'windows-1252';
}

/** Decodes text bytes, detecting BOMs, UTF-16 without BOM, UTF-8, else Windows-1258/1252. */
export function decodeText(input: Uint8Array): DecodedText {
  const bytes = input;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), encoding: 'utf-16le', bom: true };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), encoding: 'utf-16be', bom: true };
  }
  const u16 = utf16WithoutBom(bytes);
  if (u16) return { text: iconv.decode(Buffer.from(bytes), u16), encoding: u16, bom: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    const cp = legacyCodePage(bytes);
    // Windows-1258 writes tones as combining marks; NFC gives the precomposed letters officers type.
    const text = iconv.decode(Buffer.from(bytes), cp).normalize('NFC');
    return { text, encoding: cp, bom: false };
  }
}

/** True when decoded "text" is really binary: NULs or many control characters. */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) control++;
  }
  return control / n > 0.05;
}
