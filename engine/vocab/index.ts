// The project's one vocabulary: reform areas, annex columns and numerals, read from data/*.json once and checked
// with zod. Every layer (reader, rules, merge, writers, server, clients) takes titles and headers from here.
export { AREA_CODES, FIELDS } from './codes.js';
export * from './areas.js';
export * from './columns.js';
export * from './numerals.js';
