import { generate, toInputs } from './consolidate.js';
import { consolidate } from '../engine/merge/index.js';
const inputs = toInputs(generate());
let t = performance.now(); const c = consolidate(inputs, {}); console.log(Math.round(performance.now() - t), c.stats.duplicatesMerged);
