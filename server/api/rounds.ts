// Rounds, their status table, submissions into a round (file or JSON grids) and the consolidated report.
import { Router, type Request, type Response, type NextFunction } from 'express';
import multer from 'multer';
import { requireRole, requireUser } from '../auth/index.js';
import { appError, megabytes } from '../errors.js';
import { directory, provinceAt } from '../domain/engine.js';
import { lastReportSummary, reportFile, type ReportFormat } from '../domain/reports.js';
import { runAsJob } from './jobs.js';
import type { JobRunner } from '../jobs/runner.js';
import { createRound, listRounds, lockRound, roundStatus, unlockRound, updateRound } from '../domain/rounds.js';
import type { Services } from '../domain/services.js';
import { listLatest, preflight, submit, type SubmitInput } from '../domain/submissions.js';
import { sendVersion } from './respond.js';
import {
  ReportBody,
  ReportFileQuery,
  RoundBody,
  RoundPatchBody,
  SubmissionFormFields,
  SubmissionJsonBody,
} from '../../contracts/index.js';
import { parse } from './parse.js';

export function roundsRouter(s: Services, opts: { maxUploadBytes: number; jobs: JobRunner }): Router {
  const r = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
    defParamCharset: 'utf8',
  }).single('file');
  const limitMb = megabytes(opts.maxUploadBytes);

  // Multipart only when the request is multipart; JSON bodies were parsed by the app.
  const maybeMultipart = (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    upload(req, res, (err: unknown) => {
      if ((err as { code?: string })?.code === 'LIMIT_FILE_SIZE')
        return next(appError('submission.too-large', { limitMb }));
      next(err);
    });
  };

  r.get('/rounds', async (req, res) => {
    const user = requireUser(req);
    res.json({ rounds: await listRounds(s, user) });
  });

  r.post('/rounds', async (req, res) => {
    const user = requireRole(req, 'admin');
    const parsed = parse(RoundBody, req.body);
    // The round is stored under the province's directory id, whatever way the admin typed it.
    const body = { ...parsed, province: provinceAt(parsed.province, `${parsed.year}-01-01`) ?? parsed.province };
    const dir = await directory();
    const known = new Map((dir?.agencies(body.province, `${body.year}-01-01`) ?? []).map((a) => [a.id, a.name]));
    const expected = body.expectedAgencyIds.map((id) => {
      const name = known.get(id);
      // Without directory data for the province the id stands for itself; with it, unknown ids are refused.
      if (!name && known.size > 0)
        throw appError('round.unknown-agency', { agencyId: id }, { field: 'expectedAgencyIds' });
      return { id, name: name ?? id };
    });
    const round = await createRound(s, user, { ...body, expected });
    res.status(201).json({ round });
  });

  r.get('/rounds/:roundId', async (req, res) => {
    const user = requireUser(req);
    res.json(await roundStatus(s, user, req.params.roundId));
  });

  r.patch('/rounds/:roundId', async (req, res) => {
    const user = requireRole(req, 'admin');
    const body = parse(RoundPatchBody, req.body);
    res.json({ round: await updateRound(s, user, req.params.roundId, body) });
  });

  r.post('/rounds/:roundId/lock', async (req, res) => {
    const user = requireRole(req, 'admin');
    res.json({ round: await lockRound(s, user, req.params.roundId) });
  });

  r.post('/rounds/:roundId/unlock', async (req, res) => {
    const user = requireRole(req, 'admin');
    res.json({ round: await unlockRound(s, user, req.params.roundId) });
  });

  // Who and where are checked before an upload is read: no 20 MB parse for a stranger or a locked round.
  const signedIn = (req: Request, _res: Response, next: NextFunction) => {
    requireUser(req);
    next();
  };

  r.post('/rounds/:roundId/submissions', signedIn, maybeMultipart, async (req, res) => {
    const user = requireUser(req);
    const roundId = String(req.params.roundId);
    let input: SubmitInput;
    if (req.file) {
      const fields = parse(SubmissionFormFields, req.body);
      await preflight(s, user, roundId, fields.agencyId);
      // Read in the parse pool (server/parse/pool.ts), with its time and memory limits.
      const intake = { kind: 'file' as const, bytes: req.file.buffer, fileName: req.file.originalname };
      input = {
        intake,
        source: fields.source,
        fileName: req.file.originalname,
        baseVersion: fields.baseVersion,
        agencyId: fields.agencyId,
      };
    } else if (req.is('multipart/form-data') || !req.rawJson) {
      throw appError('submission.no-file');
    } else {
      // Small bodies were parsed already (server/api/raw-json.ts): say what is wrong with them here.
      const body = req.body as Record<string, unknown> | undefined;
      if (body !== undefined) {
        if (!body || typeof body !== 'object' || Object.keys(body).length === 0) throw appError('submission.no-file');
        if ('googleSheetUrl' in body && !('grids' in body))
          throw appError('submission.unsupported-source', { source: 'googleSheetUrl' });
        parse(SubmissionJsonBody, body);
      }
      input = { intake: { kind: 'json', body: req.rawJson, schema: 'submission' } };
    }
    const result = await submit(s, user, roundId, input);
    sendVersion(
      res,
      {
        submissionId: result.submissionId,
        version: result.version,
        duplicate: result.duplicate,
        status: result.status,
      },
      result.reportJson,
    );
  });

  r.get('/rounds/:roundId/submissions', async (req, res) => {
    const user = requireUser(req);
    res.json({ submissions: await listLatest(s, user, req.params.roundId) });
  });

  r.post('/rounds/:roundId/report', async (req, res) => {
    const user = requireRole(req, 'reviewer', 'admin');
    const body = parse(ReportBody, req.body);
    // A job any instance may run; the answer waits for it (202 with the job when it takes long).
    await runAsJob(
      req,
      res,
      opts.jobs,
      'report.build',
      { roundId: String(req.params.roundId), include: body.include, userId: user.id },
      user.id,
    );
  });

  r.get('/rounds/:roundId/report', async (req, res) => {
    requireRole(req, 'reviewer', 'admin');
    res.json(await lastReportSummary(s, req.params.roundId));
  });

  for (const format of ['xlsx', 'csv', 'json', 'docx'] as ReportFormat[]) {
    r.get(`/rounds/:roundId/report.${format}`, async (req, res) => {
      requireRole(req, 'reviewer', 'admin');
      // ?cover=1 adds the NĐ 30 cover block (xlsx, docx); number, date, issuer, parent and recipients fill its blanks.
      const f = await reportFile(s, req.params.roundId, format, parse(ReportFileQuery, req.query));
      res.type(f.contentType);
      res.attachment(f.fileName);
      res.send(f.body);
    });
  }
  return r;
}
