import { parseClaimNumber, permissions } from '../../domain/claim';
import { AppError } from '../../domain/errors';
import { canReview } from '../../domain/roles';
import type { ReviewQueueKey } from '../../store/claims';
import { loadActor } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';
import { claimCardReply, confirmation } from './claimCards';

/** How much of the queue Next claim looks through for one the reviewer may decide. */
const PAGE = 20;
const MAX_PAGES = 5;

/**
 * Next claim: the first claim of the review queue (oldest first) that this reviewer may take a step
 * on, skipping `current` and every claim they had a hand in; or that none waits for them.
 */
export async function showNextClaim(
  turn: Turn,
  services: Services,
  currentText: unknown,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  if (!canReview(actor)) throw new AppError('NOT_ALLOWED', { action: 'review' });
  const current = typeof currentText === 'string' ? parseClaimNumber(currentText) : undefined;
  let after: ReviewQueueKey | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await services.claims.reviewQueue(turn.tenantId, { after, size: PAGE });
    for (const item of page.items) {
      if (item.number === current) continue;
      const claim = await services.claims.get(turn.tenantId, item.number);
      const can = claim && permissions(actor, claim);
      if (claim && can?.approve) {
        return claimCardReply(turn, services, actor, claim);
      }
    }
    if (!page.next) break;
    after = page.next;
  }
  return confirmation(turn, turn.texts.t('review.noneForYou'));
}
