// A seam for the test suites: every SDK client the functions build passes through
// `observeClient`, which does nothing unless a test process has installed an observer (the
// integration suites install one that records each command a function sends, to check it
// against the deployed IAM policy; see test/integration/support/sdk-calls.ts). Deployed code
// never installs one, so in AWS this is a lookup of an absent global and nothing else.

export interface ObservableClient {
  middlewareStack: { add(middleware: never, options: never): void };
  config: unknown;
}

export type ClientObserver = (client: ObservableClient) => void;

const OBSERVER = Symbol.for('logbook.sdkClientObserver');

export function observeClient<C>(client: C): C {
  const observer = (globalThis as Record<symbol, ClientObserver | undefined>)[OBSERVER];
  observer?.(client as unknown as ObservableClient);
  return client;
}

/** Test processes only. */
export function installClientObserver(observer: ClientObserver | undefined): void {
  (globalThis as Record<symbol, ClientObserver | undefined>)[OBSERVER] = observer;
}
