import { declineExtension, grantExtension, requestExtension } from '../../domain/claim';
import { fundAdmins } from '../flows/fundRequests';
import { claimVerb } from './claimVerb';
import { VerbTable, now } from './input';

/** The submit deadline: the owner asks for an extension, an Incentives admin grants or declines it. */
export const verbs: VerbTable<'requestExtension' | 'grantExtension' | 'declineExtension'> = {
  requestExtension: claimVerb('requestExtension', (turn, data, s) => ({
    prepare: (claim) => fundAdmins(s, claim.tenantId),
    apply: (claim, actor, admins) =>
      requestExtension(claim, actor, data.extensionReason, now(turn), admins),
    success: () => ({ style: 'good', text: turn.texts.t('deadline.asked'), items: [] }),
  })),
  grantExtension: claimVerb('grantExtension', (turn, data) => ({
    apply: (claim, actor) => grantExtension(claim, actor, data.extendTo, now(turn)),
    success: (claim) => ({
      style: 'good',
      text: turn.texts.t('deadline.granted', { date: turn.texts.date(claim.extendedTo ?? '') }),
      items: [],
    }),
  })),
  declineExtension: claimVerb('declineExtension', (turn, data) => ({
    apply: (claim, actor) => declineExtension(claim, actor, data.extensionNote, now(turn)),
    success: () => ({ style: 'good', text: turn.texts.t('deadline.declined'), items: [] }),
  })),
};
