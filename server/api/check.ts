// POST /api/check/marked.xlsx — the marked copy for officers whose Excel, WPS or LibreOffice cannot run the add-in:
// they upload their own workbook and get it back with problem cells coloured, a note on each, and a "Kiểm tra"
// sheet. Nothing is stored: the check is not a submission.
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { requireUser } from '../auth/index.js';
import { appError, megabytes } from '../errors.js';
import type { Services } from '../domain/services.js';
import { parserOf } from '../domain/submissions.js';
import { CheckFormFields } from '../../contracts/index.js';
import { parse } from './parse.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** "Phụ lục 2025.xlsx" → "Phụ lục 2025 - kiểm tra.xlsx", and an ASCII fallback for old clients. */
function markedName(original: string): { utf8: string; ascii: string } {
  const base =
    original
      .replace(/\.xlsx$/i, '')
      .replace(/[\\/:*?"<>|\r\n]/g, '_')
      .slice(0, 120) || 'phu-luc';
  const utf8 = `${base} - kiểm tra.xlsx`;
  const ascii = utf8
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_');
  return { utf8, ascii };
}

export function checkRouter(s: Services, opts: { maxUploadBytes: number }): Router {
  const r = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024 },
    defParamCharset: 'utf8',
  }).single('file');
  const limitMb = megabytes(opts.maxUploadBytes);
  const signedIn = (req: Request, _res: Response, next: NextFunction) => {
    requireUser(req);
    next();
  };
  const multipart = (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (err: unknown) => {
      if ((err as { code?: string })?.code === 'LIMIT_FILE_SIZE')
        return next(appError('submission.too-large', { limitMb }));
      next(err);
    });
  };

  r.post('/check/marked.xlsx', signedIn, multipart, async (req, res) => {
    const user = requireUser(req);
    if (!req.file) throw appError('submission.no-file', {}, { field: 'file' });
    const fields = parse(CheckFormFields, req.body);
    // Read, checked and marked in the parse pool, within its time and memory limits.
    const fileName = req.file.originalname;
    const { bytes, stats } = (
      await parserOf(s).run(user.id, fileName, {
        op: 'mark',
        bytes: new Uint8Array(req.file.buffer),
        fileName,
        ctx: { province: fields.province ?? user.province, planYear: fields.year },
      })
    ).mark;
    const name = markedName(req.file.originalname);
    res.setHeader('Content-Type', XLSX);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`,
    );
    // The counts ride along so the page can say what it found without reading the workbook.
    res.setHeader('X-Phuluc-Issues', `${stats.errors},${stats.warnings},${stats.infos}`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(Buffer.from(bytes));
  });
  return r;
}
