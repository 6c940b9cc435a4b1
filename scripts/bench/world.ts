import { randomUUID } from 'node:crypto';
import { Claim, formatClaimNumber } from '../../src/domain/claim';
import { addDays, isoDay } from '../../src/domain/dates';
import { BenchUser, invoke, makeUser, message, personalReference } from './activities';
import { countsBetween, DatabaseCounts } from '../../testkit/countingProxy';
import { Bench, BenchApp } from './env';
import { UNIQUE } from './load';
import { addFund, buildClaim, grant, restoreClaims, storeClaims } from './seed';
import type { TurnAnswer } from './teamsWorker';

/**
 * The tenant the turn measures run in: Incentives users who each own a few claims, one fund, and
 * the activities each user sends for each command.
 */

/** Claims per user still being edited (Add metric cycles over them: at most 50 metrics each). */
export const EDITING_PER_USER = 4;
export const CLAIMS_PER_USER = 6;
/** The claims after those being edited: Comment cycles over them (each with a card posted before). */
const COMMENTED_PER_USER = CLAIMS_PER_USER - EDITING_PER_USER;

export interface Command {
  readonly name: string;
  readonly kind: 'message' | 'invoke';
  readonly app: BenchApp;
  /** The activities user `u` sends for this command, in turn. */
  activities(u: BenchUser): string[];
  /** Text a good answer holds (a failed check breaks the benchmark). */
  readonly expect: (u: BenchUser) => string;
  /** Puts back what the command's turns change, so that every phase measures the same turns. */
  readonly reset?: () => Promise<void>;
  /** Targets of its own (issue 30's Comment turn): p95 at most this many times echo's … */
  readonly maxP95Ratio?: number;
  /** … and at least this share of echo's turns per second, in the same run … */
  readonly minRateShare?: number;
  /**
   * … where "echo" is the echo bot answering these activities (issue 30 measured the Comment, like
   * every turn, against the echo bot answering a message through the connector). Without them the
   * echo bot answers the command's own activities, as for the other turns.
   */
  readonly targetEcho?: (u: BenchUser) => string[];
  /** The command this one repeats on older code (BENCH_BEFORE), for a comparison in the same run. */
  readonly before?: string;
}

export interface TurnsWorld {
  readonly users: readonly BenchUser[];
  readonly commands: readonly Command[];
}

/** Where the turns are measured: the app, the app Create claim runs on, and (older code) before. */
export interface WorldOptions {
  readonly bench: Bench;
  readonly app: BenchApp;
  readonly createApp: BenchApp;
  readonly userCount: number;
  readonly before?: BenchApp;
}

/** User `u`'s `k`th claim number (from 1). */
type ClaimOf = (u: BenchUser, k: number) => string;

/**
 * Seeds `userCount` Incentives users with claims in `app` (and roles and a fund in `createApp`); with
 * `before` (the app of older code), the same claims there too, and the Comment turn on it as well.
 */
export async function buildTurnsWorld(o: WorldOptions): Promise<TurnsWorld> {
  const { users, claimOf, editing } = await seedTurnsTenant(o);
  const form = await createClaimForm(o.bench, o.app, users[0]);
  return { users, commands: turnCommands({ ...o, claimOf, editing, form }) };
}

/** The users, their roles, a fund and their claims, stored; the claims being edited apart. */
async function seedTurnsTenant(o: WorldOptions) {
  const { bench, app, createApp, before } = o;
  const tenantId = randomUUID();
  const users = Array.from({ length: o.userCount }, (_, i) => makeUser(tenantId, `User ${i + 1}`));
  await bench.teams.call('addUsers', [...users]);
  for (const a of before ? [app, createApp, before] : [app, createApp]) {
    await grant(a.db, users, 'incentivesUser');
    await addFund(a.db, tenantId, users[0]);
  }
  const indexOf = new Map(users.map((u, i) => [u.id, i]));
  const claimOf: ClaimOf = (u, k) =>
    formatClaimNumber((indexOf.get(u.id) as number) * CLAIMS_PER_USER + k);
  const seeded = seededClaims(users, bench.serviceUrl);
  await storeClaims(app.db, seeded);
  if (before) await storeClaims(before.db, seeded);
  return { users, claimOf, editing: seeded.filter((c) => c.status === 'editing') };
}

