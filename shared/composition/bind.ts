// How a composition module hands its use cases to a function: each bound to the deps it built
// once per cold start, so a handler calls `audit.list(caller, filters, page)` and never passes
// (or even names) deps itself.

/** `useCase(deps, ...args)` as `(...args)`, with deps built once. */
export function bind<D, A extends unknown[], R>(
  deps: D,
  useCase: (deps: D, ...args: A) => R,
): (...args: A) => R {
  return (...args) => useCase(deps, ...args);
}

/**
 * As `bind`, for deps that resolve on first use (a signing key loaded once): each call awaits
 * them, so a failed load fails the request that needed it, as before.
 */
export function bindAsync<D, A extends unknown[], R>(
  deps: () => Promise<D>,
  useCase: (deps: D, ...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => useCase(await deps(), ...args);
}
