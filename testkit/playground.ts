/**
 * End-to-end support: runs the Microsoft 365 Agents Playground (the offline Teams client + Bot Connector
 * emulator of @microsoft/m365agentsplayground) headless against a bot endpoint, and talks to it through
 * its HTTP API and its two WebSockets (transcript and request log).
 *
 * The playground keeps all state in memory: start one per suite, stop it in `after`.
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectLogStream } from './playgroundLog';
import { cachedConfig, playgroundApi, playgroundRequests } from './playgroundHttp';
import { playgroundReading } from './playgroundReading';
import { userActions } from './playgroundSending';
import { connectTranscript } from './playgroundTranscript';
import { ChangeSignal } from './playgroundWaiting';
import {
  CLI,
  REPO_ROOT,
  botIdOf,
  spawnPlayground,
  freeLoopbackPort,
  killChild,
  waitForListening,
} from './playgroundProcess';
import type { Playground, StartPlaygroundOptions } from './playgroundTypes';

export type { Playground, PlaygroundConfig, TranscriptMessage } from './playgroundTypes';

export async function startPlayground(opts: StartPlaygroundOptions): Promise<Playground> {
  if (!existsSync(CLI)) throw new Error(`Agents Playground not installed: ${CLI} missing (npm ci)`);
  const configPath = path.resolve(
    opts.configPath ?? path.join(REPO_ROOT, '.m365agentsplayground.yml'),
  );
  if (!existsSync(configPath)) throw new Error(`Playground config missing: ${configPath}`);
  const logFile =
    opts.logFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'playground-')), 'playground.log');

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? (await freeLoopbackPort());
    const serviceUrl = `http://127.0.0.1:${port}/_connector`;
    const child = spawnPlayground({
      port,
      serviceUrl,
      configPath,
      logFile,
      botEndpoint: opts.botEndpoint,
      channelId: opts.channelId ?? 'msteams',
    });
    try {
      const listening = await waitForListening(child, opts.startTimeoutMs ?? 20_000);
      if (listening !== port) {
        // Someone took the port between our probe and its listen: it picked another one, and the
        // serviceUrl we gave no longer points at it.
        await killChild(child);
        lastError = new Error(`playground listened on ${listening} instead of ${port}`);
        if (opts.port !== undefined) throw lastError;
        continue;
      }
      return await connect({ child, port, configPath, logFile, serviceUrl });
    } catch (e) {
      await killChild(child);
      throw e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('could not start the playground');
}

/** A playground process that listens on `port`, and where it came from. */
interface RunningPlayground {
  child: ChildProcess;
  port: number;
  configPath: string;
  logFile: string;
  serviceUrl: string;
}

/** The client of a started playground: its streams first, then its API. */
async function connect(running: RunningPlayground): Promise<Playground> {
  const { child, port, configPath, logFile, serviceUrl } = running;
  const url = `http://127.0.0.1:${port}`;
  const changes = new ChangeSignal();
  // config() waits for the bot endpoint; the transcript needs the bot id at once: read it from the file.
  const botId = botIdOf(readFileSync(configPath, 'utf8'));

  // Connect both streams first: the playground holds messages until a client connects and then sends
  // them to that first client only.
  const transcriptStream = await connectTranscript(url, changes.notify);
  const logStream = await connectLogStream(url);
  logStream.onEntry(changes.notify);

  const api = playgroundApi(url);
  const requests = playgroundRequests(api);
  return {
    url,
    port,
    configPath,
    logFile,
    serviceUrl,
    stop: stopOnce(child, [transcriptStream, logStream]),
    ...requests,
    ...userActions({
      api,
      requests,
      config: cachedConfig(requests),
      transcript: transcriptStream.transcript,
    }),
    ...playgroundReading({ botId, transcript: transcriptStream.transcript, logStream, changes }),
  };
}

/**
 * Closes the streams and ends the playground: SIGTERM, SIGKILL after 3 s; resolves once it exited.
 * Later calls do nothing.
 */
function stopOnce(child: ChildProcess, streams: { close(): void }[]): () => Promise<void> {
  let stopped = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (stopped) return;
    stopped = true;
    streams.forEach((s) => s.close());
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
}
