import { savePolicy } from '../flows/policy';
import type { VerbTable } from './input';

/** The tenant's approval policy (Incentives admins). */
export const verbs: VerbTable<'savePolicy'> = {
  savePolicy: { verb: 'savePolicy', handle: (turn, data, s) => savePolicy(turn, s, data) },
};
