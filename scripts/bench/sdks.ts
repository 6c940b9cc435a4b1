import { Bench } from './env';
import { Contender, Rates, checkPresses, contender, press, rate, slice } from './money';
import { MAIN_JS, allStarted } from './processes';
import { MeasureResult, Row } from './report';
import { perSecond, ratio } from './stats';

/**
 * 13. The two SDKs of the Teams edge (issue 34): the same bot as two processes on the same stack,
 * one with BOT_SDK=botbuilder and one with BOT_SDK=agents, pressed in alternating rounds: `claims`
 * (a message, answered through the connector) and accepted **Approve** presses (an invoke, answered
 * in its HTTP response), each by 10 users at once; the ratio is agents ÷ botbuilder.
 */

const ROUNDS = 2;
const SDKS = ['botbuilder', 'agents'] as const;
type Sdk = (typeof SDKS)[number];
type Turn = 'claims' | 'approve';

/** Both SDKs' bots, started together (quick mode: the bots the sections share). */
function startContenders(bench: Bench, perUser: number): Promise<Contender[]> {
  const shared = { botbuilder: bench.sharedBot('default'), agents: bench.sharedBot('agents') };
  return allStarted(
    SDKS.map(async (sdk) =>
      contender(bench, {
        name: `sdk-${sdk}`,
        mainJs: MAIN_JS,
        perUser,
        env: { BOT_SDK: sdk },
        bot: await shared[sdk],
      }),
    ),
    (c) => c.stop(),
  );
}

export async function measureSdks(bench: Bench): Promise<MeasureResult> {
  // Quick mode: one turn of each kind per user and round.
  const perUser = bench.quick ? ROUNDS : 30;
  const contenders = {} as Record<Sdk, Contender>;
  const rates = {} as Record<Sdk, Record<Turn, Rates>>;
  const started = await startContenders(bench, perUser);
  for (const [i, sdk] of SDKS.entries()) {
    contenders[sdk] = started[i];
    rates[sdk] = {
      claims: { accepted: 0, total: 0, ms: 0 },
      approve: { accepted: 0, total: 0, ms: 0 },
    };
  }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate who goes first, so that neither always meets a warmer machine.
      const order = round % 2 ? [...SDKS].reverse() : SDKS;
      for (const turn of ['claims', 'approve'] as const) {
        for (const sdk of order) {
          const c = contenders[sdk];
          await press(bench, {
            url: c.url,
            lists: slice(turn === 'claims' ? c.claims : c.approves, round),
            accept: turn === 'claims' ? '' : 'Approved',
            into: rates[sdk][turn],
          });
        }
      }
    }
  } finally {
    await Promise.all(SDKS.map((sdk) => contenders[sdk].stop()));
  }
  for (const sdk of SDKS) {
    const claims = rates[sdk].claims;
    if (claims.accepted !== claims.total) {
      const why = `${claims.total - claims.accepted} of ${claims.total} not answered`;
      bench.breaks.push(`sdks (${sdk}) claims: ${why} (first: ${claims.refused})`);
    }
    const label = `sdks (${sdk})`;
    await checkPresses(bench, {
      label,
      contender: contenders[sdk],
      verb: 'approve',
      rates: rates[sdk].approve,
    });
  }
  const rows: Row[] = (['claims', 'approve'] as const).map((turn) => {
    const [bb, agents] = [rate(rates.botbuilder[turn]), rate(rates.agents[turn])];
    return {
      name: `${turn === 'claims' ? '`claims`' : 'Approve, accepted'} on the Agents SDK (10 users at once)`,
      figure: perSecond(agents),
      baseline: `botbuilder ${perSecond(bb)}`,
      ratio: ratio(agents / bb),
      target: '',
    };
  });
  return {
    title: '13. The Teams edge on botbuilder and on the Agents SDK',
    rows,
    details: [
      `The same bot (\`node dist/src/main.js\`) twice on the benchmark's emulators, BOT_SDK=botbuilder ` +
        `and BOT_SDK=agents, each on a tenant of its own seeded alike; 10 owners each send \`claims\` ` +
        `${perUser} times, then 10 reviewers each **Approve** ${perUser} claims under review; every ` +
        `turn awaited before the next, all users at once, in ${ROUNDS} alternating rounds; turns ` +
        'answered (Approve: accepted) per second. The ratio is agents ÷ botbuilder.',
    ],
  };
}
