import { seededRandom } from '../../local/random.ts';

/** Seeded helpers over the shared PRNG (pure-rand), so every bench run builds the same dataset. */
export class Rng {
  private readonly draw: () => number;
  constructor(seed: number) {
    this.draw = seededRandom(seed);
  }
  next(): number {
    return this.draw();
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** Zipf-like: a few values are hot, most are rare (as real actors and objects are). */
  skewed<T>(items: readonly T[], power = 2.2): T {
    return items[Math.min(items.length - 1, Math.floor(items.length * this.next() ** power))]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}
