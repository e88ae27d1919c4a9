// Locally there is no Lambda service: the dev gateway (local/gateway.ts) installs an invoker
// that runs another function's own handler in this process, the way an asynchronous invoke would
// in AWS. Deployed functions never install one; they invoke through EXPORT_WORKER_FUNCTION.

export type LocalInvoker = (fn: string, event: unknown) => Promise<unknown>;

const INVOKER = Symbol.for('logbook.localInvoker');

export function localInvoker(): LocalInvoker {
  const invoker = (globalThis as Record<symbol, LocalInvoker | undefined>)[INVOKER];
  if (!invoker) {
    throw new Error(
      'Invalid configuration: EXPORT_WORKER_FUNCTION is not set and no local gateway runs in this process',
    );
  }
  return invoker;
}

/** The dev gateway only. */
export function installLocalInvoker(invoker: LocalInvoker | undefined): void {
  (globalThis as Record<symbol, LocalInvoker | undefined>)[INVOKER] = invoker;
}
