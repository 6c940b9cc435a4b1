import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPersona, playgroundConfigAs } from '../src/local/playgroundPersona';

/** The repo's Agents Playground organisation (this file runs from dist/testkit). */
const BASE_CONFIG = path.resolve(__dirname, '..', '..', '.m365agentsplayground.yml');

/**
 * A copy of the Playground's config, in a temp folder, with `persona` (a role word or a first name,
 * as `npm run dev -- --as`) at the keyboard; give it to startPlayground as `configPath`.
 */
export function personaConfig(persona: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'persona-')), 'persona.yml');
  writeFileSync(
    file,
    playgroundConfigAs(readFileSync(BASE_CONFIG, 'utf8'), findPersona(persona).id),
  );
  return file;
}
