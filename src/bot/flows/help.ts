import { HELP_VERBS, HelpData, HelpVerb, renderHelp } from '../../../cards';
import {
  Actor,
  ROLES,
  canCreateClaims,
  canManageFunds,
  canReview,
  hasAnyRole,
  isTenantAdmin,
} from '../../domain/roles';
import { loadActor } from '../actor';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { inDemoTenant } from './demo';

type Who = (actor: Actor) => boolean;
const anyone: Who = () => true;

/** The commands, each for whom it is, and the button that runs it (where one verb does). */
const COMMANDS: readonly (readonly [string, string, Who, HelpVerb?])[] = [
  ['help', 'help', anyone],
  ['claims', 'claims', anyone, 'claimsPage'],
  ['new claim', 'newClaim', canCreateClaims, 'newClaimForm'],
  ['claim CLM-0042', 'claim', hasAnyRole],
  ['history CLM-0042', 'history', hasAnyRole],
  ['request @Name invoice, poe for CLM-0042', 'request', canCreateClaims],
  ['review', 'review', canReview, 'reviewPage'],
  ['funds', 'funds', canManageFunds],
  ['insights', 'insights', hasAnyRole],
  ['policy', 'policy', canManageFunds],
  ['away until 2027-01-15 @Name / back', 'away', (a) => canReview(a) || canManageFunds(a)],
  ['new fund request / fund requests', 'fundRequest', canCreateClaims, 'newFundRequestForm'],
  ['export CLM-0042 / export fund <name>', 'export', hasAnyRole],
  ['export payments <fund>', 'exportPayments', canManageFunds],
  ['grant @Name role / revoke @Name role', 'grant', isTenantAdmin],
];
/** Buttons shown in the row; the rest go to the overflow menu (Teams' narrowest width). */
const ROW_BUTTONS = 2;
/** Admins named to a person without a role. */
const ADMINS_NAMED = 3;

/** Who a person without a role may ask: the tenant's granted admins by name, where there are any. */
async function askWhom(turn: Turn, services: Services): Promise<string> {
  const admins = await Promise.all(
    (['globalAdmin', 'incentivesAdmin'] as const).map((r) =>
      services.users.withRole(turn.tenantId, r),
    ),
  );
  const names = [...new Set(admins.flat().map((u) => u.name))].filter(Boolean);
  return names.length
    ? turn.texts.t('help.askNamed', { names: names.slice(0, ADMINS_NAMED).join(', ') })
    : turn.texts.t('help.noRoles');
}

/**
 * `help` and the welcome on install: what the bot does, the commands of the user's roles with
 * buttons for them, the user's roles (or whom to ask for one) and, in the local demo, where to start.
 */
export async function showHelp(turn: Turn, services: Services, welcome = false): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const texts = turn.texts;
  const roles = ROLES.filter((r) => actor.roles.has(r)).map((r) => texts.tDynamic(`role.${r}`));
  const mine = COMMANDS.filter(([, , who]) => who(actor));
  const shown = mine.flatMap(([, key, , verb]) => (verb ? [{ key, verb }] : []));
  const buttons = Object.fromEntries(
    HELP_VERBS.map((verb) => {
      const at = shown.findIndex((b) => b.verb === verb);
      const key = COMMANDS.find((c) => c[3] === verb)?.[1] ?? '';
      const mode = at >= 0 && at < ROW_BUTTONS ? 'primary' : 'secondary';
      return [verb, { shown: at >= 0, title: texts.tDynamic(`help.buttons.${key}`), mode }];
    }),
  ) as HelpData['buttons'];
  return cardReply(
    renderHelp({
      heading: texts.t(welcome ? 'help.welcome' : 'help.title'),
      intro: texts.t('help.intro'),
      commandsHeading: texts.t('help.commandsHeading'),
      commands: mine.map(([command, key]) => ({
        command,
        meaning: texts.tDynamic(`help.commands.${key}`),
      })),
      hint: texts.t('help.personalHint'),
      demoHint: inDemoTenant(turn, services) ? texts.t('help.demo') : '',
      rolesLine: roles.length
        ? texts.t('help.yourRoles', { roles: roles.join(', ') })
        : await askWhom(turn, services),
      buttons,
    }),
  );
}
