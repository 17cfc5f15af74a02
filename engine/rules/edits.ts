// Building fixes: cell edits that carry the cell's current text, so stale fixes can be refused.
import type { CellEdit, Fix } from '../model.js';
import { a1 } from '../a1.js';
import type { RuleCode } from './codes.js';
import { fixLabel, type Locale } from './diagnostic.js';

export function edit(sheet: string, row: number, column: number, from: string, to: string): CellEdit {
  return { sheet, row, column, cell: a1(row, column), from, to };
}

/** A fix with its label from the locale table; undefined when it would change nothing. */
export function makeFix(
  code: RuleCode,
  edits: CellEdit[],
  params: Record<string, unknown>,
  locale: Locale,
): Fix | undefined {
  const real = edits.filter((e) => e.from !== e.to);
  if (real.length === 0) return undefined;
  return { label: fixLabel(code, params, locale), edits: real };
}

function indexesOf(text: string, piece: string, from = 0): number[] {
  const out: number[] = [];
  if (!piece) return out;
  let i = text.indexOf(piece, from);
  while (i >= 0) {
    out.push(i);
    i = text.indexOf(piece, i + piece.length);
  }
  return out;
}

const WORD = /[\p{L}\p{N}]/u;

/** True when text[i..i+len) is not glued to letters on either side (so "Sở Y tế" is not found inside "Sở Y tế dự phòng"). */
function standsAlone(text: string, i: number, len: number): boolean {
  const before = i > 0 ? text[i - 1] : '';
  const after = text[i + len] ?? '';
  return !(before && WORD.test(before)) && !(after && WORD.test(after));
}

/** Replaces the one free-standing occurrence of `piece`; null when it is absent or ambiguous. */
export function replaceOnce(text: string, piece: string, replacement: string, from = 0): string | null {
  const hits = indexesOf(text, piece, from).filter((i) => standsAlone(text, i, piece.length));
  if (hits.length !== 1) return null;
  const i = hits[0];
  return text.slice(0, i) + replacement + text.slice(i + piece.length);
}

/**
 * Removes one item from a written list ("Sở Nội vụ, Sở Tư pháp và Sở Tài chính") together with the separator
 * next to it; null when the item is absent or ambiguous.
 */
/**
 * The separator that starts the text after a list item. A "và" there always follows a space or the start, so it
 * cannot be the end of a word: no "not preceded by a letter" condition is needed.
 */
export const SEPARATOR_AFTER = /^\s*(?:[,;]|và(?!\p{L}))\s*/u;

/**
 * The separator (", ", "; ", " và ") that ends `head`, if any. A "và" counts only as a word of its own: the
 * character before it is not a letter (written without lookbehind for ES2017 hosts, engine/normalize/guard.ts).
 */
export function separatorBefore(head: string): RegExpExecArray | null {
  const m = /(\s*)(?:[,;]|và)\s*$/u.exec(head);
  if (!m || m[1] || m.index === 0 || !m[0].includes('và')) return m;
  return /\p{L}/u.test(head.charAt(m.index - 1)) ? null : m;
}

export function removeFromList(text: string, piece: string, from = 0): string | null {
  const hits = indexesOf(text, piece, from).filter((i) => standsAlone(text, i, piece.length));
  if (hits.length !== 1) return null;
  const i = hits[0];
  let start = i;
  let end = i + piece.length;
  const after = SEPARATOR_AFTER.exec(text.slice(end));
  const before = separatorBefore(text.slice(0, start));
  // "A, B và C" without B reads "A và C": drop the comma before rather than the "và" after.
  if (after && !(before && /và/u.test(after[0]) && !/và/u.test(before[0]))) {
    end += after[0].length;
  } else if (before) {
    start -= before[0].length;
  }
  const out = (
    text.slice(0, start) +
    (start > 0 && end < text.length && !/\s$/.test(text.slice(0, start)) ? ' ' : '') +
    text.slice(end)
  )
    .replace(/\s{2,}/g, ' ')
    .trim()
    .replace(/^[,;]\s*/, '')
    .replace(/\s*[,;]$/, '');
  return out;
}
