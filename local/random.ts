import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Seeded pseudo-random numbers in [0, 1) from pure-rand (fast-check's generator), so the demo
 * seed, the fault proxy and the benchmarks are the same on every run.
 */
export function seededRandom(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  // Small seeds give a first draw close to 1; one warm-up draw evens that out.
  uniformFloat64(rng);
  return () => uniformFloat64(rng);
}
