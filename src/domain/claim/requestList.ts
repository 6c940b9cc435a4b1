import { UploadRequest, isOpenRequest } from './model';

/** Fulfilled and cancelled requests a claim keeps (history has them all): a claim stays small. */
export const CLOSED_REQUESTS_KEPT = 20;

/** Every open request, and the newest closed ones, in their order. */
export function keepRecentRequests(requests: readonly UploadRequest[]): UploadRequest[] {
  const closed = requests.filter((r) => !isOpenRequest(r));
  const dropped = new Set(closed.slice(0, Math.max(0, closed.length - CLOSED_REQUESTS_KEPT)));
  return requests.filter((r) => !dropped.has(r));
}
