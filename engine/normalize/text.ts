// Text normalisation: NFC, whitespace, HTML fragments, legacy Vietnamese encodings.
// Pure string code: byte decoding (iconv-lite) stays in io/; here legacy text already arrives as the
// Latin-1 characters that the old font bytes map to.
import { CP1258, TCVN3, VNI_LETTERS, VNI_SHAPES, VNI_TONES } from './legacy/tables.js';
import { replaceGuarded } from './guard.js';
import { remember } from '../bounded.js';

export type LegacyEncoding = 'tcvn3' | 'vni' | 'cp1258';
export const LEGACY_ENCODINGS: readonly LegacyEncoding[] = ['tcvn3', 'vni', 'cp1258'];

// ---------------------------------------------------------------------------------------------
// HTML fragments
// ---------------------------------------------------------------------------------------------

const TAG_RE = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>/g;

/** HTML tags present in a cell ("b", "p", "li"...), lower case, each once. */
export function findHtml(raw: string): string[] {
  if (!raw.includes('<')) return [];
  const tags = new Set<string>();
  for (const m of raw.matchAll(TAG_RE)) tags.add(m[1].toLowerCase());
  return [...tags];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  laquo: '«',
  raquo: '»',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  bull: '•',
  middot: '·',
  deg: '°',
  shy: '',
  zwnj: '',
  zwj: '',
  thinsp: ' ',
  ensp: ' ',
  emsp: ' ',
};

/** Decodes the HTML entities officers' cells carry (&amp; &nbsp; &#7853; &#x1EAD;); others stay. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named = NAMED_ENTITIES[body.toLowerCase()];
    return named ?? whole;
  });
}

/** Marks where a list item started while tags are removed (NUL never survives cleanText). */
const LI_MARK = '\u0000LI\u0000';

/** Replaces HTML fragments by plain text: block tags become line breaks, list items "- item". */
export function stripHtml(raw: string): string {
  if (!raw.includes('<') || !/<\/?[a-zA-Z]/.test(raw)) return decodeEntities(raw);
  let s = raw.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<li\b[^<>]*>\s*/gi, `\n${LI_MARK}`);
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/?(p|div|ul|ol|li|tr|table|h[1-6])\b[^<>]*>/gi, '\n');
  s = s.replace(/<\/?(td|th)\b[^<>]*>/gi, ' ');
  s = s.replace(TAG_RE, '');
  s = decodeEntities(s);
  // A list item that already starts with a bullet keeps it; otherwise it gets "- ".
  const [head, ...items] = s.split(LI_MARK);
  return head + items.map((item) => (/^\s*[-–+•*]/.test(item) ? item.trimStart() : `- ${item.trimStart()}`)).join('');
}

// ---------------------------------------------------------------------------------------------
// Legacy encodings
// ---------------------------------------------------------------------------------------------

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const VN_SPECIFIC = /[ăđơưĩũĂĐƠƯĨŨ\u1ea0-\u1ef9]/g;
/** Latin-1 letters that Unicode Vietnamese uses; every other high Latin-1 character is a hint. */
const VN_LATIN1 = new Set('àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ');
/** Characters legacy text is made of (Latin-1 high half); anything outside this means Unicode. */
const LEGACY_CHAR = /[\u00a0-\u00ff]/;

const ONSET = '(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?';
// Vowel nuclei on bare letters (ươ → uo, uyê → uye...): a closed list keeps "ei", "ae" out.
const NUCLEUS =
  '(?:ieu|yeu|oai|oay|oeo|uoi|uou|uya|uye|uyu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ya|ye|a|e|i|o|u|y)';
const SYLLABLE_RE = new RegExp(`^${ONSET}${NUCLEUS}(?:ch|ng|nh|[cmnpt])?$`);

/** True when a word is one well-formed Vietnamese syllable ("Sở", "nghiêng"); abbreviations such as "UBND" are not. */
export function isVietnameseSyllable(word: string): boolean {
  if (!/^\p{L}+$/u.test(word)) return false;
  if (!(/^\p{Lu}?\p{Ll}*$/u.test(word) || /^\p{Lu}+$/u.test(word))) return false;
  const d = word.normalize('NFD').toLowerCase();
  if (/[\u0300-\u036f]/.test(d.replace(/[\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b]/g, ''))) return false;
  const tones = d.match(TONE_MARKS);
  if (tones && tones.length > 1) return false;
  // Shape marks only on letters that take them: â ê ô (circumflex), ă (breve), ơ ư (horn).
  if (/[^aeo]\u0302|[^a]\u0306|[^ou]\u031b/.test(d.replace(TONE_MARKS, ''))) return false;
  const base = d.replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd');
  if (!/^[a-z]+$/.test(base)) return false;
  return SYLLABLE_RE.test(base);
}

