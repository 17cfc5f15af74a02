// The HTTP API contract: zod request and response schemas of every route, shared by the server (which parses with
// them), the OpenAPI document (generated from them) and every client (which takes its types from them).
// Pure: zod and the engine's public schemas only.
export * from './common.js';
export * from './auth.js';
export * from './directory.js';
export * from './rounds.js';
export * from './decisions.js';
export * from './submissions.js';
export * from './check.js';
export * from './sync.js';
export * from './audit.js';
export * from './jobs.js';
export * from './routes.js';
export * from './openapi.js';
