import { readFileSync } from 'node:fs';
import { readAnnex, textToGrid, consolidate } from '../engine/index.js';
import { defaultDirectory } from '../data/index.js';
const directory = defaultDirectory();
const files = ['000_683635a77beddbc9.txt', '001_03fdc25defdea198.txt', '002_2bb1168879fd1a86.txt', '004_065c492f3d915851.txt'];
const inputs = files.map((f, i) => {
  const r = readAnnex([textToGrid(readFileSync('seeds/' + f, 'utf8'), f)], { directory });
  return { agencyId: 'a' + i, agencyName: 'Agency ' + i, annex: r.annex, version: 1 };
});
const c = consolidate(inputs, { directory, date: '2026-01-01' });
for (const t of c.sections.flatMap((s) => s.tasks)) for (const a of [...t.lead, ...t.support, ...t.products.flatMap((p) => [...p.lead, ...p.support])]) if (a.name === 'Sở Thông tin và Truyền thông') console.log(t.source.location, JSON.stringify(a));
console.log(JSON.stringify(directory.resolve('Sở Thông tin và Truyền thông', { province: 'binh-thuan', date: '2026-01-01' })));
