// The data layer: repositories holding every query of the server. Domain modules call these with the
// database or an open transaction (both are a Db) and never build queries themselves.
export * as users from './users.js';
export * as rounds from './rounds.js';
export * as submissions from './submissions.js';
export * as reports from './reports.js';
export * as audit from './audit.js';
export * as sheets from './sheets.js';
export * as jobs from './jobs.js';
