// Arrays of the data model in one elements kind. V8 (Node 20) builds the result of `xs.map(f)` packed while the
// calling function runs in the interpreter and holey once TurboFan has optimised it, so the arrays a function makes
// change kind (a hidden class of their own) at a moment that depends on when it was optimised: the code that reads
// them, optimised before, is deoptimised and compiled again, in every thread. Pushing into a literal keeps them packed.

/** `xs.map(f)` for an array without holes, as a packed array whichever tier runs the caller. */
export function mapPacked<T, U>(xs: readonly T[], f: (x: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i], i));
  return out;
}
