// `annex` command line: parse | validate | template | schema | --help.
// Exit codes: 0 clean, 1 errors found, 2 bad input or usage. Failures print one Vietnamese and one
// English line on stderr, never a stack trace (set ANNEX_DEBUG=1 to see one).
import { parseArgs } from 'node:util';
import { InputError } from '../io/errors.js';
import type { Output, RunOptions } from './run.js';
import { USAGE, type Lang } from './texts.js';
import { fillError } from '../contracts/errors.js';
import { UsageError } from './usage.js';

const OPTIONS = {
  json: { type: 'boolean' },
  fix: { type: 'string' },
  mark: { type: 'string' },
  out: { type: 'string', short: 'o' },
  province: { type: 'string' },
  year: { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function runOptions(values: Record<string, string | boolean | undefined>): RunOptions {
  const lang = (values.lang as string | undefined) ?? 'vi';
  if (lang !== 'vi' && lang !== 'en') throw new UsageError('usage.bad-lang', { value: lang });
  const opts: RunOptions = { json: Boolean(values.json), lang };
  if (values.year !== undefined) {
    const y = String(values.year);
    if (!/^\d{4}$/.test(y) || Number(y) < 2000 || Number(y) > 2100)
      throw new UsageError('usage.bad-year', { value: y });
    opts.year = Number(y);
  }
  if (values.province) opts.province = String(values.province);
  if (values.fix !== undefined) {
    const out = String(values.fix);
    if (!/\.xlsx$/i.test(out)) throw new UsageError('usage.fix-not-xlsx', { value: out });
    opts.fix = out;
  }
  if (values.mark !== undefined) {
    const out = String(values.mark);
    if (!/\.xlsx$/i.test(out)) throw new UsageError('usage.mark-not-xlsx', { value: out });
    opts.mark = out;
  }
  return opts;
}

async function runTemplate(args: string[], io: Output): Promise<number> {
  // Loaded only for this command: it writes xlsx with exceljs, which the other commands do not need.
  const { runTemplateCommand } = await import('./template.js');
  return runTemplateCommand(args, io);
}

export async function main(argv: string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  const langArg = argv.find((a, i) => argv[i - 1] === '--lang' || a.startsWith('--lang='));
  const lang: Lang = langArg?.replace('--lang=', '') === 'en' ? 'en' : 'vi';
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      if (!command) {
        io.err(USAGE[lang]);
        throw new UsageError('usage.no-command');
      }
      io.out(USAGE[lang]);
      return 0;
    }
    if (command === 'schema') {
      const { jsonSchemas } = await import('../engine/model.js');
      io.out(JSON.stringify(jsonSchemas(), null, 2) + '\n');
      return 0;
    }
    if (command === 'template') return await runTemplate(rest, io);
    if (command === 'consolidate') {
      // Loaded only for this command: it writes the report with exceljs and docx.
      const { runConsolidate } = await import('./consolidate.js');
      return await runConsolidate(rest, io);
    }
    if (command !== 'parse' && command !== 'validate' && command !== 'export')
      throw new UsageError('usage.unknown-command', { command });

    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError('usage.bad-option', { detail: String((e as Error).message).split('\n')[0] });
    }
    if (parsed.values.help) {
      io.out(USAGE[lang]);
      return 0;
    }
    const opts = runOptions(parsed.values);
    if (command === 'parse' && opts.fix)
      throw new UsageError('usage.bad-option', { detail: '--fix (chỉ dùng với validate)' });
    if (command !== 'validate' && opts.mark)
      throw new UsageError('usage.bad-option', { detail: '--mark (chỉ dùng với validate)' });
    const [file, ...extra] = parsed.positionals;
    if (!file) throw new UsageError('usage.no-file', { command });
    if (extra.length) throw new UsageError('usage.bad-option', { detail: extra.join(' ') });
    // Loaded here, not at the top: a broken engine build then fails with a message, not a stack trace.
    const { runParse, runValidate, runExport } = await import('./run.js');
    if (command === 'export') {
      if (typeof parsed.values.out !== 'string') throw new UsageError('usage.export-format', { value: '' });
      return await runExport(file, parsed.values.out, opts, io);
    }
    return command === 'parse' ? await runParse(file, opts, io) : await runValidate(file, opts, io);
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`Lỗi: ${e.messageVi} ${e.hint}\n`);
      io.err(`Error: ${e.messageEn}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`Lỗi: ${e.messageVi}\n`);
      io.err(`Error: ${e.messageEn}\n`);
      return 2;
    }
    const file = argv.find((a, i) => i > 0 && !a.startsWith('-')) ?? '';
    const detail = String((e as Error)?.message ?? e).split('\n')[0];
    const text = fillError('cli.internal', { file, detail });
    io.err(`Lỗi: ${text.message}\n`);
    io.err(`Error: ${text.messageEn}\n`);
    if (process.env.ANNEX_DEBUG) io.err(String((e as Error)?.stack) + '\n');
    return 2;
  }
}

/** Runs the command of this process's arguments and sets its exit code (the entry of cli/bin.ts). */
export function runFromProcess(): void {
  // Piping into `head` closes stdout early; that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const io: Output = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    width: process.stdout.columns ?? (Number(process.env.COLUMNS) || undefined),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
  main(process.argv.slice(2), io).then(
    (code) => (process.exitCode = code),
    () => (process.exitCode = 2),
  );
}
