import { addFund } from '../flows/funds';
import { submitNewClaim } from '../flows/newClaim';
import type { VerbTable } from './input';

/** The forms that create something: a claim (New claim's Create claim) and a fund (Add fund). */
export const verbs: VerbTable<'createClaim' | 'addFund'> = {
  createClaim: { verb: 'createClaim', handle: (turn, data, s) => submitNewClaim(turn, s, data) },
  addFund: { verb: 'addFund', handle: (turn, data, s) => addFund(turn, s, data) },
};
