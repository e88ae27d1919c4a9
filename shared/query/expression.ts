/**
 * Builds DynamoDB expressions with generated placeholders, so no attribute name or value is
 * ever spliced into expression text. `path('e.actor.id')` → `#n0.#n1.#n2`.
 */
export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly parts: string[] = [];
  private nameIds = new Map<string, string>();
  private valueCount = 0;
  constructor(private readonly prefix = '') {}

  path(dotted: string): string {
    return dotted
      .split('.')
      .map((segment) => {
        let id = this.nameIds.get(segment);
        if (!id) {
          id = `#${this.prefix}n${this.nameIds.size}`;
          this.nameIds.set(segment, id);
          this.names[id] = segment;
        }
        return id;
      })
      .join('.');
  }

  value(v: unknown): string {
    const id = `:${this.prefix}v${this.valueCount++}`;
    this.values[id] = v;
    return id;
  }

  /** Adds one condition; all conditions are ANDed. */
  add(condition: string): this {
    this.parts.push(condition);
    return this;
  }

  /** `path IN (v1, v2, …)`, or `path = v` for one value. */
  anyOf(dotted: string, values: readonly unknown[]): this {
    const p = this.path(dotted);
    if (values.length === 1) return this.add(`${p} = ${this.value(values[0])}`);
    return this.add(`${p} IN (${values.map((v) => this.value(v)).join(', ')})`);
  }

  get expression(): string | undefined {
    return this.parts.length ? this.parts.map((p) => `(${p})`).join(' AND ') : undefined;
  }

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }
}
