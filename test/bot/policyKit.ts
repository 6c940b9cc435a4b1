import assert from 'node:assert/strict';
import type { Chat, TeamsUser, Tenant } from '../support/teams';
import { World, addFund, createClaim, grant, seedReady } from './world';

/** Contoso with Ada (admin), Olga (Incentives user), reviewers of these names and a fund. */
export interface ReviewTeam {
  readonly tenant: Tenant;
  readonly admin: TeamsUser;
  readonly olga: TeamsUser;
  readonly reviewers: readonly TeamsUser[];
  /** In the group chat, without a role. */
  readonly others: readonly TeamsUser[];
  readonly group: Chat;
}

export async function reviewTeam(
  w: World,
  reviewerNames: readonly string[],
  allocated = '10,000.00',
  otherNames: readonly string[] = [],
): Promise<ReviewTeam> {
  const tenant = w.teams.tenant('contoso');
  const admin = w.teams.user(tenant, 'Ada Admin', { aadObjectId: w.bootstrapAdmins[0] });
  const olga = w.teams.user(tenant, 'Olga Owner');
  const reviewers = reviewerNames.map((name) => w.teams.user(tenant, name));
  const others = otherNames.map((name) => w.teams.user(tenant, name));
  const group = w.teams.groupChat(tenant, [admin, olga, ...reviewers, ...others]);
  await grant(w, admin, group, olga, 'incentives user');
  for (const r of reviewers) await grant(w, admin, group, r, 'reviewer');
  await addFund(w, admin, { 'Allocated amount': allocated });
  // Their 1:1 chats are known: notifications reach them.
  for (const u of [olga, ...reviewers]) await w.teams.send(u, u.personal, 'help');
  return { tenant, admin, olga, reviewers, others, group };
}

/** A claim of Olga's for `amount` dollars, submitted and taken into review by `reviewer`. */
export async function underReview(
  w: World,
  team: ReviewTeam,
  reviewer: TeamsUser,
  amount = '1,250.00',
): Promise<string> {
  const { olga } = team;
  const { number } = await createClaim(w, olga, { Amount: amount });
  await seedReady(w, olga, number);
  const submitted = await w.teams.invoke(olga, olga.personal, 'submit', { claim: number });
  assert.match(submitted.text, /Submitted\./);
  await w.teams.invoke(reviewer, reviewer.personal, 'startReview', { claim: number });
  const claim = await w.app.services.claims.get(team.tenant.id, number);
  assert.equal(claim?.status, 'underReview');
  return number;
}

/** Approve as `u`, for `amount` dollars. */
export const approveAs = (w: World, u: TeamsUser, claim: string, amount = '1,250.00') =>
  w.teams.invoke(u, u.personal, 'approve', {
    claim,
    approvedAmount: amount,
    approveNote: 'fine',
    approveReason: 'Part of the cost is not eligible.',
  });
