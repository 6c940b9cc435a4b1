import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Claim } from '../../src/domain/claim';
import { invoke, makeUser, message } from './activities';
import { Bench } from './env';
import { BotProcess, MAIN_JS, allStarted, startBot } from './processes';
import { MeasureResult, Row } from './report';
import { addFund, buildClaim, grant, storeClaims } from './seed';
import { texts } from '../../src/i18n/i18n';
import { cosmosRepositories } from '../../src/store/cosmosRepositories';
import type { CosmosDb } from '../../src/store/cosmos';
import { perSecond, ratio } from './stats';

/**
 * 11. Money turns: accepted **Submit claim** and **Approve** presses, each on a claim of its own (a
 * repeated press would be refused, and cost less), by 10 users at once. Submit reserves the claimed
 * amount on the fund and Approve converts it (issue 14). With BENCH_BEFORE naming a built checkout
 * of the code before that change, both run side by side, each as a process of its own on the same
 * stack, in alternating rounds; the echo bot's rate in the same run is the baseline either way.
 */

const USERS = 10;
const ROUNDS = 2;
const TURN_TIMEOUT_MS = 15_000;
const READY_MS = 60_000;
/** Issue 14: Submit and Approve keep at least this share of their rates before reservations. */
const MIN_SHARE_OF_BEFORE = 0.9;
/** Issue 31: Approve with an approval policy in force keeps this share of its rate without one. */
const MIN_SHARE_WITHOUT_POLICY = 0.9;
/** Above every bench claim: the policy is read and applied, and every Approve still decides. */
const FAR_ABOVE = 1_000_000_00;

export interface Rates {
  accepted: number;
  total: number;
  ms: number;
  /**
   * Answered "still working" (the bot's answer to a card action that takes longer than Teams waits
   * on a busy machine): not counted as accepted; the claim must still reach its status (`settle`).
   */
  late?: number;
  /** The first answer that was not accepted (status and the start of its text), to say why. */
  refused?: string;
}

/** The bot of one code base as a process of its own, its tenant seeded, and what its users press. */
export interface Contender {
  readonly name: string;
  readonly url: string;
  readonly submits: readonly (readonly string[])[];
  readonly approves: readonly (readonly string[])[];
  /** Each owner's `claims` messages, as many as their claims to submit. */
  readonly claims: readonly (readonly string[])[];
  readonly rates: Record<'submit' | 'approve', Rates>;
  /** The claims pressed with `verb` that are not (yet) in the status the press leads to. */
  unsettled(verb: 'submit' | 'approve'): Promise<readonly string[]>;
  stop(): Promise<void>;
}

/** What a card action answers when it takes longer than Teams waits (upload.stillWorking). */
const STILL_WORKING = texts('en-US').t('upload.stillWorking');
const SETTLE_WITHIN_MS = 60_000;

/**
 * Every press answered, each accepted or "still working"; the late ones must reach their status
 * within a minute. Anything else is a break of the benchmark (a refused or lost press).
 */
export async function checkPresses(
  bench: Bench,
  o: { label: string; contender: Contender; verb: 'submit' | 'approve'; rates: Rates },
): Promise<void> {
  const { accepted, total, late = 0, refused } = o.rates;
  if (accepted + late !== total) {
    const why = `${total - accepted - late} of ${total} not accepted (first: ${refused})`;
    bench.breaks.push(`${o.label} ${o.verb}: ${why}`);
    return;
  }
  if (late === 0) return;
  const until = Date.now() + SETTLE_WITHIN_MS;
  let left = await o.contender.unsettled(o.verb);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    left = await o.contender.unsettled(o.verb);
  }
  if (left.length > 0) {
    bench.breaks.push(
      `${o.label} ${o.verb}: ${late} answered late, ${left.length} never done (${left.slice(0, 3).join(', ')})`,
    );
  }
}

const amountText = (c: Claim): string => (c.amount.minor / 100).toFixed(2);

/** A policy in force: Second approval above and every reviewer's limit, in USD. */
async function putPolicy(
  db: CosmosDb,
  tenantId: string,
  reviewers: readonly { aadObjectId: string }[],
) {
  const at = new Date().toISOString();
  await cosmosRepositories(db).policy.change(tenantId, (record) => ({
    record: {
      ...record,
      policy: {
        ...record.policy,
        secondApprovalAbove: { USD: FAR_ABOVE },
        limits: Object.fromEntries(reviewers.map((r) => [r.aadObjectId, { USD: FAR_ABOVE }])),
      },
    },
    changes: [
      {
        by: { id: 'bench', name: 'bench' },
        at,
        rule: 'secondApprovalAbove',
        currency: 'USD',
        to: FAR_ABOVE,
      },
    ],
  }));
}

