import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { Recorded } from '../../testkit/connector';
import {
  Activity,
  CARD_TYPE,
  Card,
  Chat,
  TeamsClient,
  TeamsUser,
  TurnResult,
  cardText,
  findAction,
  press,
} from '../support/teams';
import { World, WorldOptions, startWorld } from './world';

/** What Teams sends for a file dropped into a 1:1 chat with a bot. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** A World that also knows the app's configuration (blob container, connection string). */
export type ConfiguredWorld = World;

/** Like startWorld, with extra environment for the app (upload limit, download hosts). */
export function startWorldWith(
  env: Record<string, string>,
  opts: Pick<WorldOptions, 'bootstrapAdmins' | 'storage'> = {},
): Promise<ConfiguredWorld> {
  return startWorld({ ...opts, env });
}

// ---- bytes ------------------------------------------------------------------------------------------

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

const withHead = (head: Buffer, size: number): Buffer =>
  Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]).subarray(0, size);

/** A file of exactly `size` bytes that starts like a PDF. */
export const pdfBytes = (size: number): Buffer => withHead(Buffer.from('%PDF-1.7\n%âãÏÓ\n'), size);
export const pngBytes = (size: number): Buffer =>
  withHead(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), size);
/** A Linux executable (ELF header). */
export const elfBytes = (size: number): Buffer =>
  withHead(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), size);

// ---- file messages ----------------------------------------------------------------------------------

export interface SentFile {
  readonly name: string;
  readonly url: string;
}

/** A message with file attachments, as Teams delivers it (file.download.info). */
export function fileMessage(
  teams: TeamsClient,
  user: TeamsUser,
  chat: Chat,
  text: string,
  files: readonly SentFile[],
): Activity {
  return {
    ...teams.message(user, chat, text),
    attachments: files.map((f) => ({
      contentType: FILE_DOWNLOAD_INFO,
      name: f.name,
      contentUrl: `https://contoso-my.sharepoint.com/personal/files/${encodeURIComponent(f.name)}`,
      content: {
        downloadUrl: f.url,
        uniqueId: randomUUID(),
        fileType: f.name.includes('.') ? f.name.split('.').pop() : '',
      },
    })),
  };
}

/** A message with an image pasted into it (inline image attachment). */
export function imageMessage(
  teams: TeamsClient,
  user: TeamsUser,
  chat: Chat,
  text: string,
  image: { name: string; url: string; contentType: string },
): Activity {
  return {
    ...teams.message(user, chat, text),
    attachments: [{ contentType: image.contentType, contentUrl: image.url, name: image.name }],
  };
}

export const sendFiles = (
  teams: TeamsClient,
  user: TeamsUser,
  chat: Chat,
  text: string,
  files: readonly SentFile[],
): Promise<TurnResult> => teams.post(fileMessage(teams, user, chat, text, files));

// ---- blob storage -----------------------------------------------------------------------------------

/** The app's blob container, reached directly with the stack's connection string. */
export function blobContainer(w: ConfiguredWorld): ContainerClient {
  const { storageConnectionString, blobContainer: name } = w.config;
  assert.ok(storageConnectionString, 'the test app has a storage connection string');
  return BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(name);
}

export async function blobNames(w: ConfiguredWorld, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of blobContainer(w).listBlobsFlat({ prefix })) names.push(blob.name);
  return names.sort();
}

// ---- what the claim card shows --------------------------------------------------------------------

export interface ShownDocument {
  /** The document's type. */
  readonly group: string;
  readonly fileName: string;
  readonly explanation: string;
  /** "Name, size" */
  readonly uploaded: string;
  /** Reviewer feedback shown with the document ("Feedback from Name: text"). */
  readonly feedback: readonly string[];
  /** The Open link (Action.OpenUrl). */
  readonly url: string;
}

const isCard = (x: unknown): x is Card => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): Card[] => (Array.isArray(x) ? x.filter(isCard) : []);

function openUrlIn(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const url = openUrlIn(n);
      if (url !== undefined) return url;
    }
    return undefined;
  }
  if (!isCard(node)) return undefined;
  if (node.type === 'Action.OpenUrl') return String(node.url);
  if (node.type === 'Action.ShowCard') return undefined;
  for (const key of ['items', 'columns', 'actions']) {
    const url = openUrlIn(node[key]);
    if (url !== undefined) return url;
  }
  return undefined;
}

/** A document line on a claim card: its type, file name and Open (newest first). */
export interface CardDocument {
  readonly group: string;
  readonly fileName: string;
  /** The Open link (Action.OpenUrl), or empty where Open asks the bot. */
  readonly url: string;
}

/** A TextBlock's text, or a RichTextBlock's runs (user text such as file names is a TextRun). */
const textOf = (b: Card | undefined): string =>
  b?.type === 'RichTextBlock'
    ? list(b.inlines)
        .map((r) => String(r.text ?? ''))
        .join('')
    : String(b?.text ?? '');

