import { randomBytes } from 'node:crypto';
import { Notice, renderUploadQuestion } from '../../../cards';
import {
  DOCUMENT_TYPES,
  DocumentType,
  addDocument,
  Claim,
  authorize,
  parseClaimNumber,
} from '../../domain/claim';
import { AppError, invalidInput } from '../../domain/errors';
import type { Actor } from '../../domain/roles';
import { LIMITS, cleanText } from '../../domain/text';
import { DownloadProgress, downloadFile } from '../../http/download';
import { FileRejectedError } from '../../store/fileStore';
import { sanitizeFileName } from '../../store/fileNames';
import type { IncomingFile, PendingUpload } from '../../store/uploads';
import { editableScope, loadActor } from '../actor';
import { errorNotice } from '../errors';
import { CardData, stringField } from '../handlers';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { announce } from './claimChange';
import { claimCardReply } from './claimCards';
import { claimNumberFrom, visibleClaim } from './claimAccess';
import { parseDocumentTypes } from './uploadRequest';
import { UploadProgress } from './uploadProgress';

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
/** A started upload (Add document, Upload now) waits this long for its file. */
const INTENT_TTL_MS = 60 * 60_000;

/** `CLM-0042 invoice: catering for the event` → what the message says about its files. */
export function parseFileMessage(text: string): {
  number?: string;
  documentType?: DocumentType;
  explanation?: string;
} {
  const clean = cleanText(text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
  const m = /\b(CLM-\d{1,9})\b/i.exec(clean);
  const number = m ? parseClaimNumber(m[1]) : undefined;
  const rest = (m ? clean.slice(m.index + m[0].length) : clean).trim();
  const typed =
    /^(proof of execution|bewijs van uitvoering|[a-z]+)\s*(?::|-|–|$)\s*([\s\S]*)$/i.exec(rest);
  let documentType: DocumentType | undefined;
  let explanation = rest;
  if (typed) {
    try {
      documentType = parseDocumentTypes(typed[1])[0];
      explanation = typed[2];
    } catch {
      documentType = undefined;
    }
  }
  explanation = explanation.replace(/^[:\-–\s]+/, '').slice(0, LIMITS.explanation);
  return {
    ...(number ? { number } : {}),
    ...(documentType ? { documentType } : {}),
    ...(explanation ? { explanation } : {}),
  };
}

/** Files sent to the bot: filed at once when claim and type are known, else the bot asks. */
export async function receiveFiles(
  turn: Turn,
  services: Services,
  files: readonly IncomingFile[],
  text: string,
): Promise<Reply> {
  if (turn.scope !== 'personal') throw new AppError('FILES_PERSONAL_ONLY');
  const said = parseFileMessage(text);
  const intent = await services.uploads.get(turn.tenantId, turn.user.id);
  const fresh =
    intent && turn.now.getTime() - Date.parse(intent.createdAt) < INTENT_TTL_MS
      ? intent
      : undefined;
  const pending: PendingUpload = {
    id: turn.user.id,
    tenantId: turn.tenantId,
    claim: said.number ?? fresh?.claim,
    documentType: said.documentType ?? fresh?.documentType,
    explanation: said.explanation ?? fresh?.explanation,
    ...(fresh?.replaces && !said.number ? { replaces: fresh.replaces } : {}),
    files,
    createdAt: turn.now.toISOString(),
  };
  if (pending.claim && pending.documentType) return fileUpload(turn, services, pending);
  await services.uploads.save(pending);
  return askAboutFiles(turn, services, pending, null);
}

/** The answer to the question card: claim, type and explanation for the files kept in Cosmos. */
export async function completeUpload(
  turn: Turn,
  services: Services,
  data: CardData,
): Promise<Reply> {
  const pending = await services.uploads.get(turn.tenantId, turn.user.id);
  if (!pending?.files.length) throw new AppError('UNKNOWN_ACTION');
  const typeText = stringField(data, 'documentType') ?? '';
  const documentType = DOCUMENT_TYPES.find((t) => t === typeText);
  const answered: PendingUpload = {
    ...pending,
    claim: stringField(data, 'claim') ?? pending.claim,
    documentType: documentType ?? pending.documentType,
    explanation: cleanText(stringField(data, 'explanation') ?? pending.explanation ?? '').slice(
      0,
      LIMITS.explanation,
    ),
  };
  if (!answered.claim || !answered.documentType) {
    return askAboutFiles(turn, services, answered, {
      style: 'attention',
      text: turn.texts.t('errors.INVALID_INPUT'),
      items: [turn.texts.t('problem.required', { field: turn.texts.t('field.documentType') })],
    });
  }
  return fileUpload(turn, services, answered);
}

/** Add document / Upload now: remember claim, type and explanation until the file arrives. */
export async function startUpload(
  turn: Turn,
  services: Services,
  data: CardData,
  replacing = false,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const claim = await visibleClaim(services, actor, claimNumberFrom(data.claim));
  const replaced = replacing
    ? claim.documents.find((d) => d.id === stringField(data, 'document'))
    : undefined;
  try {
    authorize(actor, claim, replacing ? 'edit' : 'addDocuments');
    if (replacing && !replaced) throw invalidInput([{ field: 'item', problem: 'invalid' }]);
  } catch (e) {
    return claimCardReply(turn, services, actor, claim, errorNotice(e, turn.texts));
  }
  const typeText = stringField(data, 'documentType');
  const explanation = stringField(data, replacing ? 'newExplanation' : 'explanation');
  await services.uploads.save({
    id: turn.user.id,
    tenantId: turn.tenantId,
    claim: claim.number,
    documentType: replaced?.type ?? DOCUMENT_TYPES.find((t) => t === typeText),
    explanation: cleanText(explanation || replaced?.explanation || '').slice(0, LIMITS.explanation),
    ...(replaced ? { replaces: replaced.id } : {}),
    files: [],
    createdAt: turn.now.toISOString(),
  });
  const notice: Notice = {
    style: 'accent',
    text: replaced
      ? turn.texts.t('detail.sendReplacement', { file: replaced.fileName })
      : turn.texts.t('detail.sendFileNow', { number: claim.number }),
    items: [],
  };
  return claimCardReply(turn, services, actor, claim, notice);
}

async function askAboutFiles(
  turn: Turn,
  services: Services,
  pending: PendingUpload,
  notice: Notice | null,
): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const t = turn.texts;
  const page = await services.claims.list(turn.tenantId, editableScope(actor), { size: 25 });
  const editable = page.items.filter(
    (c) => c.status === 'editing' || c.status === 'actionRequired',
  );
  if (!editable.length) throw new AppError('NOT_ALLOWED', { action: 'upload' });
  return cardReply(
    renderUploadQuestion({
      heading: t.t('upload.question'),
      files: pending.files.map((f) => f.name),
      notice,
      labels: {
        claim: t.t('upload.claim'),
        documentType: t.t('detail.documentType'),
        explanation: t.t('detail.explanation'),
        add: t.t('upload.add'),
      },
      claims: editable.map((c) => ({ value: c.number, title: `${c.number} ${c.title}` })),
      documentTypes: DOCUMENT_TYPES.map((value) => ({
        value,
        title: t.tDynamic(`documentType.${value}`),
      })),
      values: {
        claim: pending.claim ?? editable[0].number,
        documentType: pending.documentType ?? 'invoice',
        explanation: pending.explanation ?? '',
      },
    }),
  );
}

