import { AppError } from '../../domain/errors';
import { comeBack, goAway } from '../../domain/policy';
import { loadMember } from '../actor';
import type { Services } from '../services';
import type { Reply, Turn } from '../turn';

/**
 * `away until <date> @Name`: until that day the named colleague gets the user's notifications and
 * reminders and reviews for them (recorded "for" them). Ends by itself on the date: it is compared
 * with the clock whenever it is read, so no job is needed.
 */
export async function goingAway(turn: Turn, services: Services, untilText: string): Promise<Reply> {
  const actor = await loadMember(turn, services);
  if (turn.mentions.length !== 1) return { text: turn.texts.t('away.usage') };
  const delegate = await turn.resolveMember(turn.mentions[0].id);
  if (!delegate) throw new AppError('USER_NOT_FOUND');
  const saved = await services.policy.change(turn.tenantId, (record) => ({
    record: goAway(
      record,
      actor,
      { ...delegate, channelUserId: turn.mentions[0].id },
      untilText,
      turn.now,
    ),
    changes: [],
  }));
  const until = saved.policy.away?.[actor.userId]?.until ?? '';
  return { text: turn.texts.t('away.set', { until: turn.texts.date(until), name: delegate.name }) };
}

/** `back`: the user's absence ends now. */
export async function comingBack(turn: Turn, services: Services): Promise<Reply> {
  const actor = await loadMember(turn, services);
  const current = await services.policy.get(turn.tenantId);
  if (!current.policy.away?.[actor.userId]) return { text: turn.texts.t('away.notAway') };
  await services.policy.change(turn.tenantId, (record) => ({
    record: comeBack(record, actor),
    changes: [],
  }));
  return { text: turn.texts.t('away.back') };
}
