import { readFileSync } from 'node:fs';
import { readAnnex, textToGrid, consolidate } from '../engine/index.js';
const files = ['000_683635a77beddbc9.txt', '001_03fdc25defdea198.txt', '002_2bb1168879fd1a86.txt', '004_065c492f3d915851.txt'];
const inputs = files.map((f, i) => {
  const r = readAnnex([textToGrid(readFileSync('/work/main/seeds/' + f, 'utf8'), f)]);
  return { agencyId: 'a' + i, agencyName: 'Agency ' + i, annex: r.annex, version: 1 };
});
for (const i of inputs) console.log(i.annex.sections.map((s) => `${s.area}:${s.tasks.length}`).join(' '));
for (const th of [0.3, 0.4, 0.5, 0.6]) {
  const c = consolidate(inputs, { duplicateThreshold: th });
  console.log(th, c.stats);
  if (th === 0.3) for (const g of c.duplicates) for (const m of g.merged) console.log(m.similarity, '|', g.kept.task.slice(0, 90), '||', m.task.slice(0, 90));
}