/**
 * Streams each file from Teams into Blob storage (hash and size on the way, limits enforced while
 * streaming), then records it on the claim in one conditional write. A refused or failed file leaves
 * no blob and no document behind. A slow upload shows its progress in the turn's progress message.
 */
async function fileUpload(turn: Turn, services: Services, pending: PendingUpload): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const number = claimNumberFrom(pending.claim);
  const claim = await visibleClaim(services, actor, number);
  try {
    authorize(actor, claim, pending.replaces ? 'edit' : 'addDocuments');
  } catch (e) {
    await services.uploads.clear(turn.tenantId, turn.user.id);
    return claimCardReply(turn, services, actor, claim, errorNotice(e, turn.texts));
  }
  const added: string[] = [];
  let saved = claim;
  const progress = new UploadProgress(turn.progress, turn.texts, pending.files.length);
  const run: UploadRun = {
    turn,
    services,
    actor,
    number,
    pending,
    before: claim,
    onDownload: progress.onDownload,
  };
  try {
    for (const [i, file] of pending.files.entries()) {
      progress.startFile(file.name, i);
      saved = (await storeOne(run, file, i)) ?? saved;
      added.push(file.name);
    }
  } catch (e) {
    const notice = rejectionNotice(turn, services, e);
    const latest = (await services.claims.get(turn.tenantId, number)) ?? saved;
    await services.uploads.clear(turn.tenantId, turn.user.id);
    return claimCardReply(turn, services, actor, latest, notice);
  } finally {
    progress.stop();
  }
  await services.uploads.clear(turn.tenantId, turn.user.id);
  announce(services, saved, turn);
  return claimCardReply(turn, services, actor, saved, {
    style: 'good',
    text: turn.texts.t('upload.added', { files: added.join(', '), number }),
    items: [],
  });
}

