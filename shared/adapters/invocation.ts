// Which function is running. In AWS each function is its own process and nothing marks an
// invocation (`currentFunction()` is undefined). Locally every handler runs in the gateway's
// process, so the gateway, the in-process export worker and the schedule runner mark each
// invocation here (local/gateway.ts, local/schedules.ts): the integration suites' SDK call
// recorder attributes each call to its function (test/integration/support/sdk-calls.ts), and
// process-wide caches keep one entry per function, as separate Lambdas would
// (dynamodb/directory-store.ts). Kept on globalThis so every copy of this module in a process
// shares one store.

import { AsyncLocalStorage } from 'node:async_hooks';

const KEY = Symbol.for('logbook.invocation');

type Store = AsyncLocalStorage<{ fn: string }>;

const registry = globalThis as Record<symbol, Store | undefined>;
registry[KEY] ??= new AsyncLocalStorage();
const store: Store = registry[KEY];

export function runAs<T>(fn: string, body: () => T): T {
  return store.run({ fn }, body);
}

/** The function whose invocation the caller runs in, if any. */
export function currentFunction(): string | undefined {
  return store.getStore()?.fn;
}
