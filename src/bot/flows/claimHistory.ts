import { renderHistory } from '../../../cards';
import { loadActor } from '../actor';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { historyLine } from '../views/claim';
import { claimNumberFrom, visibleClaim } from './claimAccess';

const HISTORY_PAGE = 10;

export async function showHistory(
  turn: Turn,
  services: Services,
  numberText: unknown,
  beforeText?: unknown,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(numberText));
  const before = Number(beforeText);
  const { events: page, next } = await services.claims.historyPage(claim, {
    ...(Number.isSafeInteger(before) && before > 0 ? { before } : {}),
    size: HISTORY_PAGE,
  });
  const texts = turn.texts;
  const render = (documents: 'shown' | 'withheld') =>
    renderHistory({
      t: texts.messages.history,
      heading: texts.t('history.title', { number: claim.number }),
      number: claim.number,
      events: page.map((e) => historyLine(texts, e, documents)),
      older: next ?? null,
    });
  // In a group chat or channel, the history everybody sees names no documents (see renderClaim).
  const forEveryone = turn.scope === 'personal' ? undefined : render('withheld');
  return cardReply(render('shown'), undefined, forEveryone);
}
