// Response helpers shared by the routes that answer with a stored version.
import type { Response } from 'express';

const CLOSE = Buffer.from('}');

/**
 * Answers a submission: 201 for a new version, 200 for the same content again. The report is stored JSON
 * already, so its bytes are written as they are rather than parsed and serialised again; and the body is ended here,
 * not through res.send, which would hash tens of KB for an ETag that no POST answer uses. The three pieces are
 * written in one corked batch rather than joined: a joined copy was a buffer of the report's size (85 KB on seed 000)
 * per answer on the request loop, whose outside-the-heap bytes are what set off most of that thread's collections.
 */
export function sendVersion(
  res: Response,
  head: Record<string, unknown> & { duplicate: boolean },
  report: string | Uint8Array,
): void {
  const start = Buffer.from(`${JSON.stringify(head).slice(0, -1)},"report":`);
  const bytes = typeof report === 'string' ? Buffer.from(report) : report;
  res
    .status(head.duplicate ? 200 : 201)
    .set('Content-Type', 'application/json; charset=utf-8')
    .set('Content-Length', String(start.length + bytes.length + CLOSE.length));
  res.cork();
  res.write(start);
  res.write(bytes);
  res.end(CLOSE);
  res.uncork();
}
