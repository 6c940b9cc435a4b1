import { AdaptiveCard, renderNotification } from '../../../cards';
import type { Claim } from '../../domain/claim';
import type { Money } from '../../domain/money';
import type { Notification } from '../../domain/notification';
import { Texts, texts as textsFor } from '../../i18n/i18n';
import { literal } from './text';

function parseMoney(json: string | undefined): Money | undefined {
  try {
    const m = JSON.parse(json ?? '') as Money;
    return Number.isSafeInteger(m.minor) && typeof m.currency === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

const typeList = (t: Texts, types: string | undefined): string =>
  (types ?? '')
    .split(',')
    .filter(Boolean)
    .map((x) => t.tDynamic(`documentType.${x}`))
    .join(', ');

/** The card a notification arrives as, in the recipient's language. */
export function notificationCard(
  n: Notification,
  claim: Claim,
  locale: string | undefined,
): AdaptiveCard {
  const t = textsFor(locale);
  const d = n.details;
  const facts: { title: string; value: string }[] = [];
  if (d.types) facts.push({ title: t.t('notification.documents'), value: typeList(t, d.types) });
  if (d.due) facts.push({ title: t.t('notification.due'), value: t.date(d.due) });
  const amount = parseMoney(d.amount);
  if (amount) facts.push({ title: t.t('notification.amount'), value: t.money(amount) });
  const approved = parseMoney(d.approved);
  if (approved) facts.push({ title: t.t('notification.approvedAmount'), value: t.money(approved) });
  if (d.days)
    facts.push({ title: t.t('notification.waited'), value: t.t('policy.days', { days: d.days }) });
  if (d.items) facts.push({ title: t.t('notification.items'), value: literal(d.items) });
  if (d.fileName) facts.push({ title: t.t('notification.file'), value: literal(d.fileName) });
  if (d.paymentDate) {
    facts.push({ title: t.t('notification.paymentDate'), value: t.date(d.paymentDate) });
  }
  if (d.paymentReference) {
    facts.push({ title: t.t('notification.paymentReference'), value: literal(d.paymentReference) });
  }
  return renderNotification({
    kindLabel: t.tDynamic(`notification.kind.${n.kind}`),
    heading: t.tDynamic(`notification.heading.${n.kind}`, { from: n.from.name }),
    claim: claim.number,
    claimTitle: claim.title,
    facts,
    note: n.note,
    noteLabel: t.t('notification.note'),
    hint: t.tDynamic(`notification.hint.${n.kind}`),
    openLabel: t.t('notification.open'),
    uploadLabel: t.t('notification.uploadNow'),
    uploadType:
      n.kind === 'uploadRequested' || n.kind === 'uploadReminder'
        ? (d.types ?? '').split(',')[0]
        : '',
  });
}

export function fallbackText(n: Notification, claim: Claim, locale: string | undefined): string {
  const t = textsFor(locale);
  return t.t('notification.fallback', {
    from: n.from.name,
    types: typeList(t, n.details.types),
    claim: claim.number,
  });
}
