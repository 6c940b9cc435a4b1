import { renderHelp } from '../../../cards';
import { ROLES } from '../../domain/roles';
import { loadActor } from '../actor';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { inDemoTenant } from './demo';

const COMMANDS = [
  ['help', 'help'],
  ['claims', 'claims'],
  ['new claim', 'newClaim'],
  ['claim CLM-0042', 'claim'],
  ['history CLM-0042', 'history'],
  ['request @Name invoice, poe for CLM-0042', 'request'],
  ['review', 'review'],
  ['funds', 'funds'],
  ['policy', 'policy'],
  ['away until 2027-01-15 @Name / back', 'away'],
  ['new fund request / fund requests', 'fundRequest'],
  ['export CLM-0042 / export fund <name>', 'export'],
  ['grant @Name role / revoke @Name role', 'grant'],
] as const;

/**
 * `help` and the welcome on install: what the bot does, its commands, the user's roles and, in the
 * local demo, where to start.
 */
export async function showHelp(turn: Turn, services: Services, welcome = false): Promise<Reply> {
  const actor = await loadActor(turn, services);
  const texts = turn.texts;
  const roles = ROLES.filter((r) => actor.roles.has(r)).map((r) => texts.tDynamic(`role.${r}`));
  return cardReply(
    renderHelp({
      heading: texts.t(welcome ? 'help.welcome' : 'help.title'),
      intro: texts.t('help.intro'),
      commandsHeading: texts.t('help.commandsHeading'),
      commands: COMMANDS.map(([command, key]) => ({
        command,
        meaning: texts.tDynamic(`help.commands.${key}`),
      })),
      hint: texts.t('help.personalHint'),
      demoHint: inDemoTenant(turn, services) ? texts.t('help.demo') : '',
      rolesLine: roles.length
        ? texts.t('help.yourRoles', { roles: roles.join(', ') })
        : texts.t('help.noRoles'),
    }),
  );
}
