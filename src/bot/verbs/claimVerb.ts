import { ClaimChange, changeClaim } from '../flows/claimChange';
import type { CardData, VerbHandler } from '../handlers';
import type { Services } from '../services';
import type { Turn } from '../turn';

/**
 * A verb that changes the claim the card shows (`data.claim`): `change` says how, reading the
 * card's inputs; loading, authorizing, writing and answering are changeClaim's.
 */
export const claimVerb = <V extends string, P = undefined>(
  verb: V,
  change: (turn: Turn, data: CardData, services: Services) => ClaimChange<P>,
): VerbHandler<V> => ({
  verb,
  handle: (turn, data, services) =>
    changeClaim(turn, services, data.claim, change(turn, data, services)),
});
