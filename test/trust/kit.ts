import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Card, Chat, TeamsUser, TurnResult } from '../support/teams';
import { World, WorldOptions, startWorld } from '../bot/world';

/** What Teams sends for a file dropped into a 1:1 chat with a bot. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** A World (see test/bot/world.ts) whose app gets extra environment, e.g. download hosts. */
export function startTrustWorld(
  env: Record<string, string> = {},
  opts: Pick<WorldOptions, 'bootstrapAdmins' | 'storage'> = {},
): Promise<World> {
  return startWorld({ ...opts, env: { ALLOWED_DOWNLOAD_HOSTS: '127.0.0.1', ...env } });
}

/** A small PDF: enough for the content sniffing of the file store. */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/** Serves files on loopback, standing in for SharePoint download URLs. */
export class FileServer {
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FileServer> {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF_BYTES.length });
      res.end(PDF_BYTES);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new FileServer(server, `http://127.0.0.1:${port}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Sends a file in the user's 1:1 chat with `text` (e.g. `CLM-0001 invoice: catering`). */
export function sendFile(
  w: World,
  files: FileServer,
  user: TeamsUser,
  text: string,
  name = 'invoice.pdf',
  opts: { id?: string } = {},
): Promise<TurnResult> {
  const activity = w.teams.message(user, user.personal, text, opts);
  activity.attachments = [
    {
      contentType: FILE_DOWNLOAD_INFO,
      name,
      content: {
        downloadUrl: `${files.url}/${encodeURIComponent(name)}`,
        uniqueId: randomUUID(),
        fileType: 'pdf',
      },
    },
  ];
  return w.teams.post(activity);
}

/** Everything a claim must have to be submitted: an invoice, a PoE (with explanations), a metric. */
export async function makeSubmittable(
  w: World,
  files: FileServer,
  user: TeamsUser,
  number: string,
): Promise<void> {
  const invoice = await sendFile(w, files, user, `${number} invoice: the agency invoice`);
  assert.match(invoice.text, /added/i, invoice.text);
  const poe = await sendFile(w, files, user, `${number} poe: photos of the event`, 'poe.pdf');
  assert.match(poe.text, /added/i, poe.text);
  const metric = await w.teams.invoke(user, user.personal, 'addMetric', {
    claim: number,
    metricName: 'Attendees',
    metricValue: '120',
  });
  assert.equal(metric.invokeStatus, 200);
}

/** Submits the claim through its card's button; asserts it worked. */
export async function submitClaim(w: World, user: TeamsUser, number: string): Promise<void> {
  const r = await w.teams.invoke(user, user.personal, 'submit', { claim: number });
  assert.match(r.text, /Submitted/, r.text);
}

/** `request @who invoice for CLM-… note` in a group chat of the requester and the colleague. */
export async function requestUploadFrom(
  w: World,
  requester: TeamsUser,
  chat: Chat,
  who: TeamsUser,
  number: string,
): Promise<TurnResult> {
  const r = await w.teams.send(
    requester,
    chat,
    `request <at>${who.name}</at> invoice for ${number}`,
  );
  assert.equal(r.status, 200);
  return r;
}

/** The stored claim as a plain JSON value (what "nothing changed" compares). */
export const snapshot = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/** Every string in a card or activity, for leak checks (not only what cardText shows). */
export function allStrings(value: unknown): string {
  const out: string[] = [];
  JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'string') out.push(v);
    return v;
  });
  return out.join('\n');
}

/**
 * Every string a turn produced: HTTP body, invoke card and every activity sent during it — except
 * into the personal chats of `owners`, the people the data belongs to, whose posted cards are kept
 * up to date in the background and may be updated during anyone's turn.
 */
export function everythingIn(r: TurnResult, owners: readonly TeamsUser[] = []): string {
  const theirs = new Set(owners.map((u) => u.personal.id));
  return [
    allStrings(r.body),
    ...r.sent.filter((s) => !theirs.has(s.conversationId)).map((s) => allStrings(s.activity)),
  ].join('\n');
}

/** The text of every element that Teams renders as markdown: TextBlock text and FactSet values. */
export function markdownTexts(card: Card | undefined): string[] {
  const out: string[] = [];
  const go = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(go);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock' && typeof n.text === 'string') out.push(n.text);
    if (n.type === 'FactSet' && Array.isArray(n.facts)) {
      for (const f of n.facts as { value?: unknown }[]) {
        if (typeof f.value === 'string') out.push(f.value);
      }
    }
    for (const v of Object.values(n)) go(v);
  };
  go(card);
  return out;
}
