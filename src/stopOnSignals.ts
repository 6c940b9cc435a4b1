/**
 * Stops on SIGINT or SIGTERM, once however often asked, then exits. Returns that stop, for other
 * reasons to stop (a helper process that ended), and whether it is under way.
 */
export function stopOnSignals(stopWork: () => Promise<void>): {
  readonly stop: () => Promise<void>;
  readonly stopping: () => boolean;
} {
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await stopWork();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return { stop, stopping: () => stopping };
}
