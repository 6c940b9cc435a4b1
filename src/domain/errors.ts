/**
 * The error catalog: every failure a user can meet has a code, and the bot maps each code to a
 * localized message in one place (src/bot/errors.ts). Domain code never throws bare Errors at users.
 */
export const ERROR_CODES = [
  'NO_ROLE',
  'NOT_ALLOWED',
  'CLAIM_NOT_FOUND',
  'FUND_NOT_FOUND',
  'USER_NOT_FOUND',
  'MENTION_NOT_IN_CHAT',
  'INVALID_INPUT',
  'STATUS_FORBIDS',
  'REQUIREMENTS_UNMET',
  'UNKNOWN_COMMAND',
  'UNKNOWN_ACTION',
  'UNKNOWN_SEARCH',
  'CONFLICT',
  'STORAGE_UNAVAILABLE',
  'TENANT_NOT_ALLOWED',
  'FILES_PERSONAL_ONLY',
  'FILE_REJECTED',
  'FUND_EXHAUSTED',
  'HAD_A_HAND',
  'HAD_A_HAND_PAYMENT',
  'HAD_A_HAND_DISPUTE',
  'LAST_GLOBAL_ADMIN',
  'DEMO_ONLY',
  'EXPORT_FILE_MISSING',
  'EXPORT_LIMIT',
  'REQUEST_NOT_FOUND',
  'REQUEST_STATUS_FORBIDS',
  'HAD_A_HAND_REQUEST',
  'LOCAL_ONLY',
  'LOCAL_FILE_UNKNOWN',
  'SAME_APPROVER',
  'OVER_APPROVAL_LIMIT',
  'POLICY_ADMINS_ONLY',
  'PAYMENT_OVER_OWED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one input field: the field's name and a message key with its parameters. */
export interface InputIssue {
  readonly field: string;
  readonly problem: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Readonly<Record<string, string | number>> = {},
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'AppError';
  }
}

export const invalidInput = (issues: readonly InputIssue[]): AppError =>
  new AppError('INVALID_INPUT', {}, issues);
