import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactChanges, redactDeep, redactString } from '../../../shared/domain/redaction.ts';

/**
 * Property tests of redaction (API.md "Redaction") over generated nestings: a secret planted in
 * any of the forms the contract names, at any depth of any harmless document, never survives;
 * a document with no sensitive content comes back unchanged; redacting twice changes nothing.
 */
const SEED = 1322;

// ---- harmless content: nothing here is sensitive by any rule --------------------------------
const harmlessKey = fc.constantFrom(
  'name',
  'title',
  'colour',
  'count',
  'url',
  'items',
  'value',
  'note',
  'author',
  'apiVersion',
  'key',
  'private',
  'header',
  'Ünïcode',
  'x',
  '__proto__',
);
const harmlessText = fc.constantFrom(
  'Fire safety',
  'https://example.com/courses/42?page=2&sort=asc#top',
  '/api/v1/users;v=2?lang=en',
  'https://example.com:8443/p',
  'mailto:ada@example.com',
  'a=b',
  'Basic training',
  'Basic plan for 10 users',
  'Note: bring a pen',
  'ratio 3:4',
  '{"a": 1, "name": "colour", "value": "blue"}',
  '[1, "two", {"three": 3}]',
  '{not json',
  '',
  'ünïcødé ✓',
);
const harmlessLeaf = fc.oneof(
  harmlessText,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const { tree: harmlessTree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    harmlessLeaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(harmlessKey, tie('tree'), { maxKeys: 4 }),
  ),
}));

// ---- secrets and the forms they hide in ----------------------------------------------------
const secret = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/).map((s) => `Sx${s}`);
const WORDS = [
  'password',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'api key',
  'credential',
  'authorization',
  'cookie',
  'session',
  'signature',
  'private key',
];
const FULLWIDTH = (c: string) => String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41);
/** A name containing a sensitive word in some disguise: case, separators, affixes, look-alikes. */
const sensitiveName = fc
  .record({
    word: fc.constantFrom(...WORDS),
    sep: fc.constantFrom('', '_', '-', ' ', '.'),
    caseStyle: fc.constantFrom('lower', 'upper', 'title'),
    prefix: fc.constantFrom('', 'client', 'x-', 'new_', 'Old '),
    suffix: fc.constantFrom('', 'Id', '_hash', 's', '-value'),
    lookalike: fc.nat({ max: 20 }),
  })
  .map(({ word, sep, caseStyle, prefix, suffix, lookalike }) => {
    let w = word.replace(/ /g, sep);
    if (caseStyle === 'upper') w = w.toUpperCase();
    if (caseStyle === 'title') w = w[0]!.toUpperCase() + w.slice(1);
    // One letter as its fullwidth form, which NFKC folds back (ｐassword).
    const at = lookalike % w.length;
    if (/[a-z]/.test(w[at]!)) w = w.slice(0, at) + FULLWIDTH(w[at]!) + w.slice(at + 1);
    return `${prefix}${w}${suffix}`;
  });
/** A parameter name for URLs: no separators that end a parameter. */
const paramName = fc.constantFrom(
  'access_token',
  'id_token',
  'api_key',
  'x-api-key',
  'password',
  'jsessionid',
  'X-Amz-Signature',
  'client%5Fsecret',
);

type Planted = { value: unknown; secret: string; also?: string };
const form: fc.Arbitrary<Planted> = fc.oneof(
  fc
    .tuple(sensitiveName, secret, fc.constantFrom('string', 'number', 'object', 'list'))
    .map(([k, s, shape]) => ({
      secret: s,
      value: {
        [k]: shape === 'string' ? s : shape === 'object' ? { inner: s } : shape === 'list' ? [s] : `${s}`,
      },
    })),
  fc
    .tuple(fc.constantFrom('name', 'key', 'header', 'Name'), sensitiveName, secret)
    .map(([nameKey, n, s]) => ({ secret: s, value: { [nameKey]: n, value: s } })),
  secret.map((s) => ({ secret: s, value: `https://ada:${s}@db.example.com:5432/app` })),
  fc
    .tuple(paramName, secret, fc.constantFrom('?', '?page=2&', '/p;', '/cb#', '/cb#state=x&'))
    .map(([n, s, sep]) => ({ secret: s, value: `https://example.com${sep}${n}=${s}&lang=en` })),
  fc.tuple(paramName, secret).map(([n, s]) => ({ secret: s, value: `/api/login;${n}=${s}?next=%2Fhome` })),
  fc
    .tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER'), secret)
    .map(([b, s]) => ({ secret: s, value: `sent with Authorization ${b} ${s}.x-y_z` })),
  secret.map((s) => {
    const b64 = Buffer.from(`ada:${s}`).toString('base64');
    return { secret: s, also: b64, value: `header was Basic ${b64} (old client)` };
  }),
  fc
    .tuple(
      sensitiveName.filter((n) => /^[\p{L}\p{N} _.-]+$/u.test(n) && n.trim() === n),
      secret,
    )
    .map(([n, s]) => ({ secret: s, value: `Host: example.com\n${n}: ${s}\nAccept: */*` })),
);
/** A form, possibly inside a JSON string (itself possibly inside another). */
const planted: fc.Arbitrary<Planted> = fc.tuple(form, fc.nat({ max: 2 })).map(([p, strings]) => {
  let value = p.value;
  for (let i = 0; i < strings; i++) value = JSON.stringify({ wrapped: value, note: 'x' });
  return { ...p, value };
});

