// Directory data: one JSON file per province and period (data/agencies/*.json), imported statically so
// bundlers (add-in, Apps Script) carry it without file access. Validated once when first used.
import { AgencyDirectory, provincesOf, type DirectoryFile, type ProvinceInfo } from '../engine/normalize/agency.js';
import common from './agencies/common.json' with { type: 'json' };
import namDinh from './agencies/nam-dinh.json' with { type: 'json' };
import khanhHoa from './agencies/khanh-hoa.json' with { type: 'json' };
import binhThuan from './agencies/binh-thuan.json' with { type: 'json' };
import tienGiang from './agencies/tien-giang.json' with { type: 'json' };
import ninhBinh from './agencies/ninh-binh.json' with { type: 'json' };
import lamDong from './agencies/lam-dong.json' with { type: 'json' };
import dongThap from './agencies/dong-thap.json' with { type: 'json' };

/** All directory files: the common groups first, then provinces before and after the 2025 mergers. */
export const directoryData: DirectoryFile[] = [
  common,
  namDinh,
  khanhHoa,
  binhThuan,
  tienGiang,
  ninhBinh,
  lamDong,
  dongThap,
] as DirectoryFile[];

export type { ProvinceInfo };

/** Provinces with a directory, with their period and successor province (mergers of 2025-07-01). */
export const provinces: ProvinceInfo[] = provincesOf(directoryData);

let memo: AgencyDirectory | undefined;

/** The directory built from all bundled files (validated with zod; built once). */
export function defaultDirectory(): AgencyDirectory {
  memo ??= AgencyDirectory.fromData(directoryData);
  return memo;
}
