import { DOCUMENT_TYPES, DocumentType, requestUploads } from '../../domain/claim';
import { AppError } from '../../domain/errors';
import type { Recipient } from '../../domain/notification';
import { LIMITS, cleanText } from '../../domain/text';
import { loadActor } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';
import { announce, claimNumberFrom, confirmation, visibleClaim } from './claims';

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
  if (!turn.mentions.length)
    throw new AppError('INVALID_INPUT', {}, [{ field: 'colleague', problem: 'required' }]);
  const types = parseDocumentTypes(args.typesText);
  const note = cleanText(args.note).slice(0, LIMITS.note);
  const to: Recipient[] = [];
  for (const m of turn.mentions) {
    const person = await turn.resolveMember(m.id);
    if (!person) throw new AppError('USER_NOT_FOUND');
    to.push({ ...person, channelUserId: m.id });
  }
  const saved = await services.claims.update(turn.tenantId, number, turn.activityId, (claim) =>
    requestUploads(claim, actor, { to, types, note, origin: turn.origin }, turn.now.toISOString()),
  );
  announce(services, saved, turn);
  const t = turn.texts;
  return confirmation(
    turn,
    t.t('request.sent', {
      names: to.map((p) => p.name).join(', '),
      types: types.map((x) => t.tDynamic(`documentType.${x}`)).join(', '),
      number,
    }),
    turn.scope === 'personal' ? number : '',
  );
}
