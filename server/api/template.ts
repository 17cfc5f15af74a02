// GET /api/template.xlsx?province=&year=[&date=] — the annex template for the dashboard's download link.
// Province defaults to the signed-in user's; year to the current one. Built from code on request and
// kept in a small cache (same province, year and date → same bytes).
import { Router } from 'express';
import { requireUser } from '../auth/index.js';
import { AppError } from '../errors.js';
import { TemplateQuery } from '../../contracts/index.js';
import { parse } from './parse.js';
import { provinceAt } from '../domain/engine.js';
import { errorEntry } from '../../contracts/errors.js';

const CACHE_SIZE = 32;

export function templateRouter(): Router {
  const r = Router();
  const cache = new Map<string, Promise<Buffer>>();
  r.get('/template.xlsx', async (req, res) => {
    const user = requireUser(req);
    const q = parse(TemplateQuery, req.query);
    // The template writer (exceljs) loads on the first download, not with the server.
    const { buildAnnexTemplate, TemplateError } = await import('../../templates/annex-template.js');
    const year = q.year ?? new Date().getFullYear();
    // "Khánh Hòa", "TP HCM" → the directory id, which also keeps the file name's header ASCII.
    const typed = q.province ?? user.province;
    const province = provinceAt(typed, q.date ?? `${year}-01-01`) ?? typed;
    const key = `${province}|${year}|${q.date ?? ''}`;
    let p = cache.get(key);
    if (!p) {
      p = buildAnnexTemplate({ province, year, date: q.date });
      cache.set(key, p);
      p.catch(() => cache.delete(key));
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    let bytes: Buffer;
    try {
      bytes = await p;
    } catch (e) {
      if (e instanceof TemplateError) {
        const field = e.code === 'template.bad-year' ? 'year' : e.code === 'template.bad-date' ? 'date' : 'province';
        throw new AppError({
          code: e.code,
          message: e.message,
          messageEn: e.messageEn,
          hint: e.hint,
          status: errorEntry(e.code).status ?? 400,
          where: { field },
        });
      }
      throw e;
    }
    const name = `mau-phu-luc-${province}-${year}.xlsx`;
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.send(bytes);
  });
  return r;
}
