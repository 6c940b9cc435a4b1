import { invalidInput } from '../../domain/errors';
import { loadActor } from '../actor';
import { errorNotice } from '../errors';
import { LINK_TTL_S, claimCardReply } from '../flows/claimCards';
import { claimNumberFrom, visibleClaim } from '../flows/claimAccess';
import { stringField } from '../handlers';
import { documentLinkCard } from '../views/documentLink';
import type { VerbTable } from './input';

/**
 * Open on a document of a claim card in a group chat or channel, where cards carry no file links.
 * The rights are checked on the stored claim, as for showing it; the card data only names it.
 *
 * The link goes to the user's own 1:1 chat, never into this invoke's answer, although Teams shows
 * that answer to the user alone: product.md keeps signed links to a user's own 1:1 chat; a card in a
 * shared chat is what people forward, quote and show on shared screens; and with no shared-chat card
 * ever holding a link, no path (refresh, a late answer put in place with a message update that
 * everybody sees, a background update) can show one to others. The invoke is answered with the
 * user's own view of the claim, without links, saying where the link went.
 */
export const verbs: VerbTable<'openDocument'> = {
  openDocument: {
    verb: 'openDocument',
    handle: async (turn, data, services) => {
      const actor = await loadActor(turn, services);
      // Not visible (no role, another tenant, not theirs): "not found", as for every other action.
      const claim = await visibleClaim(services, actor, claimNumberFrom(data.claim));
      const document = claim.documents.find((d) => d.id === stringField(data, 'document'));
      if (!document) {
        const gone = invalidInput([{ field: 'item', problem: 'invalid' }]);
        return claimCardReply(turn, services, actor, claim, errorNotice(gone, turn.texts));
      }
      const url = await services.files.readUrl(document.blobName, LINK_TTL_S);
      const card = documentLinkCard({
        claim,
        document,
        url,
        lifetimeSeconds: LINK_TTL_S,
        texts: turn.texts,
      });
      const sent = await services.notifications.sendPrivately(turn.tenantId, turn.user, card);
      const file = document.fileName;
      return claimCardReply(
        turn,
        services,
        actor,
        claim,
        sent
          ? { style: 'good', text: turn.texts.t('detail.linkSent', { file }), items: [] }
          : { style: 'attention', text: turn.texts.t('detail.linkNotSent', { file }), items: [] },
      );
    },
  },
};
