// A fund request (pre-approval) and everything that may happen to it; import from here.
export * from './model';
export * from './permissions';
export * from './lifecycle';
export * from './ledger';