function composeVni(raw: string): string {
  let out = '';
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const prev = out.length ? out[out.length - 1] : '';
    const prevIsVowel = /[aeiouyAEIOUYơưƠƯ]/.test(prev);
    if (prevIsVowel && VNI_TONES[c]) {
      out += VNI_TONES[c];
      continue;
    }
    if (prevIsVowel && VNI_SHAPES[c]) {
      const { shape, tone } = VNI_SHAPES[c];
      const ok = shape === 'breve' ? /[aA]/.test(prev) : /[aeoAEO]/.test(prev);
      if (ok) {
        out += (shape === 'breve' ? '\u0306' : '\u0302') + (tone ?? '');
        continue;
      }
    }
    out += VNI_LETTERS[c] ?? c;
  }
  return out;
}

/** Converts legacy-font text (as Latin-1 characters) to Unicode NFC. */
export function decodeLegacy(raw: string, encoding: LegacyEncoding): string {
  switch (encoding) {
    case 'tcvn3': {
      let out = '';
      for (const c of raw) out += TCVN3[c] ?? c;
      return out.normalize('NFC');
    }
    case 'vni':
      return composeVni(raw).normalize('NFC');
    case 'cp1258': {
      let out = '';
      for (const c of raw) out += CP1258[c] ?? c;
      return out.normalize('NFC');
    }
  }
}

let inverseTcvn3: Map<string, string> | null = null;
// The VNI decoding tables read backwards: [lower mark, upper mark] per shape+tone (tone '' = shape only), per tone.
const lowerEntries = <T>(table: Record<string, T>) => Object.entries(table).filter(([k]) => k === k.toLowerCase());
const SHAPE_TO_VNI: Record<string, [string, string]> = Object.fromEntries(
  lowerEntries(VNI_SHAPES).map(([k, v]) => [`${v.shape}:${v.tone ?? ''}`, [k, k.toUpperCase()]]),
);
const TONE_TO_VNI: Record<string, [string, string]> = Object.fromEntries(
  lowerEntries(VNI_TONES).map(([k, tone]) => [tone, [k, k.toUpperCase()]]),
);
const I_TO_VNI: Record<string, string> = {
  '\u0301': '\u00ed',
  '\u0300': '\u00ec',
  '\u0309': '\u00e6',
  '\u0303': '\u00f3',
  '\u0323': '\u00f2',
};

