// Response helpers shared by the routes that answer with a stored version.
import type { Response } from 'express';

const CLOSE = Buffer.from('}');

/**
 * Answers a submission: 201 for a new version, 200 for the same content again. The report is stored JSON
 * already, so its bytes are spliced in rather than parsed and serialised again; and the body is ended here,
 * not through res.send, which would hash tens of KB for an ETag that no POST answer uses.
 */
export function sendVersion(
  res: Response,
  head: Record<string, unknown> & { duplicate: boolean },
  report: string | Uint8Array,
): void {
  const body = Buffer.concat([
    Buffer.from(`${JSON.stringify(head).slice(0, -1)},"report":`),
    typeof report === 'string' ? Buffer.from(report) : report,
    CLOSE,
  ]);
  res
    .status(head.duplicate ? 200 : 201)
    .set('Content-Type', 'application/json; charset=utf-8')
    .set('Content-Length', String(body.length))
    .end(body);
}
