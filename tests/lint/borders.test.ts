// The borders between layers are checked by ESLint (eslint.config.js): these probes prove the rules bite.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function rulesHit(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint borders', () => {
  it('refuses a Node import in the engine', async () => {
    const hits = await rulesHit(
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      'engine/probe-node.ts',
    );
    expect(hits.some((h) => h.startsWith('no-restricted-imports') && h.includes('pure'))).toBe(true);
    const bare = await rulesHit("import { join } from 'path';\nexport const x = join;\n", 'engine/read/probe-path.ts');
    expect(bare.some((h) => h.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('refuses io, server and client code and host globals in the engine', async () => {
    for (const spec of ['../io/read.js', '../server/app.js', '../addin/api.js', '../sheets/src/grid.js']) {
      const hits = await rulesHit(`import * as m from '${spec}';\nexport const x = m;\n`, 'engine/probe-layer.ts');
      expect(
        hits.some((h) => h.startsWith('no-restricted-imports')),
        spec,
      ).toBe(true);
    }
    const dom = await rulesHit('export const w = document.title;\n', 'engine/probe-dom.ts');
    expect(dom.some((h) => h.startsWith('no-restricted-globals'))).toBe(true);
  });

  it('keeps clients away from server code and everyone outside the engine on its public entry', async () => {
    const client = await rulesHit(
      "import type { AuthUser } from '../server/auth/index.js';\nexport type X = AuthUser;\n",
      'addin/probe.ts',
    );
    expect(client.some((h) => h.startsWith('no-restricted-imports') && h.includes('contracts'))).toBe(true);
    const deep = await rulesHit("import { a1 } from '../engine/a1.js';\nexport const x = a1;\n", 'io/probe.ts');
    expect(deep.some((h) => h.startsWith('no-restricted-imports') && h.includes('engine/index.js'))).toBe(true);
    const ok = await rulesHit("import { a1 } from '../engine/index.js';\nexport const x = a1;\n", 'io/probe.ts');
    expect(ok).toEqual([]);
  });

  it('refuses import() on a computed string, accepts a literal path', async () => {
    const computed = await rulesHit("const spec = './x.js';\nexport const m = () => import(spec);\n", 'cli/probe.ts');
    expect(computed.some((h) => h.startsWith('no-restricted-syntax'))).toBe(true);
    const literal = await rulesHit("export const m = () => import('./template.js');\n", 'cli/probe.ts');
    expect(literal).toEqual([]);
  });
});
