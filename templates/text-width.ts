// Printed width of text in Times New Roman, from the advance widths of the standard Times-Roman and Times-Bold
// metrics (Adobe AFM, thousandths of an em; Times New Roman shares them to within a few per cent). Vietnamese
// letters are measured by their base letter: the tone and vowel marks sit above or below it and add no width,
// except the horns of ơ/ư, which add a little. Used to size the Word report's columns by their content and to
// count the lines a cell wraps to.

const REGULAR: Record<string, number> = {
  ' ': 250,
  '!': 333,
  '"': 408,
  '#': 500,
  $: 500,
  '%': 833,
  '&': 778,
  "'": 180,
  '(': 333,
  ')': 333,
  '*': 500,
  '+': 564,
  ',': 250,
  '-': 333,
  '.': 250,
  '/': 278,
  ':': 278,
  ';': 278,
  '<': 564,
  '=': 564,
  '>': 564,
  '?': 444,
  '@': 921,
  '[': 333,
  '\\': 278,
  ']': 333,
  _: 500,
  '…': 1000,
  '–': 500,
  '—': 1000,
  '“': 444,
  '”': 444,
  '‘': 333,
  '’': 333,
  A: 722,
  B: 667,
  C: 667,
  D: 722,
  E: 611,
  F: 556,
  G: 722,
  H: 722,
  I: 333,
  J: 389,
  K: 722,
  L: 611,
  M: 889,
  N: 722,
  O: 722,
  P: 556,
  Q: 722,
  R: 667,
  S: 556,
  T: 611,
  U: 722,
  V: 722,
  W: 944,
  X: 722,
  Y: 722,
  Z: 611,
  Đ: 722,
  a: 444,
  b: 500,
  c: 444,
  d: 500,
  e: 444,
  f: 333,
  g: 500,
  h: 500,
  i: 278,
  j: 278,
  k: 500,
  l: 278,
  m: 778,
  n: 500,
  o: 500,
  p: 500,
  q: 500,
  r: 333,
  s: 389,
  t: 278,
  u: 500,
  v: 500,
  w: 722,
  x: 500,
  y: 500,
  z: 444,
  đ: 500,
};
/** Times-Bold runs about 6 % wider than Times-Roman over Vietnamese text. */
const BOLD_FACTOR = 1.06;
/** The horn of ơ/ư/Ơ/Ư. */
const HORN = 60;

const cache = new Map<string, number>();

/** Advance width of one character in thousandths of an em. */
function charWidth(ch: string): number {
  const hit = cache.get(ch);
  if (hit !== undefined) return hit;
  let w = REGULAR[ch];
  if (w === undefined) {
    const base = ch.normalize('NFD');
    const letter = base[0];
    w = REGULAR[letter] ?? (/\d/.test(letter) ? 500 : 500);
    if (/\u031B/.test(base)) w += HORN;
  }
  cache.set(ch, w);
  return w;
}

/** Width of `text` in points at `fontPt`. */
export function textWidthPt(text: string, fontPt: number, bold = false): number {
  let units = 0;
  for (const ch of text) units += charWidth(ch);
  return (units / 1000) * fontPt * (bold ? BOLD_FACTOR : 1);
}

/**
 * Lines one paragraph takes, given its words' widths, the line's width and a space's (same unit): words fill a
 * line greedily, a word longer than the line breaks inside, an empty paragraph is still one line.
 */
export function paragraphLines(words: ArrayLike<number>, width: number, space: number): number {
  let used = 0;
  let n = 1;
  for (let i = 0; i < words.length; i++) {
    let x = words[i];
    if (used > 0 && used + space + x > width) {
      n++;
      used = 0;
    }
    while (x > width) {
      n++;
      x -= width;
    }
    used += (used > 0 ? space : 0) + x;
  }
  return n;
}

/**
 * Lines that `text` wraps to in a cell whose text area is `widthPt` wide, breaking at spaces as Word and LibreOffice
 * do (and inside a word longer than the line). Each "\n" starts a new line.
 */
export function wrappedLinesPt(text: string, widthPt: number, fontPt: number, bold = false): number {
  const space = textWidthPt(' ', fontPt, bold);
  let lines = 0;
  for (const para of text.split('\n')) {
    const words = para.split(/\s+/).filter(Boolean);
    lines += paragraphLines(
      words.map((w) => textWidthPt(w, fontPt, bold)),
      widthPt,
      space,
    );
  }
  return Math.max(1, lines);
}

/** The widest word of `text` in points: a column narrower than this breaks a word in two. */
export function widestWordPt(text: string, fontPt: number, bold = false): number {
  let max = 0;
  for (const word of text.split(/\s+/)) if (word) max = Math.max(max, textWidthPt(word, fontPt, bold));
  return max;
}
