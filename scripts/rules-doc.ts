// Renders docs/RULES.md from the rule catalogue and the message tables, so the doc cannot drift:
// `npx tsx scripts/rules-doc.ts` rewrites it; tests/docs/rules-doc.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CATALOGUE, enMessages as en, viMessages as vi } from '../engine/index.js';

const SEVERITY_VI = { error: 'Lỗi', warning: 'Cảnh báo', info: 'Thông tin' } as const;

export function renderRulesDoc(): string {
  const lines = [
    '# Rule catalogue',
    '',
    'Generated from `engine/rules/catalogue.ts` and `engine/messages/{vi,en}.ts` by `npx tsx scripts/rules-doc.ts`.',
    'Codes are stable: wording changes in the message tables, never in the code.',
    '',
    '| code | severity | family | scope | fix | Vietnamese title | English title |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of CATALOGUE) {
    lines.push(
      `| \`${r.code}\` | ${r.severity} (${SEVERITY_VI[r.severity]}) | ${r.family} | ${r.scope} | ${r.fixable ? 'yes' : ''} | ${vi[r.code].title} | ${en[r.code].title} |`,
    );
  }
  lines.push('', '## Messages', '');
  for (const r of CATALOGUE) {
    lines.push(`### \`${r.code}\``, '', `- vi: ${vi[r.code].message}`);
    if (vi[r.code].hint) lines.push(`  - gợi ý: ${vi[r.code].hint}`);
    lines.push(`- en: ${en[r.code].message}`, '');
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/RULES.md', import.meta.url), renderRulesDoc());
  console.log('docs/RULES.md written');
}
