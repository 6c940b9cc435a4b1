/** The money rules' adapter tests (issue 32) share these steps, in en-US and nl-NL. */
import assert from 'node:assert/strict';
import { Chat, TeamsUser, Tenant, TurnResult, cardText, press } from '../support/teams';
import { World, WorldOptions, day, grant, seedReady, startWorld } from './world';

/** What the money rules' steps type and read, in each language. */
interface Lang {
  readonly locale: 'en-US' | 'nl-NL';
  /** An amount as typed in the locale, from `1250.5` style text. */
  readonly typed: (amount: string) => string;
  /** A USD amount as the bot shows it. */
  readonly usd: (amount: string) => string;
  readonly labels: Readonly<Record<string, string>>;
  readonly says: Readonly<Record<string, string>>;
}

const grouped = (amount: string, group: string, decimal: string): string => {
  const [whole, cents] = Number(amount).toFixed(2).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)}${decimal}${cents}`;
};

export const LANGS: readonly Lang[] = [
  {
    locale: 'en-US',
    typed: (a) => grouped(a, ',', '.'),
    usd: (a) => `$${grouped(a, ',', '.')}`,
    labels: {
      addFund: 'Add fund',
      name: 'Name',
      allocated: 'Allocated amount',
      currency: 'Currency',
      rate: 'Reimbursement rate (%, empty is 100)',
      cap: 'Cap per claim (optional)',
      start: 'Period start',
      end: 'Period end',
      create: 'Create claim',
      title: 'Title',
      activityType: 'Activity type',
      activityStart: 'Activity start',
      activityEnd: 'Activity end',
      amount: 'Amount',
      approve: 'Approve',
      approvedAmount: 'Approved amount',
      reason: 'Reason for approving less',
      claimedCost: 'Claimed cost',
      reimbursable: 'Reimbursable amount',
      reasonFact: 'Reason for less',
      status: 'Status',
      pending: 'Pending',
      approved: 'Approved',
      remaining: 'Remaining',
    },
    says: {
      terms: '50% reimbursed, at most $400.00 per claim',
      rateOf: '$300.00 (50% of $600.00)',
      capped: "$400.00 (the fund's cap per claim)",
      reasonRequired: 'Reason is required when you approve less than the reimbursable amount.',
      overReimbursable: 'Approved amount cannot be more than the reimbursable amount.',
      rateRange: 'Reimbursement rate must be more than 0 % and at most 100 %.',
      underReview: 'Under review',
      approvedStatus: 'Approved',
    },
  },
  {
    locale: 'nl-NL',
    typed: (a) => grouped(a, '.', ','),
    usd: (a) => `US$\u00a0${grouped(a, '.', ',')}`,
    labels: {
      addFund: 'Fonds toevoegen',
      name: 'Naam',
      allocated: 'Toegewezen bedrag',
      currency: 'Valuta',
      rate: 'Vergoedingspercentage (%, leeg is 100)',
      cap: 'Maximum per claim (optioneel)',
      start: 'Startdatum periode',
      end: 'Einddatum periode',
      create: 'Claim maken',
      title: 'Titel',
      activityType: 'Type activiteit',
      activityStart: 'Startdatum activiteit',
      activityEnd: 'Einddatum activiteit',
      amount: 'Bedrag',
      approve: 'Goedkeuren',
      approvedAmount: 'Goedgekeurd bedrag',
      reason: 'Reden om minder goed te keuren',
      claimedCost: 'Gedeclareerde kosten',
      reimbursable: 'Vergoedbaar bedrag',
      reasonFact: 'Reden voor minder',
      status: 'Status',
      pending: 'In behandeling',
      approved: 'Goedgekeurd',
      remaining: 'Resterend',
    },
    says: {
      terms: '50% vergoed, hoogstens US$\u00a0400,00 per claim',
      rateOf: 'US$\u00a0300,00 (50% van US$\u00a0600,00)',
      capped: 'US$\u00a0400,00 (het maximum per claim van het fonds)',
      reasonRequired: 'Reden is verplicht als je minder goedkeurt dan het vergoedbare bedrag.',
      overReimbursable: 'Goedgekeurd bedrag kan niet hoger zijn dan het vergoedbare bedrag.',
      rateRange: 'Vergoedingspercentage moet meer dan 0 % en hoogstens 100 % zijn.',
      underReview: 'In beoordeling',
      approvedStatus: 'Goedgekeurd',
    },
  },
];

/** A world for one money suite (a bootstrap admin per language's tenant), started before its tests. */
export function moneyWorld(opts: WorldOptions = {}): () => World {
  let w: World | undefined;
  before(async () => {
    w = await startWorld({ bootstrapAdmins: LANGS.length, ...opts });
  });
  after(async () => {
    await w?.stop();
  });
  return () => {
    assert.ok(w, 'the world started');
    return w;
  };
}

/** The people of one tenant, who all write in `lang`'s language. */
export interface MoneyTenant {
  readonly lang: Lang;
  readonly tenant: Tenant;
  readonly admin: TeamsUser;
  readonly olga: TeamsUser;
  readonly rita: TeamsUser;
  readonly pat: TeamsUser;
  readonly group: Chat;
}

export async function moneyTenant(w: World, lang: Lang, admin: string): Promise<MoneyTenant> {
  // Mentions find people by name: each tenant's people have names of their own.
  const code = Math.random().toString(36).slice(2, 8);
  const tenant = w.teams.tenant(`money-${lang.locale}-${code}`);
  const t = {
    lang,
    tenant,
    admin: w.teams.user(tenant, `Ada Admin ${code}`, { aadObjectId: admin }),
    olga: w.teams.user(tenant, `Olga Owner ${code}`),
    rita: w.teams.user(tenant, `Rita Reviewer ${code}`),
    pat: w.teams.user(tenant, `Pat Payer ${code}`),
  };
  const group = w.teams.groupChat(tenant, [t.admin, t.olga, t.rita, t.pat]);
  await grant(w, t.admin, group, t.olga, 'incentives user');
  await grant(w, t.admin, group, t.rita, 'reviewer');
  await grant(w, t.admin, group, t.pat, 'incentives admin');
  return { ...t, group };
}

/** `u` sends `text` in their 1:1 chat, in the tenant's language. */
export const say = (w: World, t: MoneyTenant, u: TeamsUser, text: string): Promise<TurnResult> =>
  w.teams.send(u, u.personal, text, { locale: t.lang.locale });

/** `u` presses `title` on `from` with inputs by label, in the tenant's language. */
export function clickIn(
  w: World,
  t: MoneyTenant,
  u: TeamsUser,
  from: TurnResult,
  title: string,
  inputs: Readonly<Record<string, string>> = {},
): Promise<TurnResult> {
  assert.ok(from.card, `no card to press "${title}" on: ${from.text}`);
  const { verb, data } = press(from.card, title, inputs);
  return w.teams.invoke(u, u.personal, verb, data, from.cardActivityId, {
    locale: t.lang.locale,
  });
}

/** Add fund with these money rules; the answer is the funds card. */
export async function addMoneyFund(
  w: World,
  t: MoneyTenant,
  fields: { name: string; allocated: string; currency?: string; rate?: string; cap?: string },
): Promise<TurnResult> {
  const { labels: l, typed } = t.lang;
  const funds = await say(w, t, t.admin, 'funds');
  return clickIn(w, t, t.admin, funds, l.addFund, {
    [l.name]: fields.name,
    [l.allocated]: typed(fields.allocated),
    [l.currency]: fields.currency ?? 'USD',
    [l.rate]: fields.rate ?? '',
    [l.cap]: fields.cap ? typed(fields.cap) : '',
    [l.start]: day(-180),
    [l.end]: day(180),
  });
}

/** Olga's new claim of `amount` (typed in the locale); its card and number. */
export async function newClaim(
  w: World,
  t: MoneyTenant,
  title: string,
  amount: string,
  extra: Readonly<Record<string, string>> = {},
): Promise<{ card: TurnResult; number: string }> {
  const l = t.lang.labels;
  const form = await say(w, t, t.olga, 'new claim');
  const card = await clickIn(w, t, t.olga, form, l.create, {
    [l.title]: title,
    [l.activityType]: 'webinar',
    [l.activityStart]: day(-20),
    [l.activityEnd]: day(-10),
    [l.amount]: amount,
    ...extra,
  });
  const number = /CLM-\d{4}/.exec(cardText(card.card))?.[0];
  assert.ok(number, `no claim: ${card.text}`);
  return { card, number };
}

/** Documents and a metric filed, then submitted and taken into review by Rita; Rita's card. */
export async function inReview(w: World, t: MoneyTenant, number: string): Promise<TurnResult> {
  await seedReady(w, t.olga, number);
  const submitted = await w.teams.invoke(t.olga, t.olga.personal, 'submit', { claim: number });
  assert.equal(submitted.invokeStatus, 200);
  return w.teams.invoke(t.rita, t.rita.personal, 'startReview', { claim: number }, undefined, {
    locale: t.lang.locale,
  });
}
