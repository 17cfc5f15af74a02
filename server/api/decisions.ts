// A reviewer's decisions on the candidate groups of a round's report: list them, merge or keep apart, undo.
import { Router } from 'express';
import { requireRole } from '../auth/index.js';
import { decide, listCandidates, listDecisions, undoDecision } from '../domain/decisions.js';
import type { Services } from '../domain/services.js';
import { DecisionBody } from '../../contracts/index.js';
import { parse } from './parse.js';

export function decisionsRouter(s: Services): Router {
  const r = Router();

  r.get('/rounds/:roundId/report/candidates', async (req, res) => {
    requireRole(req, 'reviewer', 'admin');
    res.json(await listCandidates(s, req.params.roundId));
  });

  r.get('/rounds/:roundId/decisions', async (req, res) => {
    requireRole(req, 'reviewer', 'admin');
    res.json({ decisions: await listDecisions(s, req.params.roundId) });
  });

  r.post('/rounds/:roundId/decisions', async (req, res) => {
    const user = requireRole(req, 'reviewer', 'admin');
    const body = parse(DecisionBody, req.body);
    res.status(201).json(await decide(s, user, req.params.roundId, body));
  });

  r.delete('/rounds/:roundId/decisions/:decisionId', async (req, res) => {
    const user = requireRole(req, 'reviewer', 'admin');
    res.json(await undoDecision(s, user, req.params.roundId, req.params.decisionId));
  });
  return r;
}