/**
 * Unicode → legacy characters (the inverse tables). Used to build test data and to recognise
 * what an old document would look like; TCVN3 cannot hold toned capitals, they stay as they are.
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding): string {
  const nfc = text.normalize('NFC');
  let out = '';
  if (encoding === 'tcvn3') {
    if (!inverseTcvn3) inverseTcvn3 = new Map(Object.entries(TCVN3).map(([k, v]) => [v, k]));
    for (const c of nfc) out += inverseTcvn3.get(c) ?? c;
    return out;
  }
  for (const c of nfc) {
    const d = c.normalize('NFD');
    if (d.length === 1 && c.charCodeAt(0) < 0x80) {
      out += c;
      continue;
    }
    const upper = c !== c.toLowerCase();
    const base = d[0];
    const marks = d.slice(1);
    const tone = (marks.match(TONE_MARKS) ?? [''])[0];
    const shapeMark = marks.replace(TONE_MARKS, '');
    if (encoding === 'vni') {
      const lb = base.toLowerCase();
      if (c === 'đ' || c === 'Đ') out += upper ? '\u00d1' : '\u00f1';
      else if (lb === 'i') out += tone ? (upper ? I_TO_VNI[tone].toUpperCase() : I_TO_VNI[tone]) : c;
      else if (lb === 'y' && tone === '\u0323') out += upper ? '\u00ce' : '\u00ee';
      else if (shapeMark === '\u031b') {
        // ơ ư are letters of their own in VNI, followed by the tone mark
        out +=
          (lb === 'o' ? (upper ? '\u00d4' : '\u00f4') : upper ? '\u00d6' : '\u00f6') +
          (tone ? TONE_TO_VNI[tone][upper ? 1 : 0] : '');
      } else if (shapeMark === '\u0302' || shapeMark === '\u0306') {
        const key = `${shapeMark === '\u0302' ? 'circumflex' : 'breve'}:${tone}`;
        out += base + SHAPE_TO_VNI[key][upper ? 1 : 0];
      } else if (tone) out += base + TONE_TO_VNI[tone][upper ? 1 : 0];
      else out += c;
      continue;
    }
    // cp1258: precomposed where Windows-1258 has the letter, else base letter + combining byte.
    const inverse: Record<string, string> = {
      Ă: '\u00c3',
      ă: '\u00e3',
      Đ: '\u00d0',
      đ: '\u00f0',
      Ơ: '\u00d5',
      ơ: '\u00f5',
      Ư: '\u00dd',
      ư: '\u00fd',
    };
    const toneByte: Record<string, string> = {
      '\u0300': '\u00cc',
      '\u0301': '\u00ec',
      '\u0309': '\u00d2',
      '\u0303': '\u00de',
      '\u0323': '\u00f2',
    };
    const code = c.charCodeAt(0);
    if (inverse[c]) out += inverse[c];
    else if (code >= 0xa0 && code <= 0xff && !CP1258[c]) out += c;
    else {
      const shaped = (base + shapeMark).normalize('NFC');
      const head = inverse[shaped] ?? shaped;
      out += head + (tone ? toneByte[tone] : '');
    }
  }
  return out;
}

function tokens(s: string): string[] {
  // Legacy fonts put letters on Latin-1 symbols (¸ µ ® ­), so words split only on spaces and ASCII punctuation.
  return s.split(/[\s!-/:-@[-`{-~\u2013\u2014\u201c\u201d\u2018\u2019\u2026]+/).filter((w) => w.length > 0);
}

function countMatches(s: string, re: RegExp): number {
  return s.match(re)?.length ?? 0;
}

/** Words a decoding repairs (non-syllable → syllable) and breaks (→ non-syllable). */
function decodingEffect(words: string[], enc: LegacyEncoding): { repaired: number; broken: number } {
  let repaired = 0;
  let broken = 0;
  for (const w of words) {
    const d = decodeLegacy(w, enc);
    if (d === w) continue;
    const after = isVietnameseSyllable(d);
    if (after && !isVietnameseSyllable(w)) repaired++;
    else if (!after) broken++;
  }
  return { repaired, broken };
}

/**
 * Which legacy encoding a text was typed in, or null for Unicode and plain ASCII.
 * Decodes each word with accented characters and keeps the encoding that turns the most
 * non-words into Vietnamese syllables while breaking (almost) none.
 */