/** The documents on a claim card, in the order shown, one line each: type, file name, Open. */
export function shownDocuments(card: Card | undefined): CardDocument[] {
  const found: CardDocument[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isCard(node) || node.id === 'details') return;
    const columns = list(node.columns);
    if (node.type === 'ColumnSet' && columns.length === 3 && openUrlIn(columns[2]) !== undefined) {
      const [type, name] = columns.map((c) => list(c.items)[0]);
      found.push({ group: textOf(type), fileName: textOf(name), url: openUrlIn(node) ?? '' });
      return;
    }
    for (const key of ['body', 'items', 'columns']) visit(node[key]);
  };
  visit(card?.body);
  return found;
}

/** The documents of a Documents list card (documentsPage), each with what the list shows of it. */
export function listedDocuments(card: Card | undefined): ShownDocument[] {
  const found: ShownDocument[] = [];
  for (const c of list(card?.body)) {
    const items = list(c.items);
    if (c.type !== 'Container' || openUrlIn(items) === undefined) continue;
    const runs = (b: Card | undefined): Card[] => list(b?.inlines);
    const [head, ...rest] = items;
    const [name, type] = runs(head);
    // The explanation is plain text; feedback lines are bold.
    const first = rest[0]?.type === 'RichTextBlock' ? runs(rest[0])[0] : undefined;
    const explanation = first?.weight === 'Bolder' ? undefined : first;
    found.push({
      group: String(type?.text ?? '').replace(/^ · /, ''),
      fileName: String(name?.text ?? ''),
      explanation: String(explanation?.text ?? ''),
      uploaded: textOf(rest.find((b) => b.type === 'TextBlock')),
      feedback: rest
        .slice(explanation ? 1 : 0)
        .filter((b) => b.type === 'RichTextBlock')
        .map((b) => String(runs(b)[0]?.text ?? '')),
      url: openUrlIn(items) ?? '',
    });
  }
  return found;
}

/** The Documents list of a claim (its first page), as `user` sees it in `chat`. */
export async function documentsList(
  teams: TeamsClient,
  user: TeamsUser,
  chat: Chat,
  claim: string,
): Promise<ShownDocument[]> {
  const r = await teams.invoke(user, chat, 'documentsPage', { claim, page: '0' });
  assert.equal(r.invokeStatus, 200);
  return listedDocuments(r.card);
}

/** `fileName` in the Documents list of a claim. */
export async function listedDocument(
  teams: TeamsClient,
  user: TeamsUser,
  chat: Chat,
  claim: string,
  fileName: string,
): Promise<ShownDocument> {
  const docs = await documentsList(teams, user, chat, claim);
  const doc = docs.find((d) => d.fileName === fileName);
  assert.ok(doc, `${fileName} is not listed (documents: ${docs.map((d) => d.fileName)})`);
  return doc;
}

export function shownDocument(card: Card | undefined, fileName: string): CardDocument {
  const docs = shownDocuments(card);
  const doc = docs.find((d) => d.fileName === fileName);
  assert.ok(doc, `${fileName} is not on the card (documents: ${docs.map((d) => d.fileName)})`);
  return doc;
}

/**
 * Presses `button` inside the Action.ShowCard titled `showCard` (for ShowCards holding several
 * buttons, such as Manage documents), with its inputs filled by label.
 */
export function pressIn(
  card: Card | undefined,
  showCard: string,
  button: string,
  inputsByLabel: Readonly<Record<string, string>> = {},
): { verb: string; data: Record<string, string> } {
  assert.ok(card, `no card to open "${showCard}" on`);
  const shown = findAction(card, showCard).action;
  assert.equal(shown.type, 'Action.ShowCard', `"${showCard}" is a ShowCard`);
  return press(shown.card as Card, button, inputsByLabel);
}

// ---- what the bot sent ------------------------------------------------------------------------------

/** Text of every card (and text) of a recorded activity. */
export function recordedText(r: Recorded): string {
  const cards = ((r.activity.attachments ?? []) as { contentType: string; content: Card }[])
    .filter((a) => a.contentType === CARD_TYPE)
    .map((a) => cardText(a.content));
  return [r.activity.text ?? '', ...cards].join('\n');
}

/** The card of a recorded activity, if it holds one. */
export function recordedCard(r: Recorded | undefined): Card | undefined {
  const attachments = (r?.activity.attachments ?? []) as { contentType: string; content: Card }[];
  return attachments.find((a) => a.contentType === CARD_TYPE)?.content;
}

/** The text of a message while a slow upload is shown in it. */
export const UPLOADING = /^Uploading .* …/;

/** The one message the bot posted into `chat` in `sent`, and its versions as read, oldest first. */
export function progressMessage(sent: readonly Recorded[], chat: Chat) {
  const here = sent.filter((r) => r.conversationId === chat.id);
  const posted = here.filter((r) => r.op === 'send' || r.op === 'reply');
  assert.equal(posted.length, 1, `one message: ${posted.map(recordedText).join(' | ')}`);
  const [message] = posted;
  const versions = [
    message,
    ...here.filter((r) => r.op === 'update' && r.activityId === message.activityId),
  ];
  const texts = versions.map((v) => recordedText(v).trim());
  return { message, versions, texts, progress: texts.filter((t) => UPLOADING.test(t)) };
}
