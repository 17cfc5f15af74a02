import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRulesDoc } from '../../scripts/rules-doc.js';
import { RULE_CODES } from '../../engine/rules/codes.js';

describe('docs/RULES.md', () => {
  it('is generated from the current catalogue (run `npx tsx scripts/rules-doc.ts` after changing rules)', () => {
    const onDisk = readFileSync(new URL('../../docs/RULES.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderRulesDoc());
  });
  it('lists every rule code', () => {
    const doc = renderRulesDoc();
    for (const code of RULE_CODES) expect(doc).toContain(`\`${code}\``);
  });
});
