import { AppError, invalidInput } from '../../domain/errors';
import { Actor, hasAnyRole } from '../../domain/roles';
import { loadActor } from '../actor';
import { errorNotice } from '../errors';
import { LINK_TTL_S, claimCardReply, claimNumberFrom, visibleClaim } from '../flows/claims';
import { CardData, VerbHandler, stringField } from '../handlers';
import type { Services } from '../services';
import { documentLinkCard } from '../views/documentLink';

/**
 * Open on a document of a claim card in a group chat or channel, where cards carry no file links.
 * The rights are checked on the stored claim, as for showing it; the card data only names it.
 *
 * The link goes to the user's own 1:1 chat with the bot, never into this invoke's answer. Teams
 * shows an invoke's answer card to the user who pressed the button alone, but only on that client
 * and until the card is next updated; the same answer is put in place for everybody with a message
 * update when it comes too late for the invoke (teamsBot's late answers), and a link on a card in a
 * shared conversation can be forwarded or seen on a shared screen. A link in the user's 1:1 chat is
 * theirs alone and expires (product.md: "Signed links appear only in a user's own 1:1 chat"). The
 * invoke is answered with the user's own view of the claim, without links, saying where the link is.
 */
export const openDocument: VerbHandler<'openDocument'> = {
  verb: 'openDocument',
  handle: async (turn, data, services) => {
    const actor = await loadActor(turn, services);
    const claim = await claimToOpen(services, actor, data);
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
};

/**
 * The claim if the user may see it. Someone without any role sees the card in a shared chat, so
 * "not found" would puzzle them: they are told they have no role instead.
 */
async function claimToOpen(services: Services, actor: Actor, data: CardData) {
  try {
    return await visibleClaim(services, actor, claimNumberFrom(data.claim));
  } catch (e) {
    if (e instanceof AppError && e.code === 'CLAIM_NOT_FOUND' && !hasAnyRole(actor)) {
      throw new AppError('NO_ROLE');
    }
    throw e;
  }
}