/** Each user's claims: the first `EDITING_PER_USER` being edited, the others with a posted card. */
function seededClaims(users: readonly BenchUser[], s: string): Claim[] {
  const at = new Date().toISOString();
  return users.flatMap((u, i) =>
    Array.from({ length: CLAIMS_PER_USER }, (_, k) => {
      const claim = buildClaim(
        u,
        i * CLAIMS_PER_USER + k + 1,
        k < EDITING_PER_USER ? 'editing' : undefined,
      );
      if (k < EDITING_PER_USER) return claim;
      // The card the bot posted in the owner's 1:1 chat earlier: a Comment brings it up to date.
      const posted = {
        viewerId: u.aadObjectId,
        activityId: `posted-${claim.number}`,
        conversation: personalReference(s, u),
        at,
      };
      return { ...claim, postedCards: [posted] };
    }),
  );
}

/** The card user `u`'s `k`th claim was posted on (the replyToId of its buttons). */
const pressedOn = (u: BenchUser, k: number) => ({ replyToId: `card-${u.aadObjectId}-${k}` });

/** What the commands are built from: the world, and what seeding it gave. */
interface CommandsOptions extends WorldOptions {
  readonly claimOf: ClaimOf;
  /** The claims being edited, as seeded (Add metric puts them back before each phase). */
  readonly editing: readonly Claim[];
  /** The New claim card's form (`createClaimForm`). */
  readonly form: Record<string, unknown>;
}

/** The commands measured, in order (with `before`: the Comment turn on older code too). */
function turnCommands(o: CommandsOptions): Command[] {
  const { app, before, claimOf } = o;
  const s = o.bench.serviceUrl;
  return [
    {
      name: 'claims',
      kind: 'message',
      app,
      activities: (u) => [message(s, u, u.personal, 'claims')],
      expect: (u) => claimOf(u, 1),
    },
    {
      name: 'new claim',
      kind: 'message',
      app,
      activities: (u) => [message(s, u, u.personal, 'new claim')],
      expect: () => '"verb":"createClaim"',
    },
    createClaimCommand(o),
    addMetricCommand(o),
    commentOn(app, s, claimOf),
    ...(before
      ? [{ ...commentOn(before, s, claimOf), name: 'Comment (before)', before: 'Comment' }]
      : []),
    {
      name: 'Submit',
      kind: 'invoke',
      app,
      activities: (u) => [
        invoke(s, u, u.personal, 'submit', { claim: claimOf(u, 1) }, pressedOn(u, 1)),
      ],
      expect: () => 'Before you can submit',
    },
    {
      name: 'Refresh',
      kind: 'invoke',
      app,
      activities: (u) => [
        invoke(
          s,
          u,
          u.personal,
          'refreshClaim',
          { claim: claimOf(u, 1) },
          { ...pressedOn(u, 1), trigger: 'automatic' },
        ),
      ],
      expect: (u) => claimOf(u, 1),
    },
  ];
}

/** Create claim on the New claim card, in an app (database) of its own. */
function createClaimCommand(o: CommandsOptions): Command {
  const s = o.bench.serviceUrl;
  const today = isoDay(new Date());
  return {
    name: 'Create claim',
    kind: 'invoke',
    app: o.createApp,
    activities: (u) => [
      invoke(s, u, u.personal, 'createClaim', {
        ...o.form,
        formId: `bench-${UNIQUE}`,
        title: 'Benchmark webinar',
        activityType: 'webinar',
        activityStart: addDays(today, -30),
        activityEnd: addDays(today, -25),
        amount: '1,234.50',
        description: 'A webinar for partners, created by the benchmark.',
      }),
    ],
    expect: () => '"verb":"refreshClaim"',
  };
}

/** Add metric on the user's claims being edited, in turn; each phase starts from them as seeded. */
function addMetricCommand(o: CommandsOptions): Command {
  const { app, claimOf, editing } = o;
  const s = o.bench.serviceUrl;
  return {
    name: 'Add metric',
    kind: 'invoke',
    app,
    activities: (u) =>
      Array.from({ length: EDITING_PER_USER }, (_, k) =>
        invoke(
          s,
          u,
          u.personal,
          'addMetric',
          { claim: claimOf(u, k + 1), metricName: 'Leads', metricValue: '42' },
          pressedOn(u, k + 1),
        ),
      ),
    expect: () => 'Leads',
    // Else each phase adds to the metrics of the phases before (up to the 50 a claim takes). The
    // app then reads each claim once, as it had before the bench wrote them behind its back: a
    // phase measures the steady state, not a stale version's failed write on every first turn.
    reset: async () => {
      await restoreClaims(app.db, editing);
      for (const c of editing) await app.running.services.claims.get(c.tenantId, c.number);
    },
  };
}

