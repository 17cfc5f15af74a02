// The agency directory for dropdowns, per province and date, and the reform areas.
import { Router } from 'express';
import { requireUser } from '../auth/index.js';
import { directory } from '../domain/engine.js';
import { DirectoryQuery, parse } from './schemas.js';
import { reformAreas } from '../../data/index.js';

const AREAS = (reformAreas as { areas: { code: string; title: string }[] }).areas.map((a) => ({ code: a.code, title: a.title }));

export function directoryRouter(): Router {
  const r = Router();
  r.get('/directory', async (req, res) => {
    const user = requireUser(req);
    const q = parse(DirectoryQuery, req.query);
    const province = q.province ?? user.province;
    const date = q.date ?? new Date().toISOString().slice(0, 10);
    const dir = await directory();
    const agencies = (dir?.agencies(province, date) ?? []).map((a) => ({ id: a.id, name: a.name, kind: a.kind ?? 'agency' }));
    res.json({ province, date, agencies, areas: AREAS });
  });
  return r;
}
