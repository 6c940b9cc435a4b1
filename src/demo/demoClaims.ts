import type { ActivityType, DocumentType, MetricKind, PaymentMethod } from '../domain/claim';
import type { Fund } from '../domain/fund';
import { money } from '../domain/money';
import { addDays } from '../domain/dates';
import { DEMO_FUND_ID, DEMO_TENANT_ID, DEMO_USERS } from './seed';

export type FirstName = 'Megan' | 'Adele' | 'Isaiah' | 'Patti' | 'Alex';

/** One thing a demo person did to a claim, `day` days from today (always before today). */
export type Step = { readonly day: number; readonly by?: FirstName } & (
  | {
      readonly kind: 'document';
      readonly type: DocumentType;
      readonly file: string;
      readonly explanation: string;
    }
  | {
      readonly kind: 'metric';
      readonly name: string;
      readonly value: number;
      /** A result (issue 33); money kinds in minor units of the claim's currency. */
      readonly metricKind?: MetricKind;
    }
  /** 1 unit of the claim's currency in the fund's, scaled by 10^6. */
  | { readonly kind: 'exchangeRate'; readonly scaled: number }
  | { readonly kind: 'submit' | 'startReview' }
  | {
      readonly kind: 'approve';
      readonly approvedMinor: number;
      readonly note: string;
      /** Required when less than the reimbursable amount is approved. */
      readonly reason?: string;
    }
  | { readonly kind: 'reject' | 'dispute'; readonly reason: string }
  | {
      readonly kind: 'pay';
      readonly reference: string;
      readonly method: PaymentMethod;
      /** What is still owed when absent. */
      readonly amountMinor?: number;
    }
  | { readonly kind: 'requestInformation'; readonly note: string; readonly feedback: Feedback }
  | ({ readonly kind: 'commentOnItem' } & Feedback)
  | {
      readonly kind: 'requestUpload';
      readonly to: FirstName;
      readonly types: DocumentType[];
      readonly note: string;
    }
);

export interface Feedback {
  readonly file: string;
  readonly text: string;
}

export interface DemoClaim {
  /** Stable across runs: the claim's form id, so that seeding twice creates it once. */
  readonly key: string;
  readonly owner: FirstName;
  readonly fund: 'main' | 'events' | 'half';
  readonly title: string;
  readonly activityType: ActivityType;
  readonly activity: readonly [startDay: number, endDay: number];
  readonly amountMinor: number;
  /** The claim's currency when it is not its fund's (USD). */
  readonly currency?: string;
  readonly description: string;
  readonly createdDay: number;
  readonly steps: readonly Step[];
}

export const DEMO_EVENTS_FUND_ID = 'demo-fund-events';
export const DEMO_HALF_FUND_ID = 'demo-fund-half';

/** The demo fund that pays half of each claim (issue 32's Reimbursement rate). */
export function demoHalfFund(today: string): Fund {
  return {
    ...demoEventsFund(today),
    id: DEMO_HALF_FUND_ID,
    name: 'FY27 Partner marketing (50 %)',
    allocated: money(2_000_000, 'USD'),
    reimbursementRate: 5_000,
  };
}

/** The id of a demo claim's fund. */
export const demoFundId = (fund: DemoClaim['fund']): string =>
  fund === 'main' ? DEMO_FUND_ID : fund === 'events' ? DEMO_EVENTS_FUND_ID : DEMO_HALF_FUND_ID;

/** The demo's second fund, nearly used up by the claims below (the first is seed.ts's). */
export function demoEventsFund(today: string): Fund {
  const megan = DEMO_USERS[0];
  return {
    id: DEMO_EVENTS_FUND_ID,
    tenantId: DEMO_TENANT_ID,
    name: 'FY27 Events fund',
    periodStart: addDays(today, -180),
    periodEnd: addDays(today, 185),
    allocated: money(1_200_000, 'USD'),
    createdBy: { id: megan.id, name: megan.name },
    createdAt: `${addDays(today, -180)}T09:00:00.000Z`,
  };
}

const review = (day: number): Step => ({ day, by: 'Isaiah', kind: 'startReview' });
const documentStep =
  (type: DocumentType) =>
  (day: number, file: string, explanation: string): Step => ({
    day,
    kind: 'document',
    type,
    file,
    explanation,
  });
