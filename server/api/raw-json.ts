// Submission bodies (grids as JSON, up to the upload limit) are not parsed on the request loop: the route
// hands the raw bytes to the parse pool, which parses, checks and validates them in a worker thread.
// Small bodies (a Google Sheet link, a mistaken empty body) are parsed here too, so that routes can tell
// the kinds of request apart by their fields.
import express, { type RequestHandler } from 'express';
import { appError } from '../errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The JSON body's bytes, on the submit and sync routes. */
      rawJson?: Buffer;
    }
  }
}

/** Bodies up to this size are also parsed on the request loop (a few KB parse in microseconds). */
export const SMALL_JSON_BYTES = 4 * 1024;

export function rawJson(limit: number): RequestHandler {
  const raw = express.raw({ type: 'application/json', limit });
  return (req, res, next) => {
    if (!req.user) return next(appError('auth.required'));
    raw(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!Buffer.isBuffer(req.body)) return next();
      const bytes = req.body;
      req.rawJson = bytes;
      req.body = undefined;
      if (bytes.length <= SMALL_JSON_BYTES) {
        try {
          req.body = bytes.length ? (JSON.parse(bytes.toString('utf8')) as unknown) : {};
        } catch {
          return next(appError('request.invalid-json'));
        }
      }
      next();
    });
  };
}
