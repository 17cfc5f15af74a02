// The agency directory for dropdowns, per province and date, and the reform areas.
import { Router } from 'express';
import { requireUser } from '../auth/index.js';
import { directory, provinceAt } from '../domain/engine.js';
import { DirectoryQuery } from '../../contracts/index.js';
import { parse } from './parse.js';
import { REFORM_AREAS } from '../../engine/index.js';

const AREAS = REFORM_AREAS.map((a) => ({ code: a.code, title: a.title }));

export function directoryRouter(): Router {
  const r = Router();
  r.get('/directory', async (req, res) => {
    const user = requireUser(req);
    const q = parse(DirectoryQuery, req.query);
    const date = q.date ?? new Date().toISOString().slice(0, 10);
    // A province as typed ("Khánh Hòa", "TP HCM") becomes its directory id at the date; an id stays itself.
    const typed = q.province ?? user.province;
    const province = provinceAt(typed, date) ?? typed;
    const dir = await directory();
    // A province merged away in 2025 (Nam Định → Ninh Bình) answers with its successor's directory at later dates.
    const provinces = dir?.provinces() ?? [];
    let current = province;
    const merged: { from: string; fromName: string; since: string }[] = [];
    for (
      let p = provinces.find((x) => x.id === current);
      p?.successor && p.successor.since <= date;
      p = provinces.find((x) => x.id === current)
    ) {
      if (merged.some((m) => m.from === p!.id)) break;
      merged.push({ from: p.id, fromName: p.name, since: p.successor.since });
      current = p.successor.id;
    }
    const agencies = (dir?.agencies(current, date) ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      kind: a.kind ?? 'agency',
    }));
    const provinceName = provinces.find((x) => x.id === current)?.name;
    res.json({
      province: current,
      provinceName,
      requestedProvince: province,
      mergedFrom: merged,
      date,
      agencies,
      areas: AREAS,
    });
  });
  return r;
}
