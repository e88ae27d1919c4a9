// How a composition module hands its use cases to a function: each bound to the deps it built
// once per cold start, so a handler calls `audit.list(caller, filters, page)` and never passes
// (or even names) deps itself.

/** A use case over deps `D`: `(deps, ...args) => result`. */
type UseCase<D> = (deps: D, ...args: never[]) => unknown;

/** The use cases `U` with their deps bound: `(...args) => result`. */
export type Bound<U> = {
  [K in keyof U]: U[K] extends (deps: never, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/** Each use case of `useCases` as `(...args) => useCase(deps, ...args)`, under the same key. */
export function bindAll<D, U extends Record<string, UseCase<D>>>(deps: D, useCases: U): Bound<U> {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(useCases)) {
    bound[name] = (...args: never[]) => useCase(deps, ...args);
  }
  return bound as Bound<U>;
}

/**
 * As `bindAll`, for deps that resolve on first use (a signing key loaded once): each call awaits
 * them first, so a failed load fails the request that needed them, as before.
 */
export function bindAllAsync<D, U extends Record<string, (deps: D, ...args: never[]) => Promise<unknown>>>(
  deps: () => Promise<D>,
  useCases: U,
): Bound<U> {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(useCases)) {
    bound[name] = async (...args: never[]) => useCase(await deps(), ...args);
  }
  return bound as Bound<U>;
}
