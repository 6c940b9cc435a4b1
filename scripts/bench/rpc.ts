import { EventLoopUtilization } from 'node:perf_hooks';
import { Worker, parentPort } from 'node:worker_threads';

/**
 * A tiny request/response protocol over worker_threads messages, so the emulated Teams side and the
 * storage side each run on their own event loop and never delay the bot's.
 */

// `never` parameters: any one-argument handler is assignable, the caller's types come from the API.
export type Api = Record<string, (arg: never) => unknown>;

type Call = { readonly id: number; readonly method: string; readonly arg: unknown };
type Answer =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: string };

/** Worker side: answers calls with the handlers (one call at a time is not required). */
export function serve(handlers: Api): void {
  const port = parentPort;
  if (!port) throw new Error('serve() runs inside a worker thread');
  port.on('message', (call: Call) => {
    const handler = handlers[call.method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no method ${call.method}`);
        return handler(call.arg as never);
      })
      .then(
        (result) => port.postMessage({ id: call.id, result } satisfies Answer),
        (e: unknown) =>
          port.postMessage({
            id: call.id,
            error: e instanceof Error ? (e.stack ?? e.message) : String(e),
          } satisfies Answer),
      );
  });
}

/** Main-thread side of a worker that serves API `A`. */
export class RpcWorker<A extends Api> {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(file: string) {
    this.worker = new Worker(file);
    this.worker.on('message', (answer: Answer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      if ('error' in answer) waiting.reject(new Error(answer.error));
      else waiting.resolve(answer.result);
    });
    const fail = (e: Error): void => {
      this.failure = e;
      for (const w of this.pending.values()) w.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`worker ${file} exited (${code})`)));
  }

  call<K extends keyof A & string>(
    method: K,
    ...arg: Parameters<A[K]> extends [] ? [] : [Parameters<A[K]>[0]]
  ): Promise<Awaited<ReturnType<A[K]>>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, arg: arg[0] } satisfies Call);
    });
  }

  /** How busy the worker's event loop was (since `since`, when given). */
  eventLoopUtilization(since?: EventLoopUtilization): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization(since);
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
