export const ROLES = ['globalAdmin', 'incentivesAdmin', 'incentivesUser', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: identity from the activity, roles from storage (never from card data). */
export interface Actor {
  readonly tenantId: string;
  /** Microsoft Entra object id. */
  readonly userId: string;
  readonly name: string;
  readonly channelUserId?: string;
  readonly roles: ReadonlySet<Role>;
  /** Set while the actor covers for someone away and acts with that person's roles. */
  readonly onBehalfOf?: Person;
}

export interface Person {
  /** Microsoft Entra object id. */
  readonly id: string;
  readonly name: string;
  /** The Teams user id (29:…, the user's MRI) when known: for card refresh and opening 1:1 chats. */
  readonly channelUserId?: string;
}

const hasAny = (actor: Actor, ...roles: Role[]): boolean => roles.some((r) => actor.roles.has(r));

export const hasAnyRole = (actor: Actor): boolean => actor.roles.size > 0;
export const isTenantAdmin = (actor: Actor): boolean =>
  hasAny(actor, 'globalAdmin', 'incentivesAdmin');
export const canCreateClaims = (actor: Actor): boolean =>
  hasAny(actor, 'globalAdmin', 'incentivesAdmin', 'incentivesUser');
export const canManageFunds = isTenantAdmin;
/** Only the Reviewer role reviews: a global admin is not a reviewer unless granted it. */
export const canReview = (actor: Actor): boolean => hasAny(actor, 'reviewer');
export const canDispute = isTenantAdmin;
export const canRecordPayment = isTenantAdmin;

/** Global admins grant and revoke anything; incentives admins only the Incentives user role. */
export function canGrant(actor: Actor, role: Role): boolean {
  if (actor.roles.has('globalAdmin')) return true;
  return actor.roles.has('incentivesAdmin') && role === 'incentivesUser';
}

/** Words users type for a role, in every supported language, to the role. */
export const ROLE_WORDS: Readonly<Record<string, Role>> = {
  'global admin': 'globalAdmin',
  'globale beheerder': 'globalAdmin',
  'incentives admin': 'incentivesAdmin',
  'incentives-beheerder': 'incentivesAdmin',
  'incentives beheerder': 'incentivesAdmin',
  'incentives user': 'incentivesUser',
  'incentives-gebruiker': 'incentivesUser',
  'incentives gebruiker': 'incentivesUser',
  reviewer: 'reviewer',
  beoordelaar: 'reviewer',
};

export function parseRole(text: string): Role | undefined {
  return ROLE_WORDS[text.trim().toLowerCase().replace(/\s+/g, ' ')];
}
