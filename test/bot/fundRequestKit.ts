import assert from 'node:assert/strict';
import type { FundRequest, RequestNotice } from '../../src/domain/fundRequest';
import { Chat, TeamsUser, Tenant, TurnResult, cardText } from '../support/teams';
import { World, day } from './world';

/** The New fund request form as the tests fill it in (a fund named `FY27 Co-op` in USD). */
export const REQUEST_FIELDS: Readonly<Record<string, string>> = {
  Activity: 'Autumn security webinar',
  'Activity type': 'Webinar',
  'Planned start': day(10),
  'Planned end': day(12),
  'Planned amount': '2,000.00',
  Fund: 'FY27 Co-op (USD)',
};

/** `new fund request`, then Send request, in the user's 1:1 chat; the answer and the request number. */
export async function requestFunds(
  w: World,
  user: TeamsUser,
  fields: Readonly<Record<string, string>> = {},
): Promise<{ result: TurnResult; number: string }> {
  const form = await w.teams.send(user, user.personal, 'new fund request');
  const result = await w.teams.click(user, user.personal, form, 'Send request', {
    ...REQUEST_FIELDS,
    ...fields,
  });
  const number = /REQ-\d{4}/.exec(cardText(result.card))?.[0];
  assert.ok(number, `no request number on the answer: ${result.text}`);
  return { result, number };
}

/** The request as stored. */
export async function storedRequest(
  w: World,
  tenant: Tenant,
  number: string,
): Promise<FundRequest> {
  const r = await w.app.services.fundRequests.get(tenant.id, number);
  assert.ok(r, `${number} is stored`);
  return r;
}

/** The request's notices to one person. */
export async function noticesTo(
  w: World,
  tenant: Tenant,
  number: string,
  u: TeamsUser,
): Promise<RequestNotice[]> {
  return (await storedRequest(w, tenant, number)).outbox.filter((n) => n.to.id === u.aadObjectId);
}

/** Opens the request in the user's chat and presses `title` on its card. */
export async function pressOnRequest(
  w: World,
  u: TeamsUser,
  chat: Chat,
  number: string,
  title: string,
  inputs: Readonly<Record<string, string>> = {},
): Promise<TurnResult> {
  const shown = await w.teams.send(u, chat, `fund request ${number}`);
  return w.teams.click(u, chat, shown, title, inputs);
}
