// File adapters: bytes ↔ grids and annex → files. Node-side (server, CLI); the engine stays pure.
export * from './errors.js';
export * from './escape.js';
export * from './encoding.js';
export * from './format.js';
export * from './zip.js';
export * from './limits.js';
export * from './csv.js';
export * from './xlsx-read.js';
export * from './xlsx-write.js';
export * from './read.js';
export * from './file.js';
