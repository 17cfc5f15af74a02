// One submission: its versions, one version's annex/report/grids, diffs, return and accept.
import { Router } from 'express';
import { requireRole, requireUser } from '../auth/index.js';
import { appError } from '../errors.js';
import type { Services } from '../domain/services.js';
import { acceptSubmission, diffVersions, getSubmission, getVersion, returnSubmission } from '../domain/submissions.js';
import { AcceptBody, DiffQuery, ReturnBody } from '../../contracts/index.js';
import { parse } from './parse.js';

export function submissionsRouter(s: Services): Router {
  const r = Router();
  r.get('/submissions/:submissionId', async (req, res) => {
    const user = requireUser(req);
    res.json(await getSubmission(s, user, req.params.submissionId));
  });
  r.get('/submissions/:submissionId/versions/:n', async (req, res) => {
    const user = requireUser(req);
    const n = Number(req.params.n);
    if (!Number.isInteger(n) || n < 1) throw appError('version.not-found', { version: req.params.n });
    res.json(await getVersion(s, user, req.params.submissionId, n));
  });
  // One version's annex as an official document (Nghị định 30 layout): Word or Excel.
  r.get('/submissions/:submissionId/versions/:n/annex.:format', async (req, res) => {
    const user = requireUser(req);
    const n = Number(req.params.n);
    const format = req.params.format;
    if (!Number.isInteger(n) || n < 1) throw appError('version.not-found', { version: req.params.n });
    if (format !== 'docx' && format !== 'xlsx')
      throw appError('version.not-found', { version: `${n}/annex.${format}` });
    const sub = await getSubmission(s, user, req.params.submissionId);
    const v = await getVersion(s, user, req.params.submissionId, n);
    const fileName = `Phu-luc-${sub.agencyName}-v${n}.${format}`.replace(/[\\/:*?"<>|]+/g, '-');
    // The writers (docx, exceljs) load on the first download, not with the server.
    const body =
      format === 'docx'
        ? await (await import('../../io/docx-write.js')).writeAnnexDocx(v.annex, { agencyName: sub.agencyName })
        : await (await import('../../io/xlsx-write.js')).writeAnnexXlsx(v.annex);
    res.type(
      format === 'docx'
        ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    res.attachment(fileName);
    res.send(Buffer.from(body));
  });
  r.get('/submissions/:submissionId/diff', async (req, res) => {
    const user = requireUser(req);
    const q = parse(DiffQuery, req.query);
    res.json(await diffVersions(s, user, req.params.submissionId, q.from, q.to));
  });
  r.post('/submissions/:submissionId/return', async (req, res) => {
    const user = requireRole(req, 'reviewer', 'admin');
    const body = parse(ReturnBody, req.body);
    res.json({ submission: await returnSubmission(s, user, req.params.submissionId, body) });
  });
  r.post('/submissions/:submissionId/accept', async (req, res) => {
    const user = requireRole(req, 'reviewer', 'admin');
    const body = parse(AcceptBody, req.body);
    res.json({ submission: await acceptSubmission(s, user, req.params.submissionId, body) });
  });
  return r;
}
