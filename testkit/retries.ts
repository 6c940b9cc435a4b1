/**
 * The line the test hooks print for a test that failed and then passed on mocha's retry; npm test
 * lists these lines again at the end of its report, so a flaky test is seen, not hidden.
 */
export const RETRIED_MARK = 'passed only on a retry:';