export async function contender(
  bench: Bench,
  o: {
    name: string;
    mainJs: string;
    perUser: number;
    policy?: boolean;
    env?: Record<string, string>;
    /** A bot already running (quick mode: the one the sections share), left running. */
    bot?: BotProcess;
  },
): Promise<Contender> {
  const bot =
    o.bot ?? (await startBot([o.mainJs], bench.env(`bench-money-${o.name}`, o.env), READY_MS));
  const db = await bench.db(bot.database);
  const tenantId = randomUUID();
  const owners = Array.from({ length: USERS }, (_, i) => makeUser(tenantId, `Owner ${i + 1}`));
  const reviewers = Array.from({ length: USERS }, (_, i) =>
    makeUser(tenantId, `Reviewer ${i + 1}`),
  );
  await bench.teams.call('addUsers', [...owners, ...reviewers]);
  await grant(db, owners, 'incentivesUser');
  await grant(db, reviewers, 'reviewer');
  await addFund(db, tenantId, owners[0]);
  if (o.policy) await putPolicy(db, tenantId, reviewers);
  // Per owner: claims ready to submit (an ended activity, every document), then claims under review.
  const ready: Claim[][] = owners.map(() => []);
  const inReview: Claim[][] = owners.map(() => []);
  let seq = 0;
  for (let k = 0; k < o.perUser; k++) {
    owners.forEach((owner, u) => {
      const built = buildClaim(owner, ++seq, 'submitted');
      ready[u].push({ ...built, status: 'editing', submittedAt: undefined });
    });
  }
  for (let k = 0; k < o.perUser; k++) {
    owners.forEach((owner, u) => inReview[u].push(buildClaim(owner, ++seq, 'underReview')));
  }
  await storeClaims(
    db,
    [...ready.flat(), ...inReview.flat()].sort((a, b) => a.seq - b.seq),
  );
  const repositories = cosmosRepositories(db);
  const s = bench.serviceUrl;
  return {
    name: o.name,
    url: `${bot.url}/api/messages`,
    submits: owners.map((owner, u) =>
      ready[u].map((c) => invoke(s, owner, owner.personal, 'submit', { claim: c.number })),
    ),
    approves: reviewers.map((reviewer, u) =>
      inReview[u].map((c) =>
        invoke(s, reviewer, reviewer.personal, 'approve', {
          claim: c.number,
          approvedAmount: amountText(c),
          approveNote: 'Checked against the invoice.',
        }),
      ),
    ),
    claims: owners.map((owner) => ready[0].map(() => message(s, owner, owner.personal, 'claims'))),
    rates: { submit: { accepted: 0, total: 0, ms: 0 }, approve: { accepted: 0, total: 0, ms: 0 } },
    unsettled: async (verb) => {
      const pressed = verb === 'submit' ? ready : inReview;
      const wanted = verb === 'submit' ? 'submitted' : 'approved';
      const stored = await Promise.all(
        pressed.flat().map((c) => repositories.claims.get(tenantId, c.number)),
      );
      return stored.filter((c) => c?.status !== wanted).map((c) => c?.number ?? '?');
    },
    stop: () => (o.bot ? Promise.resolve() : bot.child.stop()),
  };
}

/** Every user presses through their part of their list, all users at once; adds to `into`. */
export async function press(
  bench: Bench,
  o: { url: string; lists: readonly (readonly string[])[]; accept: string; into: Rates },
): Promise<void> {
  const started = performance.now();
  await Promise.all(
    o.lists.map(async (list) => {
      for (const activity of list) {
        const answer = await bench.teams.call('turn', {
          url: o.url,
          activity,
          timeoutMs: TURN_TIMEOUT_MS,
        });
        o.into.total += 1;
        if (answer.status === 200 && answer.text.includes(o.accept)) o.into.accepted += 1;
        else if (answer.status === 200 && answer.text.includes(STILL_WORKING)) {
          o.into.late = (o.into.late ?? 0) + 1;
        } else o.into.refused ??= `${answer.status}: ${answer.text.slice(0, 300)}`;
      }
    }),
  );
  o.into.ms += performance.now() - started;
}

export const rate = (r: Rates): number => (r.accepted * 1000) / r.ms;
/** Round `round` of `rounds`: that slice of each user's list. */
export const slice = (lists: readonly (readonly string[])[], round: number) =>
  lists.map((l) => l.slice((round * l.length) / ROUNDS, ((round + 1) * l.length) / ROUNDS));

/** Now, with a policy and (BENCH_BEFORE) before, started together (quick mode: on the shared bot). */
async function startContenders(
  bench: Bench,
  perUser: number,
  beforeDir: string | undefined,
): Promise<Contender[]> {
  const bot = await bench.sharedBot('default');
  return allStarted(
    [
      contender(bench, { name: 'now', mainJs: MAIN_JS, perUser, bot }),
      contender(bench, { name: 'policy', mainJs: MAIN_JS, perUser, policy: true, bot }),
      ...(beforeDir
        ? [
            contender(bench, {
              name: 'before',
              mainJs: path.resolve(beforeDir, 'dist', 'src', 'main.js'),
              perUser,
            }),
          ]
        : []),
    ],
    (c) => c.stop(),
  );
}

