import { attachLocalFile } from '../flows/attach';
import { showClaim } from '../flows/claimCards';
import { showHistory } from '../flows/claimHistory';
import { exportClaim } from '../flows/exports';
import { exportFund } from '../flows/fundExport';
import { exportPayments } from '../flows/paymentExport';
import { listFundRequests, newFundRequestForm, showFundRequest } from '../flows/fundRequests';
import { editFund, showFunds } from '../flows/funds';
import { resetDemo } from '../flows/demo';
import { showHelp } from '../flows/help';
import { answerInOwnChat } from '../flows/inOwnChat';
import { showInsights } from '../flows/insights';
import { newClaimForm } from '../flows/newClaim';
import { showPolicy } from '../flows/policy';
import { comingBack, goingAway } from '../flows/away';
import { showOverview, showReviewQueue } from '../flows/overview';
import { changeRole } from '../flows/roles';
import { requestUpload } from '../flows/uploadRequest';
import type { CommandHandler } from '../handlers';

/** Every typed command, tried in order against the message text with mentions removed. */
export const COMMAND_HANDLERS: readonly CommandHandler[] = [
  { name: 'help', pattern: /^(help|\?|hulp)$/i, handle: (turn, _m, s) => showHelp(turn, s) },
  {
    name: 'claims',
    pattern: /^(claims|my claims|overview)$/i,
    handle: (turn, _m, s) => answerInOwnChat(turn, s, 'claims', () => showOverview(turn, s)),
  },
  {
    name: 'new claim',
    pattern: /^(new claim|nieuwe claim)$/i,
    handle: (turn, _m, s) => newClaimForm(turn, s),
  },
  { name: 'claim', pattern: /^claim\s+(\S+)$/i, handle: (turn, m, s) => showClaim(turn, s, m[1]) },
  {
    name: 'history',
    pattern: /^history\s+(\S+)$/i,
    handle: (turn, m, s) => showHistory(turn, s, m[1]),
  },
  {
    name: 'funds',
    pattern: /^funds$/i,
    handle: (turn, _m, s) => answerInOwnChat(turn, s, 'funds', () => showFunds(turn, s)),
  },
  {
    name: 'insights',
    pattern: /^(insights|inzichten)$/i,
    handle: (turn, _m, s) => answerInOwnChat(turn, s, 'insights', () => showInsights(turn, s)),
  },
  {
    name: 'away',
    pattern: /^(?:away until|afwezig tot)\s+(\S+)\s*$/i,
    handle: (turn, m, s) => goingAway(turn, s, m[1]),
  },
  {
    name: 'away usage',
    pattern: /^(away|afwezig)\b/i,
    handle: async (turn) => ({ text: turn.texts.t('away.usage') }),
  },
  { name: 'back', pattern: /^(back|terug)$/i, handle: (turn, _m, s) => comingBack(turn, s) },
  {
    name: 'policy',
    pattern: /^(policy|beleid)$/i,
    handle: (turn, _m, s) => showPolicy(turn, s),
  },
  {
    name: 'edit fund',
    pattern:
      /^(?:edit fund|fonds wijzigen)\s+(.+?)(?:\s+(?:rate|percentage)\s+(\S+))?(?:\s+(?:cap|maximum)\s+(\S+))?\s*$/i,
    handle: (turn, m, s) =>
      editFund(turn, s, {
        name: m[1],
        ...(m[2] === undefined ? {} : { rate: m[2] }),
        ...(m[3] === undefined ? {} : { cap: m[3] }),
      }),
  },
  {
    name: 'export claim',
    pattern: /^export\s+(CLM-\S+)$/i,
    handle: (turn, m, s) => exportClaim(turn, s, m[1]),
  },
  {
    name: 'export fund',
    pattern: /^export\s+fund\s+(.+)$/i,
    handle: (turn, m, s) => exportFund(turn, s, m[1]),
  },
  {
    name: 'export payments',
    pattern: /^export\s+payments\s+(.+)$/i,
    handle: (turn, m, s) => exportPayments(turn, s, m[1]),
  },
  {
    name: 'export usage',
    pattern: /^export\b/i,
    handle: async (turn) => ({ text: turn.texts.t('export.usage') }),
  },
  {
    name: 'review',
    pattern: /^review$/i,
    handle: (turn, _m, s) => answerInOwnChat(turn, s, 'review', () => showReviewQueue(turn, s)),
  },
  {
    name: 'new fund request',
    pattern: /^(new fund request|nieuwe fondsaanvraag)$/i,
    handle: (turn, _m, s) => newFundRequestForm(turn, s),
  },
  {
    name: 'fund requests',
    pattern: /^(fund requests|requests|fondsaanvragen)$/i,
    handle: (turn, _m, s) =>
      answerInOwnChat(turn, s, 'fundRequests', () => listFundRequests(turn, s)),
  },
  {
    name: 'fund request',
    pattern: /^(?:fund request\s+)?(REQ-\S+)$/i,
    handle: (turn, m, s) =>
      answerInOwnChat(turn, s, 'fundRequest', () => showFundRequest(turn, s, m[1])),
  },
  {
    name: 'request',
    pattern: /^request\b\s*(.*?)\s*\bfor\s+(\S+)\s*([\s\S]*)$/i,
    handle: (turn, m, s) =>
      requestUpload(turn, s, { typesText: m[1], numberText: m[2], note: m[3] }),
  },
  {
    name: 'request usage',
    pattern: /^request\b/i,
    handle: async (turn) => ({ text: turn.texts.t('request.usage') }),
  },
  { name: 'reset demo', pattern: /^reset demo$/i, handle: (turn, _m, s) => resetDemo(turn, s) },
  {
    name: 'attach',
    pattern: /^(?:attach|bijvoegen)\b\s*([\s\S]*)$/i,
    handle: (turn, m, s) => attachLocalFile(turn, s, m[1]),
  },
  {
    name: 'grant',
    pattern: /^(grant|revoke)\b\s*(.*)$/i,
    handle: (turn, m, s) =>
      changeRole(turn, s, m[1].toLowerCase() === 'grant' ? 'grant' : 'revoke', m[2]),
  },
];
