import { Claim, DOCUMENT_TYPES, DocumentType, requestUploads } from '../../domain/claim';
import { AppError, invalidInput } from '../../domain/errors';
import type { Recipient } from '../../domain/notification';
import type { Actor } from '../../domain/roles';
import type { Texts } from '../../i18n/i18n';
import { errorNotice } from '../errors';
import { CardData, stringField } from '../handlers';
import { LIMITS, cleanText } from '../../domain/text';
import { loadActor } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';
import { announce } from './claimChange';
import { claimCardReply, confirmation } from './claimCards';
import { claimNumberFrom, visibleClaim } from './claimAccess';

/** Words users type for document types (English and Dutch), to the type. */
const TYPE_WORDS: Readonly<Record<string, DocumentType>> = {
  invoice: 'invoice',
  invoices: 'invoice',
  factuur: 'invoice',
  facturen: 'invoice',
  csr: 'csr',
  csrs: 'csr',
  poe: 'poe',
  proof: 'poe',
  'proof of execution': 'poe',
  'bewijs van uitvoering': 'poe',
  other: 'other',
  overig: 'other',
  ander: 'other',
};

/** `invoice, poe` → [invoice, poe]; nothing → the core documents (invoice and PoE). */
export function parseDocumentTypes(text: string): DocumentType[] {
  const words = text
    .toLowerCase()
    .replace(/proof of execution|bewijs van uitvoering/g, (m) => m.replace(/ /g, '_'))
    .split(/[\s,;/&+]+|\band\b|\ben\b/)
    .map((w) => w.replace(/_/g, ' ').trim())
    .filter(Boolean);
  const types = new Set<DocumentType>();
  for (const w of words) {
    const type = TYPE_WORDS[w];
    if (!type)
      throw new AppError('INVALID_INPUT', {}, [{ field: 'documentType', problem: 'invalid' }]);
    types.add(type);
  }
  return types.size ? DOCUMENT_TYPES.filter((t) => types.has(t)) : ['invoice', 'poe'];
}

/**
 * `request @Name [types] for CLM-0042 [note]`: every mentioned colleague becomes a contributor of
 * this claim and gets the request in their 1:1 chat with the bot.
 */
export async function requestUpload(
  turn: Turn,
  services: Services,
  args: { typesText: string; numberText: string; note: string },
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const number = claimNumberFrom(args.numberText);
  await visibleClaim(services, actor, number);
  // In a 1:1 chat Teams resolves no colleague from "@Name": say what works instead.
  const personal = turn.scope === 'personal';
  if (!turn.mentions.length && personal) throw new AppError('MENTION_NOT_IN_CHAT', { number });
  if (!turn.mentions.length) throw invalidInput([{ field: 'colleague', problem: 'required' }]);
  const types = parseDocumentTypes(args.typesText);
  const to: Recipient[] = [];
  for (const m of turn.mentions) {
    const person = await turn.resolveMember(m.id);
    if (!person)
      throw new AppError(personal ? 'MENTION_NOT_IN_CHAT' : 'USER_NOT_FOUND', { number });
    to.push({ ...person, channelUserId: m.id });
  }
  await sendRequests(turn, services, actor, number, { to, types, note: args.note });
  return requestConfirmation(turn, to, types, number, turn.scope === 'personal' ? number : '');
}

/** Request upload on the claim card: colleagues from the people picker (Entra object ids). */
export async function requestUploadFromCard(
  turn: Turn,
  services: Services,
  data: CardData,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const number = claimNumberFrom(data.claim);
  const claim = await visibleClaim(services, actor, number);
  const ids = (stringField(data, 'colleagues') ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => GUID.test(x))
    .slice(0, MAX_COLLEAGUES);
  try {
    if (!ids.length) throw invalidInput([{ field: 'colleague', problem: 'required' }]);
    const types = parseDocumentTypes((stringField(data, 'requestTypes') ?? '').replace(/,/g, ' '));
    const to: Recipient[] = [];
    for (const id of ids) {
      const person = await turn.resolveMember(id);
      if (!person) throw new AppError('USER_NOT_FOUND');
      to.push(person);
    }
    const saved = await sendRequests(turn, services, actor, number, {
      to,
      types,
      note: stringField(data, 'requestNote') ?? '',
      due: stringField(data, 'requestDue') || undefined,
    });
    const t = turn.texts;
    return claimCardReply(turn, services, actor, saved, {
      style: 'good',
      text: requestText(t, to, types, number),
      items: [],
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.code === 'CLAIM_NOT_FOUND') throw e;
    return claimCardReply(turn, services, actor, claim, errorNotice(e, turn.texts));
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_COLLEAGUES = 20;

async function sendRequests(
  turn: Turn,
  services: Services,
  actor: Actor,
  number: string,
  request: { to: Recipient[]; types: DocumentType[]; note: string; due?: string },
): Promise<Claim> {
  const note = cleanText(request.note).slice(0, LIMITS.note);
  const saved = await services.claims.update(turn.tenantId, number, turn.activityId, (claim) =>
    requestUploads(
      claim,
      actor,
      { to: request.to, types: request.types, note, due: request.due, origin: turn.origin },
      turn.now.toISOString(),
    ),
  );
  announce(services, saved, turn);
  return saved;
}

function requestText(t: Texts, to: Recipient[], types: DocumentType[], number: string): string {
  return t.t('request.sent', {
    names: to.map((p) => p.name).join(', '),
    types: types.map((x) => t.tDynamic(`documentType.${x}`)).join(', '),
    number,
  });
}

function requestConfirmation(
  turn: Turn,
  to: Recipient[],
  types: DocumentType[],
  number: string,
  openClaim: string,
): Reply {
  return confirmation(turn, requestText(turn.texts, to, types, number), openClaim);
}
