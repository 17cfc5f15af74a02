// Two-way sync figures: three-way merge, id assignment and assigned-task insertion on the seed plans and on
// a large synthetic annex (the whole provincial plan consolidated: many hundred tasks). Prints, asserts nothing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assignTaskIds,
  insertAssignedTasks,
  readAnnex,
  resolveMerge,
  textToGrid,
  threeWayMerge,
  type Annex,
  type AssignedTask,
} from '../engine/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEEDS = [
  '000_683635a77beddbc9.txt',
  '001_03fdc25defdea198.txt',
  '002_2bb1168879fd1a86.txt',
  '004_065c492f3d915851.txt',
];

function time(label: string, n: number, fn: () => unknown): number {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  const ms = (performance.now() - t0) / n;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms`);
  return ms;
}

/** Two edited copies: mine changes every 7th task's timeline and drops every 11th; theirs rewords every 5th and reverses a section. */
function edits(base: Annex): { mine: Annex; theirs: Annex } {
  const mine = structuredClone(base);
  const theirs = structuredClone(base);
  let i = 0;
  for (const s of mine.sections) {
    s.tasks = s.tasks.filter(() => ++i % 11 !== 0);
    s.tasks.forEach((t, k) => {
      if (k % 7 === 0) t.timeline = { kind: 'unknown', text: 'Quý IV' };
    });
  }
  i = 0;
  for (const s of theirs.sections) for (const t of s.tasks) if (++i % 5 === 0) t.task += ' (bổ sung)';
  theirs.sections[0]?.tasks.reverse();
  return { mine, theirs };
}

function synthetic(n: number): Annex {
  const base = readAnnex([textToGrid(readFileSync(join(root, 'seeds', SEEDS[1]), 'utf8'), 's')]).annex;
  const pool = base.sections.flatMap((s) => s.tasks);
  const out = structuredClone(base);
  let k = 0;
  for (const s of out.sections) {
    s.tasks = [];
    for (let j = 0; j < Math.ceil(n / out.sections.length); j++) {
      const t = structuredClone(pool[k % pool.length]);
      t.task = `${t.task} — đơn vị ${Math.floor(k / pool.length) + 1}`;
      t.number = String(j + 1);
      s.tasks.push(t);
      k++;
    }
  }
  return out;
}

export async function run(): Promise<void> {
  for (const f of SEEDS) {
    const base = readAnnex([textToGrid(readFileSync(join(root, 'seeds', f), 'utf8'), f)]).annex;
    const n = base.sections.reduce((m, s) => m + s.tasks.length, 0);
    const { mine, theirs } = edits(base);
    const r = threeWayMerge(base, mine, theirs);
    time(`threeWayMerge ${f.slice(0, 3)} (${n} tasks, no ids)`, 20, () => threeWayMerge(base, mine, theirs));
    console.log(
      `  statuses ${JSON.stringify(Object.fromEntries(Object.entries(r.stats).filter(([, v]) => v)))}; 409 body ≈ ${(JSON.stringify(r).length / 1024).toFixed(0)} KB`,
    );
    time(`resolveMerge ${f.slice(0, 3)} (fallback mine)`, 20, () => resolveMerge(r, {}, { fallback: 'mine' }));
  }
  for (const n of [300, 1000]) {
    const base = synthetic(n);
    let c = 0;
    const withIds = assignTaskIds(base, null, () => `NV-B${++c}`).annex;
    const a = edits(base);
    const b = edits(withIds);
    time(`threeWayMerge synthetic ${n} tasks, no ids (text + similarity)`, 3, () =>
      threeWayMerge(base, a.mine, a.theirs),
    );
    time(`threeWayMerge synthetic ${n} tasks, with ids`, 3, () => threeWayMerge(withIds, b.mine, b.theirs));
    time(`assignTaskIds ${n} tasks against previous version`, 3, () =>
      assignTaskIds(base, withIds, () => `NV-X${++c}`),
    );
  }
  const plan = readAnnex([textToGrid(readFileSync(join(root, 'seeds', SEEDS[0]), 'utf8'), 'p')]).annex;
  const assigned: AssignedTask[] = plan.sections.flatMap((s) =>
    s.tasks.map((t, i) => ({
      id: `NV-P${s.numeral}${i}`,
      number: t.number,
      task: t.task,
      area: s.area,
      sectionTitle: s.title,
      role: 'lead' as const,
      products: t.products.map((p) => ({ text: p.text })),
      lead: ['Sở Tư pháp'],
      support: [],
      timeline: t.timeline.text,
    })),
  );
  const sheet = textToGrid(readFileSync(join(root, 'seeds', SEEDS[2]), 'utf8'), 'sheet');
  time(`insertAssignedTasks ${assigned.length} plan tasks into seed 002`, 10, () =>
    insertAssignedTasks(sheet, assigned),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
