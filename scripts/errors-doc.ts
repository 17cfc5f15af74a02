// Renders docs/ERRORS.md from the one error catalogue (contracts/errors.ts), so the doc cannot drift:
// `npx tsx scripts/errors-doc.ts` rewrites it; tests/contracts/errors.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_SECTIONS, type ErrorText } from '../contracts/errors.js';

const TITLES: Record<keyof typeof ERROR_SECTIONS, string> = {
  input: 'Input errors (a file that cannot be read; HTTP 413 too big, 415 not a format we read, 422 otherwise)',
  api: 'API errors',
  usage: 'CLI usage errors (exit code 2)',
};

const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderErrorsDoc(): string {
  const lines = [
    '# Error catalogue',
    '',
    'Generated from `contracts/errors.ts` by `npx tsx scripts/errors-doc.ts`. Every error a user can meet outside',
    "the engine's diagnostics (see RULES.md) has one stable code here, with its Vietnamese and English text.",
    'The API answers `{ error: { code, message, messageEn, hint?, where? } }`; the CLI prints both lines.',
    '`{name}` marks a value filled in when the error happens.',
  ];
  for (const [section, table] of Object.entries(ERROR_SECTIONS) as [
    keyof typeof ERROR_SECTIONS,
    Record<string, ErrorText>,
  ][]) {
    lines.push(
      '',
      `## ${TITLES[section]}`,
      '',
      '| code | HTTP | Vietnamese | English | what to do |',
      '|---|---|---|---|---|',
    );
    for (const [code, t] of Object.entries(table)) {
      lines.push(`| \`${code}\` | ${t.status ?? ''} | ${cell(t.vi)} | ${cell(t.en)} | ${cell(t.hint)} |`);
    }
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/ERRORS.md', import.meta.url), renderErrorsDoc());
  console.log('docs/ERRORS.md written');
}