export function detectLegacyEncoding(raw: string): LegacyEncoding | null {
  if (!LEGACY_CHAR.test(raw)) return null;
  const text = raw.normalize('NFC');
  let odd = 0;
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code >= 0xa0 && code <= 0xff && !VN_LATIN1.has(c)) odd++;
  }
  const vn = countMatches(text, VN_SPECIFIC);
  // Real Unicode Vietnamese has ơ ư đ ạ...; legacy text has none (or far fewer than odd characters).
  if (vn > 0 && vn >= odd) return null;
  // Only words with a plain letter count: a lone "¹" footnote mark is not a word.
  const words = tokens(text).filter((w) => LEGACY_CHAR.test(w) && /[A-Za-z]/.test(w));
  const invalid = words.filter((w) => !isVietnameseSyllable(w)).length;
  if (invalid === 0) return null;
  let best: LegacyEncoding | null = null;
  let bestNet = 0;
  for (const enc of LEGACY_ENCODINGS) {
    const { repaired, broken } = decodingEffect(words, enc);
    if (repaired * 2 < invalid || broken * 4 > repaired) continue;
    if (repaired - broken > bestNet) {
      best = enc;
      bestNet = repaired - broken;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Cleaning and comparison keys
// ---------------------------------------------------------------------------------------------

/** The text as it should be stored: HTML stripped, legacy encodings converted, NFC, whitespace collapsed. */
export function cleanText(raw: string): string {
  if (!raw) return '';
  let s = stripHtml(raw).normalize('NFC');
  const enc = detectLegacyEncoding(s);
  if (enc) s = decodeLegacy(s, enc).normalize('NFC');
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/\u200b|\u200c|\u200d|\ufeff|\u00ad/g, '')
    .replace(/[ \t\u00a0\u2000-\u200a\u202f\u3000]+/g, ' ')
    .replace(/ *\n[ \n]*/g, '\n')
    .trim();
}

/** Typographic punctuation that clean Unicode text has and legacy encodings do not make. */
const NEUTRAL = '\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026';

/**
 * What isCleanText makes of each UTF-16 unit below U+2030 (the Vietnamese letters and the typographic
 * punctuation): 1 for a letter only Unicode Vietnamese has (ă đ ơ ư ĩ ũ, U+1EA0–U+1EF9), 2 for a Latin-1 letter it
 * shares with other text (VN_LATIN1) or neutral punctuation, 0 for anything else (a stray symbol: not clean). A
 * table read instead of two Set lookups of a one-character string for every accented letter.
 */
const CLEAN_UNIT = (() => {
  const t = new Uint8Array(0x2030);
  for (const c of VN_LATIN1) t[c.charCodeAt(0)] = 2;
  for (const c of NEUTRAL) t[c.charCodeAt(0)] = 2;
  for (const c of 'ăĂđĐơƠưƯĩĨũŨ') t[c.charCodeAt(0)] = 1;
  for (let c = 0x1ea0; c <= 0x1ef9; c++) t[c] = 1;
  return t;
})();

/**
 * True when cleanText would return the (trimmed) text unchanged: no HTML or entities, single
 * spaces, no combining marks, and Unicode Vietnamese (a precomposed ă/đ/ơ/ư/ạ… with no stray Latin-1
 * symbol — the signature legacy encodings never have) or plain ASCII.
 */
export function isCleanText(s: string): boolean {
  let vn = 0;
  let high = 0;
  let prevSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (c === 60 || c === 38 || c < 32) return false; // "<", "&", tabs, line breaks
      const space = c === 32;
      if (space && prevSpace) return false;
      prevSpace = space;
      continue;
    }
    prevSpace = false;
    high++;
    const kind = c < 0x2030 ? CLEAN_UNIT[c] : 0;
    if (kind === 1) vn++;
    else if (kind === 0) return false;
  }
  return high === 0 || vn > 0;
}

const foldCache = new Map<string, string>();

/** Lower case, canonical decomposition, combining marks (U+0300–U+036F) dropped, đ → d. */
const foldWhole = (t: string): string =>
  t
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd');

/**
 * foldWhole of each UTF-16 unit above ASCII, worked out once per unit, as one byte: the key byte (a–z, 0–9) when it
 * folds to one letter or digit (every Vietnamese letter does), UNIT_GAP when it folds to other characters only,
 * UNIT_NONE when to nothing (a combining mark), UNIT_PIECE when to a longer piece with letters (kept in
 * foldedUnit), 0 when not worked out yet. A typed array read per accented letter rather than a sparse array of
 * strings (looked up as a dictionary) and a loop over the piece.
 */
const unitFold = new Uint8Array(0x10000);
const UNIT_NONE = 1;
const UNIT_GAP = 2;
const UNIT_PIECE = 3;
const foldedUnit = new Map<number, string>();

function foldUnitClass(code: number): number {
  const piece = foldWhole(String.fromCharCode(code));
  let alnum = 0;
  for (let k = 0; k < piece.length; k++) {
    const c = piece.charCodeAt(k);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) alnum++;
  }
  let cls: number;
  if (piece.length === 0) cls = UNIT_NONE;
  else if (alnum === 0) cls = UNIT_GAP;
  else if (piece.length === 1) cls = piece.charCodeAt(0);
  else {
    foldedUnit.set(code, piece);
    cls = UNIT_PIECE;
  }
  return (unitFold[code] = cls);
}

/** Key bytes of foldUnits, reused from one text to the next (grown when a text needs more). */
let keyBytes = new Uint8Array(256);

