import assert from 'node:assert/strict';
import type { Claim } from '../../src/domain/claim';
import type { Recorded } from '../../testkit/connector';
import { TeamsUser, TurnResult, buttonTitles, cardText, factAmount } from '../support/teams';
import { listedDocument, recordedCard, recordedText } from './fileKit';
import type { World } from './world';

/** What the review suites share: refusals, buttons shown and notifications sent. */
export const NOT_ALLOWED = /You are not allowed to do that\./;
export const forbiddenIn = (status: string): RegExp =>
  new RegExp(`This cannot be done while the claim is ${status}\\.`);

export function assertButtons(
  r: TurnResult,
  has: readonly string[],
  hasNot: readonly string[],
): void {
  const shown = buttonTitles(r.card ?? {});
  for (const b of has) assert.ok(shown.includes(b), `"${b}" shown (buttons: ${shown})`);
  for (const b of hasNot) assert.equal(shown.includes(b), false, `"${b}" not shown`);
}

/** A card verb `u` presses that is refused with `expected`, answered (200) rather than failed. */
export async function invokeRefused(
  w: World,
  u: TeamsUser,
  verb: string,
  data: Record<string, string>,
  expected: RegExp,
): Promise<void> {
  const r = await w.teams.invoke(u, u.personal, verb, data);
  assert.equal(r.status, 200);
  assert.equal(r.invokeStatus, 200);
  assert.match(r.text, expected, `${u.name} ${verb} ${JSON.stringify(data)}`);
}

/**
 * A notification card (kind label, then heading) the bot sent into `u`'s 1:1 chat after `since`,
 * waiting for it: not a claim card, not an update of a posted card.
 */
export async function notified(
  w: World,
  u: TeamsUser,
  since: number,
  kind: string,
  heading: string,
): Promise<Recorded> {
  const isIt = (r: Recorded): boolean => {
    const lines = cardText(recordedCard(r)).split('\n');
    return lines[0] === kind && lines[1] === heading;
  };
  const hit = await w.connector.waitFor(
    (r) => r.seq > since && r.op !== 'update' && r.conversationId === u.personal.id && isIt(r),
  );
  const seen = w.connector
    .since(since, u.personal.id)
    .filter((r) => r.op !== 'update')
    .map((r) => recordedText(r).replace(/\s+/g, ' ').trim().slice(0, 80));
  assert.ok(
    hit,
    `${u.name} was not sent "${kind}: ${heading}" (sent: ${seen.join(' // ') || 'nothing'})`,
  );
  return hit;
}

/** The document of `claim` shows exactly one feedback line in the Documents list: who gave it and what. */
export async function feedbackShown(
  w: World,
  claim: string,
  u: TeamsUser,
  fileName: string,
  who: string,
  text: string,
): Promise<void> {
  const { feedback } = await listedDocument(w.teams, u, u.personal, claim, fileName);
  assert.equal(feedback.length, 1, `one feedback line next to ${fileName}: ${feedback}`);
  assert.ok(feedback[0].includes(who) && feedback[0].includes(text), feedback[0]);
}

/** Allocated, approved, pending and remaining of a tenant's one fund, from `u`'s funds card. */
export async function fundTotals(
  w: World,
  u: TeamsUser,
): Promise<Record<string, string | undefined>> {
  await w.app.notifications.idle();
  const card = (await w.teams.send(u, u.personal, 'funds')).card;
  const names = ['Allocated', 'Approved', 'Pending', 'Remaining'];
  return Object.fromEntries(names.map((n) => [n, factAmount(card, n)]));
}

/** The totals fundTotals reads, in its order. */
export const fund = (...[Allocated, Approved, Pending, Remaining]: string[]) => ({
  Allocated,
  Approved,
  Pending,
  Remaining,
});

/** The claim as stored, which must exist. */
export async function storedClaim(w: World, tenantId: string, n: string): Promise<Claim> {
  const claim = await w.app.services.claims.get(tenantId, n);
  assert.ok(claim, `${n} is stored`);
  return claim;
}
