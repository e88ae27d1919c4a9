/** A seeded PRNG and helpers, so every bench run builds the same dataset. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
