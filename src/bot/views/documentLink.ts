import { AdaptiveCard, renderDocumentLink } from '../../../cards';
import type { Claim, ClaimDocument } from '../../domain/claim';
import type { Texts } from '../../i18n/i18n';
import { literal } from './text';

export interface DocumentLinkContext {
  readonly claim: Claim;
  readonly document: ClaimDocument;
  /** A signed read link that expires within `lifetimeSeconds`. */
  readonly url: string;
  readonly lifetimeSeconds: number;
  readonly texts: Texts;
}

/** One document and its expiring link, for the user's own 1:1 chat. */
export function documentLinkCard(ctx: DocumentLinkContext): AdaptiveCard {
  const { claim, document, texts } = ctx;
  return renderDocumentLink({
    heading: texts.t('documentLink.heading', { number: claim.number }),
    fileName: document.fileName,
    explanation: document.explanation,
    facts: [
      { title: texts.t('upload.claim'), value: `${claim.number} ${literal(claim.title)}` },
      {
        title: texts.t('detail.documentType'),
        value: texts.tDynamic(`documentType.${document.type}`),
      },
    ],
    expiry: texts.t('documentLink.expiry', { minutes: Math.floor(ctx.lifetimeSeconds / 60) }),
    openLabel: texts.t('detail.open'),
    url: ctx.url,
  });
}
