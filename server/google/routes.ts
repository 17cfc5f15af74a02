// HTTP routes of the Google Sheets integration, mounted before the rounds router:
//   POST /api/rounds/:roundId/submissions {googleSheetUrl, sheet?, baseVersion?, agencyId?}  (other bodies pass on)
//   POST /api/rounds/:roundId/report/google-sheet {shareWith?: [email]} → 201 {spreadsheetId, url, sheets, sharedWith}
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { z } from 'zod';
import { GoogleExportBody, GoogleSheetBody } from '../../contracts/index.js';
import { requireRole, requireUser, type AuthUser } from '../auth/index.js';
import { jobUser, runAsJob } from '../api/jobs.js';
import type { JobRunner } from '../jobs/runner.js';
import { parse } from '../api/parse.js';
import { writeAudit } from '../domain/audit.js';
import { reportFile } from '../domain/reports.js';
import { getRoundRow } from '../domain/rounds.js';
import { nowIso, type Services } from '../domain/services.js';
import { preflight, submit } from '../domain/submissions.js';
import { parseJson } from '../domain/json-text.js';
import * as sheets from '../data/sheets.js';
import { appError } from '../errors.js';
import { googleClients, notConfigured, type GoogleClients } from './client.js';
import { GoogleConfigError, googleOptionsFromEnv, type GoogleOptions } from './config.js';
import { exportToGoogleSheet, sheetsFromXlsx } from './export.js';
import { fetchSheet, parseSheetUrl } from './intake.js';

/**
 * `options`: explicit configuration (tests), `null` to turn the integration off, or undefined to read
 * GOOGLE_SERVICE_ACCOUNT_KEY / GOOGLE_API_ROOT_URL from the environment on first use.
 */
export function googleRouter(s: Services, options?: GoogleOptions | null, jobs?: JobRunner): Router {
  const r = Router();
  let clients: GoogleClients | null | undefined;
  const google = async (): Promise<GoogleClients> => {
    if (clients === undefined) {
      try {
        const o = options === undefined ? googleOptionsFromEnv() : options;
        clients = o ? await googleClients(o) : null;
      } catch (e) {
        // A broken key is the administrator's to fix: say so (in English for the log) without a 500.
        // The detail goes to the server log only: it may quote the key.
        if (e instanceof GoogleConfigError) {
          console.error(`[phuluc] Google Sheets configuration: ${e.message}`);
          throw notConfigured('the configuration is invalid (see the server log)');
        }
        throw e;
      }
    }
    if (!clients) throw notConfigured();
    return clients;
  };

  // Intake runs as a job (any instance may take it); what needs no fetch is checked here first, and
  // again by the job, before Google is asked for anything.
  const checks = async (user: AuthUser, roundId: string, b: z.infer<typeof GoogleSheetBody>) => {
    const agency = await preflight(s, user, roundId, b.agencyId);
    const ref = parseSheetUrl(b.googleSheetUrl);
    const owner = await sheets.sheetOwner(s.db, ref.spreadsheetId);
    if (owner && owner.agency_id !== agency.id) throw appError('google.sheet-owned');
    return { agency, ref };
  };
  jobs?.register('sheet.intake', async (payload) => {
    const p = payload as { userId: string; roundId: string; body: z.infer<typeof GoogleSheetBody> };
    const user = await jobUser(s, p.userId);
    const { agency, ref } = await checks(user, p.roundId, p.body);
    const sheet = await fetchSheet(await google(), p.body.googleSheetUrl, p.body.sheet);
    // The sheet becomes grids in the parse pool, with the same caps as a file.
    const result = await submit(s, user, p.roundId, {
      intake: { kind: 'sheet', sheet: sheet.sheet },
      source: 'google-sheet',
      fileName: `${sheet.title} — ${sheet.sheetTitle}`,
      baseVersion: p.body.baseVersion,
      agencyId: p.body.agencyId,
    });
    await sheets.claimSheet(s.db, {
      spreadsheet_id: ref.spreadsheetId,
      agency_id: agency.id,
      first_round_id: p.roundId,
      created_at: nowIso(s),
    });
    return {
      httpStatus: result.duplicate ? 200 : 201,
      submissionId: result.submissionId,
      version: result.version,
      duplicate: result.duplicate,
      status: result.status,
      google: { spreadsheetId: sheet.spreadsheetId, title: sheet.title, sheet: sheet.sheetTitle },
      report: parseJson(result.reportJson),
    };
  });

  r.post('/rounds/:roundId/submissions', async (req: Request, res: Response, next: NextFunction) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (
      !req.is('application/json') ||
      !body ||
      typeof body !== 'object' ||
      !('googleSheetUrl' in body) ||
      'grids' in body
    )
      return next();
    const user = requireUser(req);
    const b = parse(GoogleSheetBody, body);
    const roundId = String(req.params.roundId);
    await checks(user, roundId, b);
    if (!jobs) throw notConfigured();
    await google(); // not configured: say so now rather than from the job
    await runAsJob(req, res, jobs, 'sheet.intake', { userId: user.id, roundId, body: b }, user.id);
  });

  r.post('/rounds/:roundId/report/google-sheet', async (req, res) => {
    const user = requireRole(req, 'reviewer', 'admin');
    const b = parse(GoogleExportBody, req.body ?? {});
    const roundId = String(req.params.roundId);
    const g = await google();
    const round = await getRoundRow(s.db, roundId);
    const file = await reportFile(s, roundId, 'xlsx');
    const sheets = await sheetsFromXlsx(file.body as Buffer);
    const title = `Tổng hợp nhiệm vụ CCHC — ${round.title}`;
    const shareWith = [...(b.shareWith ?? []), ...(g.options.shareWith ?? [])];
    const out = await exportToGoogleSheet(g, title, sheets, shareWith);
    await writeAudit(s.db, user, nowIso(s), {
      action: 'report.export-google-sheet',
      targetType: 'report',
      targetId: out.spreadsheetId,
      roundId,
      detail: { url: out.url, sharedWith: out.sharedWith },
    });
    res.status(201).json(out);
  });
  return r;
}
