import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname, join } from 'node:path';
import type { VerbHandler } from '../handlers';

/**
 * Every card verb's handler, read from this folder: a verb file exports `verbs` (its handlers by
 * verb), so a new verb is a new file here and no list changes. A file without `verbs` is a helper
 * (`claimVerb`, `input`). Two handlers of one verb are refused at start-up (teamsBot.ts), and
 * test/bot/verbFiles.test.ts checks that every verb a card names has its handler here.
 */
export function verbHandlers(dir = __dirname): VerbHandler[] {
  const load = createRequire(__filename);
  const own = basename(__filename);
  return readdirSync(dir)
    .filter((file) => extname(file) === extname(own) && file !== own)
    .sort()
    .flatMap((file) => {
      const { verbs } = load(join(dir, file)) as { verbs?: Readonly<Record<string, VerbHandler>> };
      return verbs ? Object.values(verbs) : [];
    });
}
