// readXlsxSync: the xlsx reader in this thread alone, every part inflated here (tests cut the parts into pieces of a
// few bytes with `inflateStep`). Its own module because it needs fflate's streaming inflater, which the readers the
// commands use load only for a file that needs it (io/xlsx-read.ts, StreamingInflater).
import { Inflate } from 'fflate';
import type { Grid } from '../engine/index.js';
import { readXlsxSyncWith, type XlsxReadOptions } from './xlsx-read.js';

/** readXlsxToGrids in this thread alone (tests that cut the parts into small pieces). */
export function readXlsxSync(bytes: Uint8Array, fileName = 'tệp', options: XlsxReadOptions = {}): Grid[] {
  return readXlsxSyncWith(bytes, fileName, options, Inflate);
}
