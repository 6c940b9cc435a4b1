import http from 'node:http';
import { randomBytes } from 'node:crypto';

/**
 * Posts activities to a bot the way Teams does (one HTTP POST per activity, keep-alive) and times
 * each until its answer has arrived completely.
 */

/** Placeholder in activity templates replaced by a fresh id for every turn. */
export const UNIQUE = '$ID';
/** Teams gives up on (and retries) a turn not answered within 15 s. */
export const TURN_TIMEOUT_MS = 15_000;

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

export interface LoadSpec {
  readonly url: string;
  /** Per virtual user, the activities (JSON with UNIQUE placeholders) it sends in turn, cycled. */
  readonly users: readonly (readonly string[])[];
  readonly concurrency: number;
  readonly durationMs: number;
  /** Turns before this are not timed (warm-up). */
  readonly warmupMs: number;
  /**
   * The timed window stays open past durationMs until this many turns were answered in it (slow
   * turns on a busy machine), up to maxMs.
   */
  readonly minTurns: number;
  readonly maxMs: number;
  /** Invoke answers holding one of these are error cards: a broken turn. */
  readonly errorMarkers: readonly string[];
}

export interface LoadResult {
  /** Latencies of the turns answered within the timed window. */
  readonly latencies: number[];
  /** Every turn answered in the phase, warm-up included. */
  readonly turns: number;
  /** Turns answered within the timed window, per second. */
  readonly turnsPerSecond: number;
  readonly failures: string[];
  /** Turns not answered within TURN_TIMEOUT_MS (Teams would have retried them). */
  readonly timeouts: number;
}

const prefix = randomBytes(3).toString('hex');
let counter = 0;
export const fill = (template: string): string =>
  template.replaceAll(UNIQUE, `${prefix}${(counter++).toString(36)}`);

const agents = new Map<string, http.Agent>();
const agentFor = (url: URL): http.Agent => {
  let agent = agents.get(url.host);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    agents.set(url.host, agent);
  }
  return agent;
};

/**
 * POSTs one activity. A keep-alive socket the server closed while idle fails at once with
 * ECONNRESET before the bot saw anything: that request is sent again on a fresh socket.
 */
export async function post(
  url: string,
  body: string,
  timeoutMs = TURN_TIMEOUT_MS,
): Promise<Answer> {
  const first = await postOnce(url, body, timeoutMs);
  return first.staleSocket ? postOnce(url, body, timeoutMs) : first;
}

function postOnce(
  url: string,
  body: string,
  timeoutMs: number,
): Promise<Answer & { staleSocket?: boolean }> {
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      target,
      {
        method: 'POST',
        agent: agentFor(target),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', (e) =>
          resolve({ status: 0, text: e.message, ms: performance.now() - started }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({
        status: 0,
        text: e.message,
        ms: performance.now() - started,
        staleSocket: req.reusedSocket && e.code === 'ECONNRESET',
      }),
    );
    req.end(body);
  });
}

/** What is wrong with an answer, or undefined when it is a good one. */
/** The texts an answer's card shows, joined: what the user would have read. */
function cardTexts(json: string): string {
  const texts = [...json.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  return texts.join(' | ');
}

function problemWith(
  template: string,
  answer: Answer,
  errorMarkers: readonly string[],
): string | undefined {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.text.slice(0, 160)}`;
  if (template.includes('"type":"invoke"')) {
    if (!answer.text.includes('"statusCode":200')) return `invoke: ${answer.text.slice(0, 160)}`;
    if (errorMarkers.some((m) => answer.text.includes(m))) {
      return `error card: ${cardTexts(answer.text).slice(0, 300)}`;
    }
  }
  return undefined;
}

/** Closed loop: each virtual user sends its next activity as soon as the previous one is answered. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let timeouts = 0;
  let turns = 0;
  const measureFrom = performance.now() + spec.warmupMs;
  const end = measureFrom + spec.durationMs;
  const hardEnd = measureFrom + Math.max(spec.durationMs, spec.maxMs);
  let closedAt: number | undefined;
  const open = (at: number): boolean => {
    if (closedAt !== undefined) return false;
    if (at < end || (latencies.length < spec.minTurns && at < hardEnd)) return true;
    closedAt = at;
    return false;
  };
  const user = async (index: number): Promise<void> => {
    const templates = spec.users[index % spec.users.length];
    for (let turn = index; open(performance.now()); turn++) {
      const template = templates[turn % templates.length];
      const answer = await post(spec.url, fill(template));
      const answeredAt = performance.now();
      turns += 1;
      if (answeredAt >= measureFrom && open(answeredAt)) latencies.push(answer.ms);
      if (answer.status === 0 && answer.text === 'timeout') timeouts += 1;
      else {
        const problem = problemWith(template, answer, spec.errorMarkers);
        if (problem) failures.push(problem);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, (_, i) => user(i)));
  return {
    latencies,
    turns,
    turnsPerSecond: (latencies.length * 1000) / ((closedAt ?? performance.now()) - measureFrom),
    failures,
    timeouts,
  };
}
