// Regular expressions for EdgeHTML (Office 2019 on Windows, documents under Windows Information Protection): Edge 18
// knows the `u` flag but not Unicode property escapes (\p{L}), named groups or the `s` flag (ES2018). esbuild lowers
// syntax to ES2017 but turns such regex literals into `new RegExp("…")` calls, which then throw when the pane starts.
// This pass rewrites the built bundle with regexpu-core (Babel's regex transpiler): every pattern that is known at
// build time — regex literals, `new RegExp("…")`, and the literal parts of `new RegExp(`…${x}…`)` — gets its \p{…}
// as explicit ranges, its named groups numbered, and `s` as [\s\S]. Lookbehind cannot be expressed in ES2017 at all:
// those patterns are reported (docs/ADDIN.md lists them as the remaining gap), never silently kept.
import { parse, type Node } from 'acorn';
import MagicString from 'magic-string';
import rewritePattern from 'regexpu-core';

const OPTIONS = { unicodePropertyEscapes: 'transform', namedGroups: 'transform', dotAllFlag: 'transform' } as const;

export interface DownlevelResult {
  code: string;
  /** Patterns rewritten. */
  rewritten: number;
  /** Patterns (or template parts) still using lookbehind, which ES2017 cannot express. */
  lookbehind: string[];
}

const ES2018 = /\\[pP]\{|\(\?<[A-Za-z_$]|\\k<|\(\?<[=!]/;
const hasLookbehind = (p: string) => /\(\?<[=!]/.test(p);

/** A pattern and flags rewritten for ES2017 (the `s` flag dropped: regexpu turns `.` into a class instead). */
export function downlevelPattern(pattern: string, flags: string): { pattern: string; flags: string } {
  if (!ES2018.test(pattern) && !flags.includes('s')) return { pattern, flags };
  // Named groups are numbered by regexpu only when it knows the names are not used by the replacement strings;
  // the engine does not use named groups, so a name left over is a bug this pass should show, not hide.
  return { pattern: rewritePattern(pattern, flags, OPTIONS), flags: flags.replace('s', '') };
}

/**
 * One literal part of a template pattern: \p{…} escapes outside a class become a class; inside one, its ranges.
 * A class that spans an interpolation is out of reach here and left for the scan in the test to report.
 */
export function downlevelFragment(text: string, flags: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      const m = /^\\([pP])\{[^}]*\}/.exec(text.slice(i));
      if (m) {
        const cls = rewritePattern(`[${m[0]}]`, flags.includes('u') ? flags : flags + 'u', OPTIONS);
        out += inClass ? cls.slice(1, -1) : cls;
        i += m[0].length - 1;
        continue;
      }
      out += text.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '[' && !inClass) inClass = true;
    else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  return out;
}

/** An ESTree node as acorn gives it: the fields this pass reads are checked where it reads them. */
interface AnyNode extends Node {
  regex?: { pattern: string; flags: string };
  value?: unknown;
  callee?: AnyNode & { name?: string };
  arguments?: AnyNode[];
  quasis?: (AnyNode & { value: { cooked: string } })[];
  [key: string]: unknown;
}

function walk(node: AnyNode, visit: (n: AnyNode) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    const v = node[key] as AnyNode | AnyNode[] | null;
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === 'string') walk(c, visit);
    } else if (v && typeof v === 'object' && typeof v.type === 'string') {
      walk(v, visit);
    }
  }
}

/** Rewrites every build-time-known regular expression of a bundle for ES2017 (see the file comment). */
export function downlevelRegexes(code: string): DownlevelResult {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as AnyNode;
  const s = new MagicString(code);
  let rewritten = 0;
  const lookbehind: string[] = [];
  const note = (p: string) => {
    if (hasLookbehind(p)) lookbehind.push(p.length > 120 ? `${p.slice(0, 117)}...` : p);
  };
  walk(ast, (n) => {
    if (n.type === 'Literal' && n.regex) {
      const { pattern, flags } = n.regex;
      const out = downlevelPattern(pattern, flags);
      note(out.pattern);
      if (out.pattern !== pattern || out.flags !== flags) {
        s.overwrite(n.start, n.end, `/${out.pattern}/${out.flags}`);
        rewritten++;
      }
      return;
    }
    if (
      (n.type === 'NewExpression' || n.type === 'CallExpression') &&
      n.callee?.type === 'Identifier' &&
      n.callee.name === 'RegExp'
    ) {
      const [source, flagArg] = n.arguments ?? [];
      const flags = flagArg?.type === 'Literal' && typeof flagArg.value === 'string' ? flagArg.value : '';
      if (source?.type === 'Literal' && typeof source.value === 'string') {
        const out = downlevelPattern(source.value, flags);
        note(out.pattern);
        if (out.pattern !== source.value) {
          s.overwrite(source.start, source.end, JSON.stringify(out.pattern));
          rewritten++;
        }
        if (out.flags !== flags && flagArg) s.overwrite(flagArg.start, flagArg.end, JSON.stringify(out.flags));
      } else if (source?.type === 'TemplateLiteral') {
        for (const q of source.quasis ?? []) {
          const cooked = q.value.cooked;
          const next = downlevelFragment(cooked, flags);
          note(cooked);
          if (next !== cooked) {
            // Back to template-literal source: backslashes, backticks and `${` escaped again.
            s.overwrite(q.start, q.end, next.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${'));
            rewritten++;
          }
        }
      }
    }
  });
  return { code: s.toString(), rewritten, lookbehind };
}
