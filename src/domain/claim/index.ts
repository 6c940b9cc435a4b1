// A claim and everything that may happen to it, one job per file; import from here.
export * from './model';
export * from './permissions';
export { SYSTEM } from './change';
export * from './input';
export * from './editing';
export * from './review';
export * from './documents';
export * from './uploadRequests';
export * from './outbox';
export * from './historyWindow';
export * from './feedbackWindow';
export * from './postedCards';
export * from './payment';
export * from './deadline';
export * from './exchange';
export * from './results';
export * from './resultsWindow';
export * from './duplicates';
