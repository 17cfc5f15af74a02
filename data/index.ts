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
import { nationalDirectoryFiles } from './national-directory.js';
import { resolveProvince } from './provinces.js';

const ownFiles = [namDinh, khanhHoa, binhThuan, tienGiang, ninhBinh, lamDong, dongThap] as DirectoryFile[];

/**
 * All directory files: the common groups first, then the provinces with a file of their own, then every other
 * province of the national list (34 after 2025-07-01, the 63 before) with the standard set of bodies.
 */
const writtenData: DirectoryFile[] = [common as DirectoryFile, ...ownFiles];
const derivedData: DirectoryFile[] = nationalDirectoryFiles(common as DirectoryFile, ownFiles);
export const directoryData: DirectoryFile[] = [...writtenData, ...derivedData];

export type { ProvinceInfo };

/** Provinces with a directory, with their period and successor province (mergers of 2025-07-01). */
export const provinces: ProvinceInfo[] = provincesOf(directoryData);

let memo: AgencyDirectory | undefined;

/**
 * The directory built from all bundled files (built once). Its ids and successor links are checked here; the files'
 * schema is checked by the tests rather than at every start of a command (tests/engine/normalize/agency.test.ts,
 * which also checks that the schema takes each written file as it is): the files are part of the build, and zod was
 * a fifth of building the directory.
 */
export function defaultDirectory(): AgencyDirectory {
  memo ??= AgencyDirectory.fromData([], directoryData);
  return memo;
}

/**
 * The directory id for a province as a person types it ("Khánh Hòa", "khanh hoa", "TP HCM", "Thừa Thiên Huế",
 * "gia-lai") at an ISO date: a directory id stands for itself; a name resolves through the national list to the
 * province of that date (merged or renamed ones to their successor). Undefined when nothing matches.
 */
export function provinceId(typed: string, date: string): string | undefined {
  const t = typed.trim();
  if (provinces.some((p) => p.id === t)) return t;
  const id = resolveProvince(t, date)?.id;
  return id && provinces.some((p) => p.id === id) ? id : undefined;
}
