import type { Config } from '../config';
import type { ClaimRepository } from '../store/claims';
import type { ConversationRepository } from '../store/conversations';
import type { FundRepository } from '../store/funds';
import type { UserRepository } from '../store/users';

/** Everything a handler may use besides the turn itself. */
export interface Services {
  readonly claims: ClaimRepository;
  readonly funds: FundRepository;
  readonly users: UserRepository;
  readonly conversations: ConversationRepository;
  readonly config: Pick<Config, 'bootstrapAdmins'>;
  readonly newId: () => string;
}
