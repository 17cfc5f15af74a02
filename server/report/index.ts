// Writers of the consolidated report: xlsx (official annex + summary + duplicates/conflicts), CSV, JSON.
export { writeConsolidatedXlsx, CONSOLIDATED_COLUMNS, type ConsolidatedXlsxOptions } from './xlsx.js';
export { consolidatedToCsv, consolidatedToJson, CSV_HEADER } from './text.js';
