// The audit trail: who did what, when.
import { Router } from 'express';
import { requireUser } from '../auth/index.js';
import { listAudit } from '../domain/audit.js';
import type { Services } from '../domain/services.js';
import { AuditQuery } from '../../contracts/index.js';
import { parse } from './parse.js';

export function auditRouter(s: Services): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    const user = requireUser(req);
    const q = parse(AuditQuery, req.query);
    res.json({ entries: await listAudit(s.db, user, q) });
  });
  return r;
}
