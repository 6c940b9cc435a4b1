import { renderLocalFiles } from '../../../cards';
import { AppError } from '../../domain/errors';
import type { Services } from '../services';
import { Reply, Turn, cardReply } from '../turn';
import { receiveFiles } from './fileUpload';

/**
 * `attach <file> to CLM-0042 as invoice <explanation>`: the local loop's way to send a file, since
 * the Agents Playground has no attach button. The file comes from demo/documents and goes the way
 * of a file sent in Teams (receiveFiles: the same questions, download, checks and claim card);
 * without a claim or type the bot asks, as it does for a Teams file. `attach` alone lists the files.
 * Refused unless the app runs the local loop (config.localLoop: local stack, never production).
 */
export async function attachLocalFile(
  turn: Turn,
  services: Services,
  rest: string,
): Promise<Reply> {
  const local = services.localDocuments;
  if (!local) throw new AppError('LOCAL_ONLY');
  const m =
    /^(\S+)(?:\s+(?:to|bij|aan)\s+(CLM-\S+))?(?:\s+(?:as|als)\s+(proof of execution|bewijs van uitvoering|\S+))?\s*([\s\S]*)$/i.exec(
      rest.trim(),
    );
  if (!m) return listLocalFiles(turn, await local.list());
  const name = await local.find(m[1]);
  if (!name) throw new AppError('LOCAL_FILE_UNKNOWN', { file: m[1].slice(0, 80) });
  const [, , number, type, explanation] = m;
  const said = [number, type && `${type}:`, explanation].filter(Boolean).join(' ');
  return receiveFiles(turn, services, [{ name, downloadUrl: local.urlOf(name) }], said);
}

function listLocalFiles(turn: Turn, files: readonly string[]): Reply {
  const t = turn.texts;
  return cardReply(
    renderLocalFiles({
      title: t.t('attach.title'),
      intro: t.t('attach.intro'),
      example: t.t('attach.example', { file: files[0] ?? 'invoice.pdf' }),
      attachLabel: t.t('attach.button'),
      files: files.map((name) => ({ name, command: `attach ${name}` })),
    }),
  );
}
