import type { Services } from '../services';
import type { Reply, Turn } from '../turn';

/** What only its user may see: `claims`, `review`, `funds`, `insights`, `fund requests` and `fund request REQ-x`. */
const WHAT = {
  claims: 'inOwnChat.claims',
  review: 'inOwnChat.review',
  funds: 'inOwnChat.funds',
  fundRequests: 'inOwnChat.fundRequests',
  fundRequest: 'inOwnChat.fundRequest',
  insights: 'inOwnChat.insights',
} as const;

/**
 * A list only its user may see (product.md, "Shared chats"): in the user's 1:1 chat with the bot as
 * the answer itself; typed in a group chat or channel, sent to that 1:1 chat, with a note here that
 * holds nothing of it (a refusal, which shows nothing of any claim either, stays here).
 */
export async function answerInOwnChat(
  turn: Turn,
  services: Services,
  what: keyof typeof WHAT,
  answer: () => Promise<Reply>,
): Promise<Reply> {
  const reply = await answer();
  if (turn.scope === 'personal' || !('card' in reply)) return reply;
  const sent = await services.notifications.sendPrivately(turn.tenantId, turn.user, reply.card);
  const params = { what: turn.texts.t(WHAT[what]) };
  return { text: turn.texts.t(sent ? 'inOwnChat.sent' : 'inOwnChat.notSent', params) };
}
