import { dump, load } from 'js-yaml';
import type { Role } from '../domain/roles';
import { DEMO_USERS } from '../demo/seed';

/** A person of the Agents Playground's organisation (`.m365agentsplayground.yml`). */
interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  [field: string]: unknown;
}

interface PlaygroundOrganisation {
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** Words for `npm run dev -- --as <persona>` besides a first name: the role the persona holds. */
const ROLE_WORDS: Readonly<Record<string, Role | 'none'>> = {
  admin: 'globalAdmin',
  'global-admin': 'globalAdmin',
  'incentives-admin': 'incentivesAdmin',
  user: 'incentivesUser',
  'incentives-user': 'incentivesUser',
  reviewer: 'reviewer',
  'no-role': 'none',
};

export class PersonaError extends Error {}

/** The demo user `--as` names: a role word (the first demo user holding it) or a first or full name. */
export function findPersona(word: string): (typeof DEMO_USERS)[number] {
  const wanted = word.trim().toLowerCase();
  const role = ROLE_WORDS[wanted];
  // A role word picks someone holding that role alone where there is one (`user`: not the admin).
  const holders = role
    ? DEMO_USERS.filter((u) => (role === 'none' ? u.roles.length === 0 : u.roles.includes(role)))
    : [];
  const user = role
    ? (holders.find((u) => u.roles.length === 1) ?? holders[0])
    : DEMO_USERS.find(
        (u) => u.name.toLowerCase() === wanted || u.name.split(' ')[0].toLowerCase() === wanted,
      );
  if (!user) {
    const names = DEMO_USERS.map((u) => u.name.split(' ')[0].toLowerCase());
    throw new PersonaError(
      `--as ${word}: not a demo user; use one of ${[...Object.keys(ROLE_WORDS), ...names].join(', ')}`,
    );
  }
  return user;
}

/**
 * The Playground's organisation with another person at the keyboard: the persona becomes
 * `currentUser`, the person who was there joins `users` (the Playground wants exactly five others),
 * and the personal chat gets an id of the persona's own so that chats never mix.
 */
export function playgroundConfigAs(baseYaml: string, personaAadObjectId: string): string {
  const org = load(baseYaml) as PlaygroundOrganisation;
  const everyone = [org.currentUser, ...org.users];
  const persona = everyone.find((u) => u.aadObjectId === personaAadObjectId);
  if (!persona) throw new PersonaError(`no one in the Playground config has ${personaAadObjectId}`);
  const slug = persona.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const switched: PlaygroundOrganisation = {
    ...org,
    currentUser: persona,
    users: everyone.filter((u) => u !== persona),
    personalChat: { ...org.personalChat, id: `a:1contoso-personal-chat-${slug}` },
  };
  return dump(switched, { lineWidth: -1 });
}
