import { AdaptiveCard, Notice, renderNotice, renderPolicy } from '../../../cards';
import { AppError } from '../../domain/errors';
import { formatAmountInput, money } from '../../domain/money';
import {
  PolicyChange,
  PolicyRecord,
  authorizePolicy,
  editPolicy,
  secondAboveField,
} from '../../domain/policy';
import type { Actor } from '../../domain/roles';
import { Texts, texts as textsFor } from '../../i18n/i18n';
import { loadMember } from '../actor';
import { errorNotice } from '../errors';
import { CardData, stringField } from '../handlers';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';

/** The newest changes the card lists (the record keeps more); its lines are TextRuns, never markdown. */
const CHANGES_SHOWN = 10;

const amountOrNone = (t: Texts, minor: number | undefined, currency: string): string =>
  minor === undefined ? t.t('policy.none') : t.money(money(minor, currency));

function changeValue(t: Texts, c: PolicyChange, value: number | undefined): string {
  if (c.rule === 'reviewWithinDays') {
    return value === undefined ? t.t('policy.none') : t.t('policy.days', { days: value });
  }
  return amountOrNone(t, value, c.currency ?? '');
}

function ruleName(t: Texts, c: PolicyChange): string {
  if (c.rule === 'reviewWithinDays') return t.t('policy.reviewWithin');
  if (c.rule === 'secondApprovalAbove') {
    return t.t('policy.secondApprovalAbove', { currency: c.currency ?? '' });
  }
  return t.t('policy.limitRule', { name: c.reviewer?.name ?? '', currency: c.currency ?? '' });
}

/** One change as a line: when, who, which rule, old → new. */
export const changeLine = (t: Texts, c: PolicyChange): string =>
  t.t('policy.changeLine', {
    when: t.dateTime(c.at),
    who: c.by.name,
    rule: ruleName(t, c),
    from: changeValue(t, c, c.from),
    to: changeValue(t, c, c.to),
  });

/** The currencies the policy card offers: those of the tenant's funds and of rules already set. */
async function currenciesOf(services: Services, tenantId: string, record: PolicyRecord) {
  const funds = await services.funds.list(tenantId);
  const all = [
    ...funds.map((f) => f.allocated.currency),
    ...Object.keys(record.policy.secondApprovalAbove),
  ];
  return [...new Set(all)].sort();
}

async function limitLines(services: Services, t: Texts, tenantId: string, record: PolicyRecord) {
  const reviewers = await services.users.withRole(tenantId, 'reviewer');
  return reviewers.flatMap((u) =>
    Object.entries(record.policy.limits[u.id] ?? {}).map(([currency, minor]) =>
      t.t('policy.limitLine', { name: u.name, amount: t.money(money(minor, currency)) }),
    ),
  );
}

async function policyCard(
  turn: Turn,
  services: Services,
  record: PolicyRecord,
  notice: Notice | null,
): Promise<AdaptiveCard> {
  const t = turn.texts;
  const [currencies, limits] = await Promise.all([
    currenciesOf(services, turn.tenantId, record),
    limitLines(services, t, turn.tenantId, record),
  ]);
  const above = record.policy.secondApprovalAbove;
  return renderPolicy({
    t: t.messages.policy,
    notice,
    rules: [
      ...currencies.map((currency) => ({
        title: t.t('policy.secondApprovalAbove', { currency }),
        value: amountOrNone(t, above[currency], currency),
      })),
      {
        title: t.t('policy.reviewWithin'),
        value: t.t('policy.days', { days: record.policy.reviewWithinDays }),
      },
    ],
    limits,
    changes: record.changes
      .slice(-CHANGES_SHOWN)
      .reverse()
      .map((c) => changeLine(t, c)),
    amounts: currencies.map((currency) => ({
      id: secondAboveField(currency),
      label: t.t('policy.secondApprovalAbove', { currency }),
      value:
        above[currency] === undefined
          ? ''
          : formatAmountInput(money(above[currency], currency), t.locale),
    })),
    reviewWithinDays: record.policy.reviewWithinDays,
  });
}

/** `policy` (Incentives admins): the tenant's approval rules on one card, editable there. */
export async function showPolicy(
  turn: Turn,
  services: Services,
  notice: Notice | null = null,
): Promise<Reply> {
  const actor = await loadMember(turn, services);
  authorizePolicy(actor);
  const record = await services.policy.get(turn.tenantId);
  return cardReply(await policyCard(turn, services, record, notice));
}

/** Save policy: the changed rules apply at once, are history of the tenant, and are announced. */
export async function savePolicy(turn: Turn, services: Services, data: CardData): Promise<Reply> {
  const actor = await loadMember(turn, services);
  authorizePolicy(actor);
  const current = await services.policy.get(turn.tenantId);
  const currencies = await currenciesOf(services, turn.tenantId, current);
  const input = {
    secondApprovalAbove: Object.fromEntries(
      currencies.map((c) => [c, (stringField(data, secondAboveField(c)) ?? '').slice(0, 40)]),
    ),
    reviewWithinDays: String(data.reviewWithinDays ?? '').slice(0, 10),
  };
  let changes: readonly PolicyChange[] = [];
  try {
    const saved = await services.policy.change(turn.tenantId, (record) => {
      const edited = editPolicy(record, actor, input, turn.texts.locale, turn.now.toISOString());
      changes = edited.changes;
      return edited;
    });
    if (!changes.length) {
      return cardReply(await policyCard(turn, services, saved, notice(turn, 'policy.unchanged')));
    }
    await announcePolicy(services, actor, changes);
    return cardReply(await policyCard(turn, services, saved, notice(turn, 'policy.saved')));
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'INVALID_INPUT') throw e;
    return cardReply(await policyCard(turn, services, current, errorNotice(e, turn.texts)));
  }
}

const notice = (turn: Turn, key: 'policy.saved' | 'policy.unchanged'): Notice => ({
  style: 'good',
  text: turn.texts.t(key),
  items: [],
});

/** Four eyes on the rules: every other Incentives admin hears of a change, in their own language. */
async function announcePolicy(
  services: Services,
  actor: Actor,
  changes: readonly PolicyChange[],
): Promise<void> {
  const tenantId = actor.tenantId;
  const [incentives, global] = await Promise.all([
    services.users.withRole(tenantId, 'incentivesAdmin'),
    services.users.withRole(tenantId, 'globalAdmin'),
  ]);
  const others = [...new Map([...incentives, ...global].map((u) => [u.id, u])).values()].filter(
    (u) => u.id !== actor.userId,
  );
  await Promise.all(
    others.map(async (u) => {
      const conversation = await services.conversations.get(tenantId, u.id);
      const t = textsFor(conversation?.locale);
      const card = renderNotice({
        style: 'accent',
        title: t.t('policy.announced', { name: actor.name }),
        text: t.t('policy.announcedText'),
        items: changes.map((c) => changeLine(t, c)),
        claim: '',
        openLabel: '',
      });
      await services.notifications.sendPrivately(tenantId, u, card);
    }),
  );
}