const invoice = documentStep('invoice');
const poe = documentStep('poe');
const metric = (day: number, name: string, value: number): Step => ({
  day,
  kind: 'metric',
  name,
  value,
});
/** A result the owner reports (after the decision, too: issue 33), for `insights` to show. */
const result = (day: number, metricKind: MetricKind, name: string, value: number): Step => ({
  day,
  kind: 'metric',
  name,
  value,
  metricKind,
});

/**
 * A claim in every status there is, oldest first. Reviews are Isaiah's (the reviewer persona), who
 * has a hand in none of them; the dispute and the recorded payment are Patti's.
 */
export const DEMO_CLAIMS: readonly DemoClaim[] = [
  {
    key: 'summit-booth',
    owner: 'Alex',
    fund: 'events',
    title: 'Booth at Partner Summit Amsterdam',
    activityType: 'event',
    activity: [-75, -73],
    amountMinor: 230_000,
    description: 'Our booth with live Copilot demos.',
    createdDay: -70,
    steps: [
      invoice(-70, 'invoice-summit-booth.pdf', 'Booth space and furniture from Fabrikam Events.'),
      poe(-70, 'agenda-event.pdf', 'The summit programme listing our booth demos.'),
      metric(-70, 'Booth visitors', 340),
      { day: -68, kind: 'submit' },
      review(-60),
      {
        day: -58,
        by: 'Isaiah',
        kind: 'reject',
        reason: 'The distributor already paid this booth: it cannot be claimed twice.',
      },
    ],
  },
  {
    key: 'webinar-series',
    owner: 'Adele',
    fund: 'main',
    title: 'Azure migration webinar series',
    activityType: 'webinar',
    activity: [-50, -44],
    amountMinor: 485_000,
    description: 'Three webinars on moving workloads to Azure.',
    createdDay: -43,
    steps: [
      invoice(
        -43,
        'invoice-webinar-series.pdf',
        'Production of the three sessions by Contoso Media.',
      ),
      poe(-43, 'agenda-webinar.pdf', 'The agenda sent to registrants.'),
      poe(-42, 'webinar-attendance.png', 'Attendance report of the last session.'),
      metric(-42, 'Attendees', 212),
      result(-42, 'leads', 'Leads', 37),
      { day: -40, kind: 'submit' },
      review(-36),
      {
        day: -35,
        by: 'Isaiah',
        kind: 'approve',
        approvedMinor: 450_000,
        note: 'Approved without the catering line ($350.00).',
        reason: 'Catering ($350.00) is not eligible for webinars.',
      },
      result(-20, 'opportunities', 'Opportunities', 9),
      result(-20, 'pipeline', 'Pipeline', 18_500_000),
      {
        day: -20,
        by: 'Patti',
        kind: 'pay',
        reference: 'CM-2026-0031',
        method: 'creditMemo',
        amountMinor: 200_000,
      },
      result(-6, 'revenue', 'Revenue won', 4_200_000),
    ],
  },
  {
    key: 'keynote',
    owner: 'Megan',
    fund: 'events',
    title: 'Partner Summit keynote sponsorship',
    activityType: 'event',
    activity: [-40, -39],
    amountMinor: 390_000,
    description: 'Sponsorship of the opening keynote.',
    createdDay: -37,
    steps: [
      invoice(-37, 'invoice-keynote.pdf', 'Sponsorship package from Fabrikam Events.'),
      poe(-37, 'agenda-event.pdf', 'Programme naming us as keynote sponsor.'),
      metric(-37, 'Attendees', 480),
      { day: -35, kind: 'submit' },
      review(-33),
      { day: -32, by: 'Isaiah', kind: 'approve', approvedMinor: 390_000, note: 'All in order.' },
      {
        day: -20,
        by: 'Patti',
        kind: 'pay',
        reference: 'PAY-2026-0117',
        method: 'bankTransfer',
      },
      result(-12, 'leads', 'Leads', 120),
      result(-12, 'opportunities', 'Opportunities', 18),
      result(-12, 'pipeline', 'Pipeline', 26_000_000),
      result(-5, 'revenue', 'Revenue won', 7_800_000),
    ],
  },
  {
    key: 'linkedin',
    owner: 'Alex',
    fund: 'main',
    title: 'LinkedIn campaign: Copilot for SMB',
    activityType: 'digitalAds',
    activity: [-45, -15],
    amountMinor: 620_000,
    description: 'Sponsored content for small businesses, 30 days.',
    createdDay: -14,
    steps: [
      invoice(-14, 'invoice-linkedin.pdf', 'Media and creative from Northwind Advertising.'),
      poe(-14, 'campaign-results.png', 'Results page of the campaign manager.'),
      metric(-14, 'Impressions', 1_250_000),
      { day: -13, kind: 'submit' },
      review(-10),
      {
        day: -9,
        by: 'Isaiah',
        kind: 'reject',
        reason: 'No clicks among the metrics: the campaign results are not shown.',
      },
      {
        day: -7,
        by: 'Patti',
        kind: 'dispute',
        reason: 'The screenshot shows 18,400 clicks and 212 leads. Please look again.',
      },
    ],
  },
  {
    key: 'training-day',
    owner: 'Adele',
    fund: 'events',
    title: 'Modern Work training day',
    activityType: 'training',
    activity: [-20, -20],
    amountMinor: 315_000,
    description: 'A day of hands-on training for 28 customers.',
    createdDay: -15,
    steps: [
      invoice(-15, 'invoice-training.pdf', 'Trainer, venue and lunch from Tailspin Training.'),
      poe(-15, 'agenda-training.pdf', 'The agenda of the day.'),
      metric(-15, 'Attendees', 28),
      { day: -12, kind: 'submit' },
      review(-11),
      {
        day: -10,
        by: 'Isaiah',
        kind: 'requestInformation',
        note: 'Please add the attendee list.',
        feedback: { file: 'agenda-training.pdf', text: 'The agenda shows no date.' },
      },
    ],
  },
  {
    key: 'security-webinar',
    owner: 'Megan',
    fund: 'events',
    title: 'Security webinar with Contoso Media',
    activityType: 'webinar',
    activity: [-9, -9],
    amountMinor: 440_000,
    description: 'Zero Trust for small businesses, live with Q&A.',
    createdDay: -8,
    steps: [
      invoice(-8, 'invoice-security-webinar.pdf', 'Production and registration page.'),
      poe(-8, 'webinar-attendance.png', 'Attendance report.'),
      metric(-8, 'Registrations', 160),
      metric(-8, 'Attendees', 118),
      { day: -6, kind: 'submit' },
      review(-5),
      {
        day: -4,
        by: 'Isaiah',
        kind: 'commentOnItem',
        file: 'invoice-security-webinar.pdf',
        text: 'The invoice says $4,450.00, the claim $4,400.00: which is right?',
      },
    ],
  },
  {
    key: 'dynamics-webinar',
    owner: 'Adele',
    fund: 'main',
    title: 'Dynamics 365 partner webinar',
    activityType: 'webinar',
    activity: [-5, -5],
    amountMinor: 275_000,
    description: 'Business Central for partners new to Dynamics.',
    createdDay: -4,
    steps: [
      invoice(-4, 'invoice-dynamics-webinar.pdf', 'Production and follow-up mailing.'),
      poe(-4, 'agenda-webinar.pdf', 'The agenda sent to registrants.'),
      poe(-3, 'webinar-attendance.png', 'Attendance report.'),
      metric(-3, 'Attendees', 96),
      result(-3, 'leads', 'Leads', 14),
      { day: -2, kind: 'submit' },
    ],
  },
  {
    key: 'roadshow',
    owner: 'Adele',
    fund: 'main',
    title: 'Partner roadshow Utrecht',
    activityType: 'event',
    // Long ago enough that its submit deadline (45 days after) is 6 days away: "Submit by" is near.
    activity: [-40, -39],
    amountMinor: 180_000,
    currency: 'EUR',
    description: 'Half-day roadshow with two customers on stage.',
    createdDay: -1,
    steps: [
      invoice(-1, 'invoice-roadshow.pdf', 'Venue, catering and signage.'),
      { day: -1, kind: 'exchangeRate', scaled: 1_084_200 },
      // The webinar series' invoice again: both cards flag it as a duplicate ("Also on CLM-…").
      invoice(-1, 'invoice-webinar-series.pdf', 'Signage printed by Contoso Media.'),
      metric(-1, 'Attendees', 85),
      {
        day: -1,
        kind: 'requestUpload',
        to: 'Alex',
        types: ['poe'],
        note: 'Could you send the photos of the booth?',
      },
    ],
  },
  {
    key: 'print-ads',
    owner: 'Alex',
    fund: 'half',
    title: 'Trade magazine print ads',
    activityType: 'digitalAds',
    activity: [-12, -6],
    amountMinor: 180_000,
    description: 'Two half-page ads; the partner marketing fund pays half.',
    createdDay: -2,
    steps: [
      invoice(-2, 'invoice-print-ads.pdf', 'Ad space in two issues.'),
      metric(-2, 'Leads', 21),
    ],
  },
];