/** One upload turn: who sends the pending files to which claim, as it was when the turn began. */
interface UploadRun {
  readonly turn: Turn;
  readonly services: Services;
  readonly actor: Actor;
  readonly number: string;
  readonly pending: PendingUpload;
  readonly before: Claim;
  readonly onDownload: DownloadProgress;
}

/**
 * Stores one file; undefined when it is on the claim already (a Teams retry of this message). The
 * document id comes from the activity key, so a retry finds its first try; the blob name is new on
 * every try, so no try ever overwrites a file another try stored.
 */
async function storeOne(
  run: UploadRun,
  file: IncomingFile,
  index: number,
): Promise<Claim | undefined> {
  const { turn, services, actor, number, pending, before, onDownload } = run;
  const id = `d-${turn.activityId}-${index}`;
  if (before.documents.some((d) => d.id === id)) return undefined;
  const fileName = sanitizeFileName(file.name);
  const blobName = `${turn.tenantId}/${number}/${id}-${randomBytes(4).toString('hex')}/${fileName}`;
  const stored = await services.files.put(
    blobName,
    downloadFile(file.downloadUrl, {
      allowedHosts: [...services.config.allowedDownloadHosts],
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      onProgress: onDownload,
    }),
    { uploaderId: actor.userId, originalName: fileName },
  );
  try {
    // addDocument authorizes again: the claim may have been submitted while the file streamed.
    const replaces = index === 0 ? pending.replaces : undefined;
    const old = replaces ? before.documents.find((d) => d.id === replaces) : undefined;
    const saved = await services.claims.update(
      turn.tenantId,
      number,
      `${turn.activityId}:${id}`,
      (c) =>
        addDocument(
          c,
          actor,
          {
            id,
            type: pending.documentType as DocumentType,
            fileName,
            blobName,
            size: stored.size,
            contentType: stored.contentType,
            sha256: stored.sha256,
            explanation: pending.explanation ?? '',
          },
          turn.now.toISOString(),
          replaces,
        ),
    );
    if (old && !saved.documents.some((d) => d.blobName === old.blobName)) {
      await services.files.delete(old.blobName);
    }
    // A retry that ran beside its first try: the document keeps the first try's file.
    if (!saved.documents.some((d) => d.blobName === blobName)) {
      await services.files.delete(blobName);
    }
    return saved;
  } catch (e) {
    await services.files.delete(blobName);
    throw e;
  }
}

function rejectionNotice(turn: Turn, services: Services, e: unknown): Notice {
  if (e instanceof FileRejectedError) {
    const max = turn.texts.bytes(services.config.maxUploadBytes);
    return {
      style: 'attention',
      text: turn.texts.t('errors.FILE_REJECTED', {
        reason: turn.texts.tDynamic(`upload.rejected.${e.reason}`, { max }),
      }),
      items: [],
    };
  }
  return errorNotice(e, turn.texts);
}
