/** Headless Chromium for the end-to-end tests and tools: which one, started how, on which page. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's and Ubuntu's Chromium, where the machine has one. */
const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for a system Chromium on a machine with no network but loopback (and as root). */
const SYSTEM_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * @sparticuz/chromium's flags for WebGL in a serverless function: GL emulated on the CPU
 * (SwiftShader), which paints every frame at several times the cost of Chromium's own software
 * painting (`--disable-gpu`). The Playground needs no WebGL.
 */
const SWIFTSHADER_ARGS = new Set([
  '--ignore-gpu-blocklist',
  '--in-process-gpu',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
]);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface BrowserChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for error messages and logs. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

/**
 * Which Chromium to drive, without root: `CHROMIUM_PATH` when set, else a system Chromium, else
 * the headless build that `npm install` brings (@sparticuz/chromium, a devDependency; its first use
 * unpacks it into the temp folder, about 2 s). Throws, saying what was tried, when none can run.
 */
export async function chooseBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserChoice> {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit}: no such file`);
    return { executablePath: explicit, args: SYSTEM_CHROMIUM_ARGS, source: 'CHROMIUM_PATH' };
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => existsSync(p));
  if (system) return { executablePath: system, args: SYSTEM_CHROMIUM_ARGS, source: 'system' };
  try {
    const bundled = (await import('@sparticuz/chromium')).default;
    return {
      executablePath: await bundled.executablePath(),
      args: [
        ...bundled.args.filter((arg) => !SWIFTSHADER_ARGS.has(arg)),
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
      source: '@sparticuz/chromium',
    };
  } catch (e) {
    throw new Error(
      `No Chromium to run: CHROMIUM_PATH is not set, ${SYSTEM_CHROMIUM_PATHS.join(' and ')} do not exist, ` +
        `and @sparticuz/chromium (a devDependency: run npm install) failed: ${(e as Error).message}`,
    );
  }
}

/**
 * Launches headless Chromium (see chooseBrowser; playwright-core gives every launch a fresh,
 * temporary user-data dir, removed on close). Throws when none can run: never skip silently.
 */
export async function launchChromium(opts: { slowMo?: number } = {}): Promise<Browser> {
  const choice = await chooseBrowser();
  try {
    return await chromium.launch({
      executablePath: choice.executablePath,
      headless: true,
      args: choice.args,
      slowMo: opts.slowMo,
    });
  } catch (e) {
    throw new Error(
      `Chromium from ${choice.source} (${choice.executablePath}) did not start: ${(e as Error).message}`,
    );
  }
}

export interface OpenPlaygroundOptions {
  viewport?: { width: number; height: number };
  /** Default 30 s: the UI is a 9 MB bundle that takes 5–10 s to start on 2 cores. */
  timeoutMs?: number;
}

/**
 * Opens the playground's UI in a new browser context (en-US, UTC) with every non-loopback request
 * blocked (its fonts and animations come from *.cdn.office.net), and waits until the chat list shows.
 */
export async function openPlayground(
  browser: Browser,
  url: string,
  opts: OpenPlaygroundOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const timeout = opts.timeoutMs ?? 30_000;
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(timeout);
  await context.route(isExternal, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor({ timeout });
  return page;
}

/** A network request that leaves the machine (loopback, data: and blob: URLs stay allowed). */
function isExternal(u: URL): boolean {
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return false;
  return !LOOPBACK_HOSTS.has(u.hostname);
}
