// "Not preceded by" without lookbehind. The task pane must parse on EdgeHTML (Excel 2019 on Windows), whose
// JavaScript is ES2017: `(?<!…)` and `(?<=…)` are syntax errors there, and no transpiler can lower them. So a
// pattern states the condition as a leading capture `(^|[^…])` of the one character before the match (or the
// start of the text), and these helpers hand back the matches as the lookbehind would have given them: the
// index after that character, without it in the match or the groups.
//
// Equivalent to the lookbehind only when every match ends in a character the guard refuses (a word ending in a
// letter before `[^\p{L}]`, a number ending in a digit before `[^\d]`): then the character a match needs before
// it can never have been consumed by the match just before it. Each pattern here has that property.

/** A match found by matchAll, which always has its index. */
export type IndexedMatch = RegExpMatchArray & { index: number };

/** `s.matchAll(re)` for a global pattern whose first group is the guard. */
export function* matchAllGuarded(s: string, re: RegExp): IterableIterator<IndexedMatch> {
  for (const m of s.matchAll(re)) {
    const guard = m[1] ?? '';
    const out = [m[0].slice(guard.length), ...m.slice(2)] as unknown as IndexedMatch;
    out.index = m.index! + guard.length;
    out.input = s;
    yield out;
  }
}

/** `s.replace(re, f)` for a global pattern whose first group is the guard: the guard is kept, `f` sees the rest. */
export function replaceGuarded(s: string, re: RegExp, f: (match: string, ...groups: string[]) => string): string {
  return s.replace(re, (whole: string, guard: string | undefined, ...rest: unknown[]) => {
    const g = guard ?? '';
    // rest = the other groups, then the offset and the whole string.
    const groups = rest.slice(0, -2) as string[];
    return g + f(whole.slice(g.length), ...groups);
  });
}