/**
 * foldWhole, unit by unit, and everything but a–z and 0–9 folded to single spaces, trimmed: the same key as the
 * whole-text folding (casing and decomposition only differ by context in what becomes spaces: Greek final sigma,
 * the order of combining marks), at a fraction of the cost (three passes over the whole text and an ICU
 * normalisation were most of the folding time of a long task text). One pass writing the key's ASCII bytes into a
 * reused buffer: a string grown a unit at a time, then a regular expression and a trim over it, left a few
 * kilobytes of garbage per task text. Returns the key's length, its bytes at the start of keyBytes; -1 for text with
 * surrogate pairs, which goes the whole way.
 */
function foldUnits(t: string): number {
  let buf = keyBytes;
  let n = 0;
  let gap = false;
  for (let i = 0; i < t.length; i++) {
    let code = t.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 65 && code <= 90) code += 32;
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
        if (n + 2 > buf.length) buf = growKeyBytes(n);
        if (gap && n > 0) buf[n++] = 32;
        gap = false;
        buf[n++] = code;
      } else gap = true;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) return -1;
    let cls = unitFold[code];
    if (cls === 0) cls = foldUnitClass(code);
    if (cls > UNIT_PIECE) {
      if (n + 2 > buf.length) buf = growKeyBytes(n);
      if (gap && n > 0) buf[n++] = 32;
      gap = false;
      buf[n++] = cls;
      continue;
    }
    if (cls === UNIT_GAP) gap = true;
    if (cls !== UNIT_PIECE) continue;
    const piece = foldedUnit.get(code)!;
    for (let k = 0; k < piece.length; k++) {
      const c = piece.charCodeAt(k);
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (n + 2 > buf.length) buf = growKeyBytes(n);
        if (gap && n > 0) buf[n++] = 32;
        gap = false;
        buf[n++] = c;
      } else gap = true;
    }
  }
  return n;
}

/** The first n bytes of a byte array (ASCII) as a string. */
function bytesToString(buf: Uint8Array, n: number): string {
  let key = '';
  // In slices: a call takes a bounded number of arguments.
  for (let at = 0; at < n; at += 8192)
    key += String.fromCharCode.apply(null, buf.subarray(at, Math.min(n, at + 8192)) as unknown as number[]);
  return key;
}

function growKeyBytes(used: number, least = 0): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(Math.max(keyBytes.length * 2, least));
  bigger.set(keyBytes.subarray(0, used));
  return (keyBytes = bigger);
}

// An abbreviation is all capitals or vowel-less lower case ("TT", "tt", "đt"); runs joined by "&" or "-" glue.
const ABBR = '(?:\\p{Lu}{1,8}|[bcdfghjklmnpqrstvwxzđ]{1,8})';
export const ABBREVIATION_RUN = new RegExp(
  `(^|[^\\p{L}\\d])${ABBR}(?:\\s*&\\s*${ABBR}|-${ABBR})+(?![\\p{L}\\d])`,
  'gu',
);

/**
 * Comparison key: lower case, no diacritics (đ → d), punctuation folded to single spaces.
 * Abbreviations joined by "&" or "-" are glued ("TT&TT", "TT & TT", "TTTT" → "tttt"; "LĐ-TB&XH" → "ldtbxh");
 * any other "&" reads as "và".
 */
export function foldKey(s: string): string {
  const hit = foldCache.get(s);
  if (hit !== undefined) return hit;
  return remember(foldCache, s, foldKeyUncached(s), 50_000);
}

/**
 * Whether a "-" stands between two characters that may be letters (ASCII letters, or anything from U+00C0 on):
 * ABBREVIATION_RUN joins abbreviations by a "-" with a letter on both sides, so a text without one (a dash between
 * spaces or digits, "2026 - 2030") has no run to glue through it.
 */
function hasLetterDash(t: string): boolean {
  for (let i = t.indexOf('-'); i >= 0; i = t.indexOf('-', i + 1))
    if (i > 0 && i < t.length - 1 && mayBeLetter(t.charCodeAt(i - 1)) && mayBeLetter(t.charCodeAt(i + 1))) return true;
  return false;
}

function mayBeLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;
}

/**
 * foldKey without its cache, for a caller that keeps the keys itself: consolidation keeps each task text's key
 * between builds, and 170,000 task texts through this cache would only clear it again and again.
 */
export function foldKeyUncached(s: string): string {
  const t = foldable(s);
  const n = foldUnits(t);
  return n >= 0 ? bytesToString(keyBytes, n) : foldWholeKey(t);
}

