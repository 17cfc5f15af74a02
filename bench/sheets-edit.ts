// Google Sheets add-on: the cost of one edit on a 500-row annex, in calls to the (fake) Apps Script services, which
// is what quotas and latency on the real host follow. Printed beside the milliseconds in the fake runtime.
import { callCounter } from '../tests/sheets/call-counter.js';
import { FakeSpreadsheet } from '../tests/sheets/fake-apps-script.js';
import { loadAddon } from '../tests/sheets/run-addon.js';

/** A 500-row annex: tasks of three rows (task + two more products), in 5 sections. */
function annexRows(): string[][] {
  const rows: string[][] = [
    ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'],
  ];
  const roman = ['I', 'II', 'III', 'IV', 'V'];
  let n = 0;
  for (let s = 0; s < 5; s++) {
    rows.push([roman[s], `Cải cách lĩnh vực ${s + 1}`, '', '', '', '']);
    for (let t = 0; t < 34; t++) {
      n++;
      rows.push([
        String(n),
        `Nhiệm vụ số ${n} về rà soát thủ tục hành chính`,
        `${n}.1. Báo cáo kết quả`,
        'Sở Nội vụ',
        'Sở Tư pháp',
        'Quý II/2025',
      ]);
      rows.push(['', '', `${n}.2. Kế hoạch thực hiện`, '', '', '']);
      rows.push(['', '', `${n}.3. Văn bản hướng dẫn`, '', '', '']);
    }
  }
  return rows.slice(0, 500);
}

export async function run(): Promise<void> {
  const ss = new FakeSpreadsheet();
  const sheet = ss.addSheetFromTexts('Phụ lục', annexRows());
  const addon = await loadAddon(ss);
  addon.run('check');
  addon.env.setSimpleTrigger(true);
  const cell = sheet.getRange(40, 4);
  const edits = 5;
  const counter = callCounter();
  // The services the script reaches through globals are counted too.
  for (const name of ['SpreadsheetApp', 'CacheService', 'LockService', 'PropertiesService'])
    addon.context[name] = counter.wrap(addon.env.globals[name]);
  const started = performance.now();
  for (let i = 0; i < edits; i++) {
    cell.setValue(i % 2 ? 'Sở Nội vụ' : '');
    addon.fn.onEdit({ range: counter.wrap(cell), source: counter.wrap(ss) });
  }
  const ms = (performance.now() - started) / edits;
  const top = [...counter.byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, v]) => `${k} ${v / edits}`)
    .join(', ');
  console.log(
    `sheets onEdit, one-row edit on a ${sheet.getLastRow()}-row sheet: ${(counter.calls / edits).toFixed(0)} service calls per edit, ${ms.toFixed(0)} ms per edit in the fake runtime`,
  );
  console.log(`  most called: ${top}`);
}
