// Who a request acts for in a round: the caller's own agency, or (reviewers and admins) the one they name.
import type { AuthUser } from '../auth/index.js';
import { assertAgencyAccess, isReviewer } from '../auth/index.js';
import * as rounds from '../data/rounds.js';
import { appError } from '../errors.js';
import { getRoundRow } from './rounds.js';
import type { Services } from './services.js';

/**
 * The agency (id and the round's name for it). Agencies act only for themselves; reviewers may name
 * another. `expectedOnly`: an agency outside the round's expected list is refused for agency officers
 * (Sở Nội vụ may file documents outside it, such as the provincial plan).
 */
export async function agencyFor(
  s: Pick<Services, 'db'>,
  user: AuthUser,
  roundId: string,
  requested?: string,
  /** `round`: the round's row when the caller has read it already (it names the round in a refusal). */
  opts: { expectedOnly?: boolean; round?: { title: string } } = {},
): Promise<{ id: string; name: string }> {
  const round = opts.round ?? (await getRoundRow(s.db, roundId));
  let agencyId: string | null;
  if (isReviewer(user)) agencyId = requested ?? user.agencyId;
  else {
    if (requested && requested !== user.agencyId) assertAgencyAccess(user, requested);
    agencyId = user.agencyId;
  }
  if (!agencyId) throw appError('submission.not-agency');
  const expected = await rounds.expectedAgency(s.db, roundId, agencyId);
  if (expected) return { id: agencyId, name: expected.agency_name };
  const agencyName = (agencyId === user.agencyId ? user.agencyName : null) ?? agencyId;
  if (opts.expectedOnly && !isReviewer(user)) throw appError('round.not-expected', { agencyName, title: round.title });
  return { id: agencyId, name: agencyName };
}
