// The one place that neutralises formula injection in files we write from user data.
// A cell that starts with = + - @ (or a tab / carriage return) is run as a formula by Excel,
// LibreOffice and Google Sheets when opened from CSV or re-entered by hand ("=HYPERLINK(...)").

const FORMULA_START = /^[=+\-@\t\r]/;

/** True when a spreadsheet would read this text as a formula. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * Escapes user text for a spreadsheet cell.
 * - 'csv': every risky start gets a leading apostrophe (OWASP); CSV has no cell types to rely on.
 * - 'xlsx': the writer stores text as a string cell in Text format (@), which Excel never evaluates,
 *   so "- bullet" lines, common in annexes, stay as written; only = + @ (never how Vietnamese prose
 *   starts, and evaluated by some hosts after an edit even in Text format) get the apostrophe.
 */
export function escapeCellText(text: string, target: 'csv' | 'xlsx' = 'csv'): string {
  if (target === 'xlsx') return /^[=+@]/.test(text) ? `'${text}` : text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Undoes escapeCellText on read: an apostrophe before a formula start is the escape our writers (and
 * spreadsheet users, by the same convention) put there, not part of the officer's text. Only that exact form
 * is undone, so an apostrophe anywhere else stays.
 */
export function unescapeCellText(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
