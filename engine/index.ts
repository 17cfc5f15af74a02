// Public API of the annex engine. Pure: no file, network, Office or Node APIs anywhere under engine/.
// Adapters (io/, server/, addin/, sheets/, cli/) turn their inputs into Grids and render Reports.
export * from './model.js';
export * from './a1.js';
export * from './grid.js';
export * from './normalize/text.js';
export * from './normalize/timeline.js';
export * from './normalize/agency.js';
export * from './read/index.js';
export * from './vocab/index.js';
export * from './rules/codes.js';
export * from './rules/diagnostic.js';
export * from './rules/validate.js';
export * from './rules/catalogue.js';
export * from './merge/index.js';
export * from './merge/three-way.js';
export * from './merge/task-id.js';
export * from './merge/sync-grid.js';
export { vi as viMessages } from './messages/vi.js';
export { en as enMessages } from './messages/en.js';
