// Agency and section lists for the pane: from the server (GET /api/directory) when it answers,
// else from the directory bundled with the add-in (same data files the server uses).
import { defaultDirectory, provinces } from '../data/index.js';
import type { AgencyDirectory } from '../engine/index.js';
import { REFORM_AREAS, toRoman } from '../engine/index.js';
import type { ApiClient } from './api.js';

export interface PaneDirectory {
  agencies: string[];
  sections: string[];
  source: 'server' | 'bundled';
}

let bundled: AgencyDirectory | undefined;

/** The engine's directory (bundled data), built once. */
export function bundledDirectory(): AgencyDirectory {
  if (!bundled) bundled = defaultDirectory();
  return bundled;
}

export function sectionTitles(): string[] {
  return REFORM_AREAS.map((a, i) => `${toRoman(i + 1)}. ${a.title}`);
}

export async function loadDirectory(
  client: ApiClient | undefined,
  province: string,
  date: string,
): Promise<PaneDirectory> {
  if (client) {
    try {
      const d = await client.directory(province || undefined, date);
      if (d.agencies?.length) {
        return {
          agencies: d.agencies.filter((a) => a.kind !== 'group').map((a) => a.name),
          sections: d.areas?.length ? d.areas.map((a, i) => `${toRoman(i + 1)}. ${a.title}`) : sectionTitles(),
          source: 'server',
        };
      }
    } catch {
      /* offline or not signed in: the bundled lists below */
    }
  }
  return { agencies: bundledAgencies(province, date), sections: sectionTitles(), source: 'bundled' };
}

/** Agencies of the province at `date`; a province merged away by then gives its successor's list. */
export function bundledAgencies(province: string, date: string): string[] {
  let id = province;
  for (let hop = 0; id && hop < 3; hop++) {
    const list = bundledDirectory()
      .agencies(id, date)
      .filter((a) => a.kind !== 'group')
      .map((a) => a.name);
    if (list.length) return list;
    const succ = provinces.find((p) => p.id === id)?.successor;
    id = succ && succ.since <= date ? succ.id : '';
  }
  return [];
}