/**
 * foldKeyUncached(s) as bytes (a–z, 0–9 and single spaces): returns the key's length, its bytes at the start of
 * foldedKeyBytes(), valid until the next call. For a caller that reads the key once (consolidation tokenizes each
 * task text's key and keeps the string only for the few tasks a group or decision names): making the string took a
 * third of foldUnits' samples in a CPU profile, and each one was kept.
 */
export function foldKeyBytes(s: string): number {
  const t = foldable(s);
  const n = foldUnits(t);
  if (n >= 0) return n;
  const key = foldWholeKey(t);
  if (key.length > keyBytes.length) growKeyBytes(0, key.length);
  for (let k = 0; k < key.length; k++) keyBytes[k] = key.charCodeAt(k);
  return key.length;
}

/** The buffer foldKeyBytes wrote its key to (replaced when a key needs more room). */
export function foldedKeyBytes(): Uint8Array {
  return keyBytes;
}

function foldWholeKey(t: string): string {
  return foldWhole(t)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The text foldUnits folds: cleaned unless clean already, abbreviation runs glued, "&" read as "và". */
function foldable(s: string): string {
  // Most texts (every cell the reader has cleaned) are clean already: one scan instead of cleanText's passes.
  const trimmed = s.trim();
  let t = isCleanText(trimmed) ? trimmed : cleanText(s);
  // A run of abbreviations is joined by "&" or "-" (a "-" between two letters): without one there is none to glue
  // (the regular expression is a fifth of the folding time of a long text).
  if (t.includes('&')) {
    t = replaceGuarded(t, ABBREVIATION_RUN, glueRun);
    t = t.replace(/&/g, ' và ');
  } else if (hasLetterDash(t)) t = glueDashRuns(t);
  return t;
}

/** ABBREVIATION_RUN's replacement: the run without its separators. */
function glueRun(run: string): string {
  return run.replace(/[\s&-]+/g, '');
}

/** A whole run of abbreviations joined by "-" (ABBREVIATION_RUN without "&" and the characters around it). */
const DASH_RUN = new RegExp(`^${ABBR}(?:-${ABBR})+$`, 'u');

/**
 * What ABBREVIATION_RUN makes of a text without "&", pattern run on the pieces that hold a "-" only. Without "&" a
 * run is letters and "-" only, and the pattern looks at one character on each side of it, so it is found inside
 * a piece of letters, "-" and units above ASCII (anything that may be a letter) between ASCII characters that are
 * neither (digits, spaces, punctuation), with those two characters around it: the same runs, glued the same way.
 * A piece that is a whole run between two characters that are not digits (all of "KH-UBND" in "số 12/KH-UBND
 * ngày") is that run without its dashes; any other piece goes through the pattern with its two neighbours. The
 * pattern over the whole text was most of the time of folding a task text with such a dash (4,836 of the 11,961
 * texts of the 100 × 200 bench files).
 */
function glueDashRuns(t: string): string {
  let out = '';
  let copied = 0;
  for (let dash = t.indexOf('-'); dash >= 0; dash = t.indexOf('-', copied)) {
    let from = dash;
    while (from > 0 && inRunPiece(t.charCodeAt(from - 1))) from--;
    let to = dash + 1;
    while (to < t.length && inRunPiece(t.charCodeAt(to))) to++;
    out += t.slice(copied, from) + gluePiece(t, from, to);
    copied = to;
  }
  return out + t.slice(copied);
}

/** ASCII letters, "-" and any unit above ASCII: what a piece of glueDashRuns is made of. */
function inRunPiece(c: number): boolean {
  return c >= 0x80 || c === 45 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigitAt(t: string, i: number): boolean {
  if (i < 0 || i >= t.length) return false;
  const c = t.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** ABBREVIATION_RUN's replacement in the piece t[from … to) of glueDashRuns. */
function gluePiece(t: string, from: number, to: number): string {
  const piece = t.slice(from, to);
  if (!isDigitAt(t, from - 1) && !isDigitAt(t, to) && DASH_RUN.test(piece)) return piece.replace(/-/g, '');
  const a = from > 0 ? from - 1 : from;
  const b = to < t.length ? to + 1 : to;
  const glued = replaceGuarded(t.slice(a, b), ABBREVIATION_RUN, glueRun);
  return glued.slice(from - a, glued.length - (b - to));
}