/** Comment on the user's claims after those being edited, each with a card posted before. */
function commentOn(app: BenchApp, s: string, claimOf: ClaimOf) {
  return {
    name: 'Comment',
    kind: 'invoke',
    app,
    activities: (u: BenchUser) =>
      Array.from({ length: COMMENTED_PER_USER }, (_, k) =>
        invoke(
          s,
          u,
          u.personal,
          'comment',
          { claim: claimOf(u, EDITING_PER_USER + k + 1), comment: 'Benchmark comment' },
          pressedOn(u, EDITING_PER_USER + k + 1),
        ),
      ),
    expect: () => 'Benchmark comment',
    maxP95Ratio: 2,
    minRateShare: 0.5,
    targetEcho: (u: BenchUser) => [message(s, u, u.personal, 'Benchmark comment')],
  } as const satisfies Command;
}

/** The data of the New claim card's Create claim button, and its first fund (as a user picks it). */
async function createClaimForm(
  bench: Bench,
  app: BenchApp,
  user: BenchUser,
): Promise<Record<string, unknown>> {
  const answer = await bench.teams.call('turn', {
    url: app.url,
    activity: message(bench.serviceUrl, user, user.personal, 'new claim'),
  });
  const parts = elementsOf(cardsOf(answer)[0]);
  const create = parts.find((p) => p.verb === 'createClaim');
  const fund = parts.find((p) => p.id === 'fundId');
  const formId = (create?.data as { formId?: unknown } | undefined)?.formId;
  const fundId = (fund?.choices as { value?: unknown }[] | undefined)?.[0]?.value;
  if (typeof formId !== 'string' || typeof fundId !== 'string') {
    throw new Error(`new claim: no New claim form in ${JSON.stringify(answer).slice(0, 300)}`);
  }
  return { formId, fundId };
}

type Element = Record<string, unknown>;

/** Every object in a card (elements, inputs, actions), depth first. */
function elementsOf(card: unknown): Element[] {
  if (Array.isArray(card)) return card.flatMap(elementsOf);
  if (!card || typeof card !== 'object') return [];
  return [card as Element, ...Object.values(card).flatMap(elementsOf)];
}

/** The Adaptive Cards of an answer: the invoke's card, or those the bot sent during the turn. */
function cardsOf(answer: TurnAnswer): unknown[] {
  let invoked: unknown;
  try {
    invoked = answer.text ? (JSON.parse(answer.text) as { value?: unknown }).value : undefined;
  } catch {
    invoked = undefined; // not an invoke answer (a timeout, an error page)
  }
  const sent = answer.sent.flatMap((s) =>
    ((s.activity?.attachments ?? []) as { content?: unknown }[]).map((a) => a.content),
  );
  return invoked ? [invoked, ...sent] : sent;
}

export interface ProbedTurn {
  readonly answer: TurnAnswer;
  /** Storage requests until the turn was answered. */
  readonly inTurn: DatabaseCounts;
  /** Storage requests the turn caused after its answer (background work, until idle). */
  readonly after: DatabaseCounts;
}

/** A turn alone may be slow (a large tenant on the emulator): its cost is what is wanted. */
const PROBE_TIMEOUT_MS = 120_000;

/** One turn alone, with the storage requests it made counted; the answer is checked. */
export async function probe(
  bench: Bench,
  app: BenchApp,
  activity: string,
  expect: string,
  name: string,
): Promise<ProbedTurn> {
  const c0 = await bench.counts(app.database);
  const answer = await bench.teams.call('turn', {
    url: app.url,
    activity,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const c1 = await bench.counts(app.database);
  await app.running.notifications.idle();
  const c2 = await bench.counts(app.database);
  const shown = JSON.stringify(cardsOf(answer));
  if (answer.status !== 200 || !shown.includes(expect)) {
    bench.breaks.push(
      `${name}: unexpected answer (HTTP ${answer.status}): ${(shown || answer.text).slice(0, 300)}`,
    );
  }
  return { answer, inTurn: countsBetween(c0, c1), after: countsBetween(c1, c2) };
}