export async function measureMoney(bench: Bench): Promise<MeasureResult> {
  // Quick mode: one press per user and round.
  const perUser = bench.quick ? ROUNDS : 30;
  const beforeDir = process.env.BENCH_BEFORE;
  const contenders = await startContenders(bench, perUser, beforeDir);
  const echo: Rates = { accepted: 0, total: 0, ms: 0 };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      await pressRound(bench, { contenders, echo, round });
    }
  } finally {
    await Promise.all(contenders.map((c) => c.stop()));
  }
  for (const c of contenders) {
    for (const verb of ['submit', 'approve'] as const) {
      if (verb === 'submit' && c.name === 'policy') continue;
      await checkPresses(bench, {
        label: `money (${c.name})`,
        contender: c,
        verb,
        rates: c.rates[verb],
      });
    }
  }
  return {
    title: '11. Money turns (Submit and Approve accepted)',
    rows: moneyRows(contenders, echo),
    details: moneyDetails({ perUser, beforeDir, before: contenders[2] }),
  };
}

/** One round: the echo bot, then Submit by each contender, then Approve by each. */
async function pressRound(
  bench: Bench,
  o: { contenders: readonly Contender[]; echo: Rates; round: number },
): Promise<void> {
  const { contenders, round } = o;
  // Alternate who goes first, so that neither always meets a warmer machine.
  const order = round % 2 ? [...contenders].reverse() : contenders;
  await press(bench, {
    url: bench.echoUrl,
    lists: slice(contenders[0].submits, round),
    accept: '',
    into: o.echo,
  });
  for (const verb of ['submit', 'approve'] as const) {
    for (const c of order) {
      // The policy run is there for Approve alone.
      if (verb === 'submit' && c.name === 'policy') continue;
      await press(bench, {
        url: c.url,
        lists: slice(verb === 'submit' ? c.submits : c.approves, round),
        accept: verb === 'submit' ? 'Submitted.' : 'Approved',
        into: c.rates[verb],
      });
    }
  }
}

/** Submit and Approve against before (or echo), then Approve with a policy against without. */
function moneyRows(contenders: readonly Contender[], echo: Rates): Row[] {
  const [now, withPolicy, before] = contenders;
  const rows: Row[] = (['submit', 'approve'] as const).map((verb) => {
    const label = verb === 'submit' ? 'Submit claim' : 'Approve';
    const share = before ? rate(now.rates[verb]) / rate(before.rates[verb]) : undefined;
    return {
      name: `${label}, accepted (${USERS} users at once)`,
      figure: perSecond(rate(now.rates[verb])),
      baseline: before
        ? `before ${perSecond(rate(before.rates[verb]))}, echo ${perSecond(rate(echo))}`
        : `echo ${perSecond(rate(echo))}`,
      ratio: ratio(share ?? rate(now.rates[verb]) / rate(echo)),
      target: before ? `≥ ${MIN_SHARE_OF_BEFORE}× before` : '',
      ...(share !== undefined ? { pass: share >= MIN_SHARE_OF_BEFORE } : {}),
    };
  });
  const policyShare = rate(withPolicy.rates.approve) / rate(now.rates.approve);
  rows.push({
    name: `Approve with an approval policy in force (${USERS} users at once)`,
    figure: perSecond(rate(withPolicy.rates.approve)),
    baseline: `without ${perSecond(rate(now.rates.approve))}`,
    ratio: ratio(policyShare),
    target: `≥ ${MIN_SHARE_WITHOUT_POLICY}× without`,
    pass: policyShare >= MIN_SHARE_WITHOUT_POLICY,
  });
  return rows;
}

function moneyDetails(o: {
  perUser: number;
  beforeDir: string | undefined;
  before: Contender | undefined;
}): string[] {
  const { perUser, beforeDir, before } = o;
  return [
    `${USERS} owners each press **Submit claim** on ${perUser} claims of their own that are ready ` +
      `(activity ended, invoice, PoE and metric), then ${USERS} reviewers each **Approve** ` +
      `${perUser} claims under review; every press awaited before the next, all users at once, ` +
      `in ${ROUNDS} rounds; accepted turns per second. The bot runs as its own process ` +
      "(`node dist/src/main.js`) on the benchmark's emulators. " +
      (before
        ? `"before" is \`${beforeDir}\`, the code before fund reservations and four eyes, run the ` +
          'same way in alternating rounds; the ratio is now ÷ before.'
        : 'Set BENCH_BEFORE to a built checkout of older code to compare with it; the ratio is ' +
          'to the echo bot.') +
      ' "With an approval policy in force" is the same bot on a tenant of its own whose policy ' +
      "sets Second approval above and every reviewer's limit (above the claims, so each Approve " +
      'still decides), pressed in the same rounds; its ratio is with ÷ without.',
  ];
}
