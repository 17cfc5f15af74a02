// Google Sheets integration of the server: intake from a sheet link, export of the consolidated report.
export { googleRouter } from './routes.js';
export {
  googleOptionsFromEnv,
  parseServiceAccountKey,
  GoogleConfigError,
  type GoogleOptions,
  type ServiceAccountKey,
} from './config.js';
export { googleClients, googleError, withRetry, type GoogleClients } from './client.js';
export { fetchSheetGrid, gridFromSheet, parseSheetUrl, type IntakeResult } from './intake.js';
export { exportToGoogleSheet, sheetsFromXlsx, type ExportSheet, type ExportResult } from './export.js';
