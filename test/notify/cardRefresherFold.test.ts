import assert from 'node:assert/strict';
import type { AdaptiveCard } from '../../cards';
import { Claim, PostedCard, addComment } from '../../src/domain/claim';
import { CardRefresher, RenderedView } from '../../src/notify/cardRefresher';
import type { TeamsSender } from '../../src/notify/teamsSender';
import type { ClaimRepository } from '../../src/store/claims';
import { T0, T1, newClaim, owner } from '../domain/claimFixtures';

const CHAT = 'a:owner-chat';
const posted: PostedCard = {
  viewerId: owner.userId,
  activityId: 'posted-1',
  conversation: { conversation: { id: CHAT } },
  at: T0,
};
const card = (text: string): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', text });
const view = (text: string): RenderedView => ({
  viewerId: owner.userId,
  conversationId: CHAT,
  card: card(text),
});

/**
 * Issue 30: changes made while a claim's posted cards are being updated are folded into one more
 * pass, which reads the claim afresh; the last change's answer serves the cards of its view when
 * the claim read is the one it showed, instead of rendering it again.
 */
describe('notify: card updates folded into one more pass', () => {
  let stored: Claim;
  let renders: number;
  let sent: string[];
  let release: () => void;
  let refresher: CardRefresher;

  beforeEach(() => {
    renders = 0;
    sent = [];
    let first = true;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const sender = {
      replaceCard: async (_t: string, _r: unknown, _id: string, c: AdaptiveCard) => {
        sent.push(String(c.text));
        if (first) {
          first = false;
          await blocked;
        }
      },
    };
    refresher = new CardRefresher({
      // The store gives a copy, as a read does.
      claims: { get: () => Promise.resolve(structuredClone(stored)) } as unknown as ClaimRepository,
      sender: sender as unknown as TeamsSender,
      renderClaimFor: () => {
        renders++;
        return Promise.resolve(card('rendered'));
      },
    });
  });
  afterEach(() => refresher.stop());

  const settled = () => new Promise((resolve) => setTimeout(resolve, 20));
  const twoChanges = async (storedAfter: (second: Claim) => Claim) => {
    const claim = { ...newClaim(), postedCards: [posted] };
    const first = addComment(claim, owner, 'one', T0);
    const second = addComment(first, owner, 'two', T1);
    stored = storedAfter(second);
    refresher.cardsChanged(first, 'clicked', view('answer one'));
    await settled();
    refresher.cardsChanged(second, 'clicked', view('answer two'));
    release();
    await settled();
  };

  it('shows the last answer when the claim read is the one it answered', async () => {
    await twoChanges((second) => second);
    assert.deepEqual(sent, ['answer one', 'answer two']);
    assert.equal(renders, 0);
  });

  it('renders the claim read when it changed again since', async () => {
    await twoChanges((second) => addComment(second, owner, 'three', T1));
    assert.deepEqual(sent, ['answer one', 'rendered']);
    assert.equal(renders, 1);
  });
});
