// Human-readable output: a table of diagnostics (cell, severity, message, hint) and a summary line.
import type { Diagnostic, Report } from '../engine/index.js';
import { T, type Lang } from './texts.js';

export interface RenderOptions {
  lang: Lang;
  /** Terminal width for wrapping (default 100). */
  width?: number;
  color?: boolean;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' } as const;
const RESET = '\x1b[0m';

/** Display width: combining marks take no column (decomposed Vietnamese text). */
function visibleLength(s: string): number {
  return [...s.normalize('NFC')].filter((ch) => !/\p{M}/u.test(ch)).length;
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - visibleLength(s)));
}

export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && visibleLength(line) + 1 + visibleLength(word) > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

export function locationLabel(d: Diagnostic, lang: Lang): string {
  const l = d.location;
  if (l.cell) return l.cell;
  return `${T[lang].line} ${l.line ?? l.row}`;
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.location.sheet.localeCompare(b.location.sheet) ||
      a.location.row - b.location.row ||
      (a.location.column ?? 0) - (b.location.column ?? 0) ||
      ORDER[a.severity] - ORDER[b.severity],
  );
}

export function renderDiagnostics(report: Report, opts: RenderOptions): string {
  const t = T[opts.lang];
  const width = Math.max(60, opts.width ?? 100);
  const ds = sortDiagnostics(report.diagnostics);
  const lines: string[] = [];
  if (ds.length === 0) {
    lines.push(t.noIssues);
  } else {
    const sheets = new Set(ds.map((d) => d.location.sheet));
    const cellW = Math.max(visibleLength(t.cell), ...ds.map((d) => visibleLength(locationLabel(d, opts.lang)))) + 2;
    const levelW = Math.max(visibleLength(t.level), ...Object.values(t.severity).map(visibleLength)) + 2;
    const textW = Math.max(30, width - cellW - levelW);
    const indent = ' '.repeat(cellW + levelW);
    let sheet = '';
    lines.push(padEnd(t.cell, cellW) + padEnd(t.level, levelW) + t.message);
    lines.push('─'.repeat(Math.min(width, cellW + levelW + textW)));
    for (const d of ds) {
      if (sheets.size > 1 && d.location.sheet !== sheet) {
        sheet = d.location.sheet;
        lines.push(`[${sheet}]`);
      }
      const sev = t.severity[d.severity];
      const sevText = opts.color ? `${COLORS[d.severity]}${padEnd(sev, levelW)}${RESET}` : padEnd(sev, levelW);
      const msg = wrap(d.message, textW);
      lines.push(padEnd(locationLabel(d, opts.lang), cellW) + sevText + msg[0]);
      for (const m of msg.slice(1)) lines.push(indent + m);
      if (d.hint)
        for (const [i, h] of wrap(`${t.hint}: ${d.hint}`, textW - 2).entries())
          lines.push(indent + (i ? '  ' : '') + h);
    }
  }
  lines.push('');
  lines.push(t.summary(report.stats));
  return lines.join('\n');
}

/** `annex parse` without --json: the annex as an outline. */
export function renderOutline(report: Report, opts: RenderOptions): string {
  const t = T[opts.lang];
  const width = Math.max(60, opts.width ?? 100);
  const lines: string[] = [];
  const m = report.meta;
  const head = [m.issuer, m.docNumber, m.title].filter(Boolean).join(' — ');
  if (head) lines.push(head);
  for (const s of report.sections) {
    if (lines.length) lines.push('');
    lines.push(s.numeral ? `${s.numeral}. ${s.title}` : s.title);
    for (const task of s.tasks) {
      const first = wrap(`${task.number}. ${task.task}`, width - 2);
      lines.push(`  ${first[0]}`);
      for (const l of first.slice(1)) lines.push(`     ${l}`);
      const who = [
        task.lead.length ? `${t.lead}: ${task.lead.map((a) => a.text).join(', ')}` : '',
        task.support.length ? `${t.support}: ${task.support.map((a) => a.text).join(', ')}` : '',
        task.timeline.text ? `${t.timeline}: ${task.timeline.text}` : '',
        task.products.length ? `${task.products.length} ${t.products}` : '',
      ].filter(Boolean);
      if (who.length) for (const l of wrap(who.join(' · '), width - 5)) lines.push(`     ${l}`);
    }
  }
  lines.push('');
  lines.push(t.summary(report.stats));
  return lines.join('\n');
}
