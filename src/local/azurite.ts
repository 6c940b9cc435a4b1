import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export interface AzuriteHandle {
  connectionString: string;
  blobEndpoint: string;
  stop(): Promise<void>;
}

const ACCOUNT_NAME = 'devstoreaccount1';
// The well-known Azurite development key (public, not a secret).
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 30_000;
const PROBE_INTERVAL_MS = 50;
const STOP_GRACE_MS = 10_000;
const START_ATTEMPTS = 3;
const STDERR_TAIL_CHARS = 2000;

/**
 * Preloaded into the child: when our end of its stdin pipe closes (this process died, even by
 * SIGKILL), Azurite shuts down as on SIGTERM, or simply exits if it is still starting.
 */
const EXIT_WITH_PARENT = `
process.stdin.on('end', () => {
  if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM');
  else process.exit(0);
});
process.stdin.on('error', () => {});
process.stdin.resume();
process.stdin.unref();
`;

interface ServicePorts {
  blob: number;
  queue: number;
  table: number;
}

class PortTakenError extends Error {
  constructor(
    readonly port: number,
    message: string,
  ) {
    super(message);
  }
}

class StartupTimeoutError extends Error {}

/**
 * Starts Azurite (blob, queue and table) as a child process listening on 127.0.0.1 and resolves
 * once all three services answer. dataDir undefined = in memory. blobPort 0/undefined = a free
 * port; the queue and table ports are always chosen free.
 */
export async function startAzurite(
  opts: { dataDir?: string; blobPort?: number } = {},
): Promise<AzuriteHandle> {
  for (let attempt = 1; ; attempt++) {
    const [freeBlobPort, queue, table] = await findFreePorts(3);
    const ports = { blob: opts.blobPort || freeBlobPort, queue, table };
    try {
      return await launch(ports, opts.dataDir);
    } catch (error) {
      // Another process may take a free port between our check and Azurite's listen.
      const portWasOurChoice =
        error instanceof PortTakenError && !(opts.blobPort && error.port === opts.blobPort);
      if (!portWasOurChoice || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

/** Azurite's command line: in this Node.js, on loopback at `ports`, in memory or in `dataDir`. */
function azuriteArgs(ports: ServicePorts, dataDir: string | undefined): string[] {
  const azuriteScript = path.join(
    path.dirname(require.resolve('azurite/package.json')),
    'dist/src/azurite.js',
  );
  return [
    '--import',
    `data:text/javascript,${encodeURIComponent(EXIT_WITH_PARENT)}`,
    azuriteScript,
    '--disableTelemetry',
    '--silent',
    '--loose',
    '--skipApiVersionCheck',
    ...['--blobHost', HOST, '--blobPort', String(ports.blob)],
    ...['--queueHost', HOST, '--queuePort', String(ports.queue)],
    ...['--tableHost', HOST, '--tablePort', String(ports.table)],
    ...(dataDir === undefined ? ['--inMemoryPersistence'] : ['--location', path.resolve(dataDir)]),
  ];
}

async function launch(ports: ServicePorts, dataDir: string | undefined): Promise<AzuriteHandle> {
  const child = spawn(process.execPath, azuriteArgs(ports, dataDir), {
    stdio: ['pipe', 'ignore', 'pipe'],
  });

  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      stderrTail += `\n${error.message}`;
      resolve();
    });
  });
  const killOnParentExit = (): void => {
    child.kill('SIGTERM');
  };
  process.on('exit', killOnParentExit);

  const exitedEarly = exited.then(() => {
    const output = stderrTail.trim();
    const portInUse = /EADDRINUSE[^\n]*:(\d+)/.exec(output);
    const message = `Azurite exited during start-up (${describeExit(child)}): ${output || '(no output)'}`;
    throw portInUse ? new PortTakenError(Number(portInUse[1]), message) : new Error(message);
  });
  const probing = { cancelled: false };
  try {
    await Promise.race([exitedEarly, waitUntilServing(ports, probing)]);
  } catch (caught) {
    const error =
      caught instanceof StartupTimeoutError
        ? new Error(`${caught.message}: ${stderrTail.trim() || '(no output)'}`)
        : caught;
    probing.cancelled = true;
    process.off('exit', killOnParentExit);
    await stopChild(child, exited);
    throw error;
  }

  const blobEndpoint = `http://${HOST}:${ports.blob}/${ACCOUNT_NAME}`;
  const connectionString = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT_NAME}`,
    `AccountKey=${ACCOUNT_KEY}`,
    `BlobEndpoint=${blobEndpoint}`,
    `QueueEndpoint=http://${HOST}:${ports.queue}/${ACCOUNT_NAME}`,
    `TableEndpoint=http://${HOST}:${ports.table}/${ACCOUNT_NAME}`,
    '',
  ].join(';');

  let stopping: Promise<void> | undefined;
  return {
    connectionString,
    blobEndpoint,
    stop() {
      stopping ??= (async () => {
        process.off('exit', killOnParentExit);
        await stopChild(child, exited);
      })();
      return stopping;
    },
  };
}

/** SIGTERM lets Azurite flush its data directory; SIGKILL if it has not exited after a grace time. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const forceKill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(forceKill);
}

function describeExit(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
}

/**
 * Azurite starts blob, then queue, then table; the queue and table ports are always fresh, so once
 * all three answer as Azurite, the blob port is ours too and not another Azurite's.
 */
async function waitUntilServing(
  ports: ServicePorts,
  probing: { cancelled: boolean },
): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  const services: [number, string][] = [
    [ports.blob, 'Azurite-Blob'],
    [ports.queue, 'Azurite-Queue'],
    [ports.table, 'Azurite-Table'],
  ];
  for (const [port, serverName] of services) {
    while (!(await answersAs(port, serverName))) {
      if (probing.cancelled) return;
      if (Date.now() > deadline) {
        throw new StartupTimeoutError(
          `Azurite did not answer on port ${port} within ${STARTUP_TIMEOUT_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  }
}

function answersAs(port: number, serverName: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: HOST, port, path: '/', agent: false, timeout: 1000 },
      (response) => {
        response.resume();
        resolve(String(response.headers.server ?? '').startsWith(serverName));
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Ports free right now; all listened on at once so that none is handed out twice. */
async function findFreePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, HOST, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