/** `value` wrapped in `depth` harmless objects and arrays. */
function wrap(value: unknown, depth: number, shapes: number): unknown {
  let v = value;
  for (let i = 0; i < depth; i++) v = (shapes >> (i % 30)) & 1 ? [1, v] : { title: 'x', inner: v };
  return v;
}
/** Puts `value` into one of `tree`'s containers (chosen by `at`), or makes it the tree. */
function plantIn(tree: unknown, value: unknown, at: number): unknown {
  const containers: object[] = [];
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'object' && v !== null) {
      containers.push(v);
      stack.push(...Object.values(v));
    }
  }
  if (containers.length === 0) return { planted: value };
  const target = containers[at % containers.length]!;
  if (Array.isArray(target)) target.splice(at % (target.length + 1), 0, value);
  else
    Object.defineProperty(target, 'plantedHere', {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return tree;
}

const plantedDocument = fc
  .tuple(harmlessTree, planted, fc.nat({ max: 28 }), fc.nat(), fc.nat())
  .map(([tree, p, depth, shapes, at]) => ({
    doc: plantIn(structuredClone(tree), wrap(p.value, depth, shapes), at),
    p,
  }));

describe('redaction properties', () => {
  it('never lets a planted secret survive, whatever the form and depth', () => {
    fc.assert(
      fc.property(plantedDocument, ({ doc, p }) => {
        const out = JSON.stringify(redactDeep(doc));
        expect(out).not.toContain(p.secret);
        if (p.also) expect(out).not.toContain(p.also);
      }),
      { numRuns: 3000, seed: SEED },
    );
  });

  it('never lets a secret survive in a change, sensitive by field or by content', () => {
    fc.assert(
      fc.property(sensitiveName, planted, secret, (field, p, s) => {
        const out = JSON.stringify(
          redactChanges([
            { field, before: s, after: { s } },
            { field: 'settings', before: p.value, after: 'plain' },
          ]),
        );
        expect(out).not.toContain(s);
        expect(out).not.toContain(p.secret);
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('returns a document with no sensitive content unchanged', () => {
    fc.assert(
      fc.property(harmlessTree, (tree) => {
        expect(JSON.stringify(redactDeep(tree))).toBe(JSON.stringify(tree));
      }),
      { numRuns: 2000, seed: SEED },
    );
  });

  it('is idempotent: redacting a redacted document changes nothing', () => {
    fc.assert(
      fc.property(plantedDocument, ({ doc }) => {
        const once = redactDeep(doc);
        expect(JSON.stringify(redactDeep(once))).toBe(JSON.stringify(once));
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('keeps the harmless values next to a secret', () => {
    fc.assert(
      fc.property(harmlessTree, planted, (tree, p) => {
        const out = redactDeep({ keep: tree, secretHere: p.value }) as { keep: unknown };
        expect(out.keep).toEqual(tree);
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}{"password":"p"}${'}'.repeat(100_000)}`);
    let v = redactDeep(deep) as Record<string, unknown>;
    for (let i = 0; i < 100_000; i++) v = v.a as Record<string, unknown>;
    expect(v).toEqual({ password: REDACTED });
    expect(redactString(`${'['.repeat(50_000)}"Bearer x"${']'.repeat(50_000)}`)).toBe(REDACTED);
  });
});
