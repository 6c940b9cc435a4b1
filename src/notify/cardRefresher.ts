import { isDeepStrictEqual } from 'node:util';
import type { AdaptiveCard } from '../../cards';
import { Claim, PostedCard, forgetCard } from '../domain/claim';
import { ClaimRepository, claimKey } from '../store/claims';
import { log } from '../log';
import { DeliveryError } from './messenger';
import type { TeamsSender } from './teamsSender';

/**
 * A claim card the turn rendered already (its answer), for one viewer in one chat: posted cards of
 * that viewer in that chat show the same, so it is not rendered again for them.
 */
export interface RenderedView {
  readonly viewerId: string;
  readonly conversationId: string;
  readonly card: AdaptiveCard;
}

const conversationIdOf = (posted: PostedCard): unknown =>
  (posted.conversation.conversation as { id?: unknown } | undefined)?.id;

/** The card updates of one claim under way: what was folded into the next pass. */
interface Pass {
  again: boolean;
  except: string | undefined;
  /** The last folded change's claim and the answer it rendered. */
  last?: { readonly claim: Claim; readonly view: RenderedView };
}

export interface CardRefresherOptions {
  readonly claims: ClaimRepository;
  readonly sender: TeamsSender;
  /**
   * The claim card a posted card shows now: its viewer's view, for the conversation it is in (a group
   * chat's card is updated for everybody in it).
   */
  readonly renderClaimFor: (claim: Claim, posted: PostedCard) => Promise<AdaptiveCard>;
}

/**
 * Brings the claim cards the bot posted up to date when their claim changes, in the background and
 * within the rate limits; a card Teams no longer has is forgotten. Best effort: the next change or a
 * Universal Actions refresh corrects a missed update.
 */
export class CardRefresher {
  /** Card updates under way per claim (never awaited on stop). */
  private readonly running = new Map<string, Pass>();
  private stopped = false;

  constructor(private readonly o: CardRefresherOptions) {}

  /**
   * `except`: the card the change was made on, already answered by the turn itself; `rendered`: that
   * answer, for the cards of the same view (of `saved` only: a later pass renders afresh).
   */
  cardsChanged(saved: Claim, except?: string, rendered?: RenderedView): void {
    if (this.stopped) return;
    const { tenantId, number } = saved;
    const key = claimKey(tenantId, number);
    const waiting = this.running.get(key);
    if (waiting) {
      // Changes made while an update runs are folded into one more pass, which reads the claim
      // afresh; a card is skipped only if every folded change was made on that very card. The last
      // change's answer still serves the cards of its view if the claim read is the one it showed.
      waiting.again = true;
      if (waiting.except !== except) waiting.except = undefined;
      waiting.last = rendered ? { claim: saved, view: rendered } : undefined;
      return;
    }
    const state: Pass = { again: false, except };
    this.running.set(key, state);
    void (async () => {
      try {
        let claim: Claim | undefined = saved;
        let view = rendered;
        do {
          state.again = false;
          if (!claim) {
            const last = state.last;
            state.last = undefined;
            claim = await this.o.claims.get(tenantId, number);
            view = claim && last && isDeepStrictEqual(claim, last.claim) ? last.view : undefined;
          }
          await this.updateCards(claim, state.except, view);
          claim = undefined;
          view = undefined;
        } while (state.again && !this.stopped);
      } catch (e) {
        // Best effort: a refresh or the next change corrects the card; at shutdown, say nothing.
        if (!this.stopped) log.error({ err: e, claim: number }, 'updating the claim cards failed');
      } finally {
        this.running.delete(key);
      }
    })();
  }

  stop(): void {
    this.stopped = true;
  }

  private async updateCards(
    claim: Claim | undefined,
    except?: string,
    rendered?: RenderedView,
  ): Promise<void> {
    if (!claim) return;
    const { tenantId, number } = claim;
    for (const posted of claim.postedCards ?? []) {
      if (posted.activityId === except || this.stopped) continue;
      try {
        const sameView =
          rendered?.viewerId === posted.viewerId &&
          rendered.conversationId === conversationIdOf(posted);
        const card = sameView ? rendered.card : await this.o.renderClaimFor(claim, posted);
        await this.o.sender.replaceCard(tenantId, posted.conversation, posted.activityId, card);
      } catch (e) {
        if (!(e instanceof DeliveryError) || e.status !== 404) throw e;
        await this.o.claims.update(tenantId, number, `forget:${posted.activityId}`, (c) =>
          forgetCard(c, posted.activityId),
        );
      }
    }
  }
}
