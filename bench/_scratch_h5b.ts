import { generate, toInputs } from './consolidate.js';
import { consolidate } from '../engine/merge/index.js';
const inputs = toInputs(generate());
const c0 = process.cpuUsage();
let t = performance.now(); const c = consolidate(inputs, {}); const cpu = process.cpuUsage(c0);
console.log('wall', Math.round(performance.now() - t), 'cpu', Math.round((cpu.user + cpu.system) / 1000), c.stats.duplicatesMerged);
