// Response helpers shared by the routes that answer with a stored version.
import type { Response } from 'express';

/**
 * Answers a submission: 201 for a new version, 200 for the same content again. The report is stored JSON
 * already, so it is spliced in rather than parsed and serialised again.
 */
export function sendVersion(
  res: Response,
  head: Record<string, unknown> & { duplicate: boolean },
  reportJson: string,
): void {
  const json = JSON.stringify(head);
  res
    .status(head.duplicate ? 200 : 201)
    .type('application/json')
    .send(`${json.slice(0, -1)},"report":${reportJson}}`);
}
