// Consolidation of agencies' annexes into one provincial annex. Similarity helpers stay importable from
// './merge/similarity.js' without crowding the engine's top-level names.
export * from './types.js';
export { consolidate, consolidatedAgencyKey, ConsolidationInputError } from './consolidate.js';
