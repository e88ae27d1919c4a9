import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  activityQuerySchema,
  directoryNamesQuerySchema,
  directoryUsersQuerySchema,
  myActivityQuerySchema,
} from '../../shared/http/routes/activity-query.ts';
import { auditQuerySchema } from '../../shared/http/routes/audit-query.ts';
import { listExportsQuery } from '../../shared/http/routes/exports.ts';
import { type ApiResponse, api, tokensFor, uniqueTenant } from './helpers.ts';
import { rawDynamo } from './support/raw-dynamo.ts';

/**
 * Fuzzing through the HTTP API with fast-check (fixed seed: a failure is repeatable). Every write
 * route gets batches mixing valid records with targeted corruptions, and arbitrary JSON; every
 * query parameter of the list routes gets hostile values. Properties: never a 5xx; a 400 is
 * problem+json naming the bad path(s) and only those records; a 400 batch writes nothing (read
 * back from DynamoDB Local directly at the end). api() also checks every answer against the
 * OpenAPI document. Most inputs go to routes that reject before writing, so the run stays short.
 */
const SEED = 20261122;
const PARALLEL = 8;
const tenant = uniqueTenant('fuzz');
let tokens: Awaited<ReturnType<typeof tokensFor>>;
const raw = rawDynamo();
const tried: Record<string, number> = {};
const statuses: Record<string, number> = {};
let idCounter = 0;
let storeBusyRetries = 0;
const fuzzId = () => `fz-${tenant}-${idCounter++}`;

beforeAll(async () => {
  tokens = await tokensFor(tenant);
});
afterAll(() => {
  const inputs = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({ suite: 'fuzz', seed: SEED, inputs, byRoute: tried, statuses, storeBusyRetries }),
  );
  raw.destroy();
});

function count(route: string, res: ApiResponse) {
  tried[route] = (tried[route] ?? 0) + 1;
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
}

interface FieldErr {
  path: string;
  message: string;
}
/** A 400 is problem+json with `errors`, every path rooted at one of `roots`, and each root named. */
function expectNamedBadPaths(res: ApiResponse, badRoots: string[], allowedRoots = badRoots) {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const errors = (res.body as { errors?: FieldErr[] }).errors ?? [];
  expect(errors.length, res.text).toBeGreaterThan(0);
  const rootOf = (p: string) =>
    allowedRoots.find((r) => p === r || p.startsWith(`${r}.`) || p.startsWith(`${r}[`));
  for (const e of errors) expect(rootOf(e.path), `${e.path} in ${res.text}`).toBeDefined();
  for (const r of badRoots)
    expect(
      errors.some((e) => rootOf(e.path) === r && e.path.startsWith(r)),
      r,
    ).toBe(true);
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '{{7*7}}',
    "'; DROP TABLE x;--",
    '=HYPERLINK("x")',
    '\u0000',
  ),
);

// ---- audit events ----------------------------------------------------------------------------
const validAudit = fc.record({
  actorName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
  objectName: hostileText,
  detailKey: fc.constantFrom('__proto__', 'constructor', 'note', 'ünïcødé', 'x'),
});
const auditOf = (v: { actorName: string; objectName: string; detailKey: string }) => ({
  id: fuzzId(),
  tenantId: tenant,
  occurredAt: minutesAgo(5),
  actor: { type: 'user', id: 'u-1', name: v.actorName },
  action: 'Updated',
  object: { type: 'Item', id: 'item-1', name: v.objectName },
  source: { kind: 'web' },
  details: JSON.parse(`{${JSON.stringify(v.detailKey)}: {"polluted": true}}`),
});
/** Corruptions that are invalid for certain, each naming the field it breaks. */
const auditCorruption: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(
    fc.constant('tenantId'),
    fc.constantFrom('', 'a#b', 'x'.repeat(65), 42, null, 'tenant with space'),
  ),
  fc.tuple(
    fc.constant('occurredAt'),
    fc.constantFrom(
      'yesterday',
      '2026-13-01T00:00:00Z',
      '1999-01-01T00:00:00Z',
      '2999-01-01T00:00:00Z',
      12,
      '',
    ),
  ),
  fc.tuple(fc.constant('id'), fc.constantFrom('bad id!', '', 'x'.repeat(129), 'é', 7, 'a/b')),
  fc.tuple(
    fc.constant('actor'),
    fc.constantFrom(undefined, { type: 'robot', name: 'x' }, { type: 'user', name: ' ' }, 'me'),
  ),
  fc.tuple(
    fc.constant('action'),
    fc.constantFrom('NotAnAction', '', 5, '__proto__', 'constructor', 'toString'),
  ),
  fc.tuple(fc.constant('object'), fc.constantFrom({ type: 'Nope', id: 'x' }, { type: 'Item' }, [], null)),
  fc.tuple(fc.constant('source'), fc.constantFrom({ kind: 'pigeon' }, { kind: 'web', name: '' }, 'web')),
  fc.tuple(fc.constant('ip'), fc.constantFrom('999.1.1.1', 'not-an-ip', '1.2.3', 17)),
  fc.tuple(
    fc.constant('changes'),
    fc.constantFrom(
      'str',
      [{ before: 1 }],
      Array.from({ length: 201 }, () => ({ field: 'f' })),
    ),
  ),
  fc.tuple(fc.constant('details'), fc.constantFrom('str', 5, { big: 'x'.repeat(33 * 1024) })),
  fc.tuple(
    fc.constant('request'),
    fc.constantFrom({ method: 'GET', url: '/x', status: 99 }, { method: 'G E T', url: '/x', status: 200 }),
  ),
  fc.tuple(fc.constant('userAgent'), fc.constant('u'.repeat(1025))),
  fc.tuple(
    fc.constant(''),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 })),
  ),
);
const auditBatch = fc
  .tuple(
    fc.array(validAudit, { minLength: 0, maxLength: 6 }),
    fc.array(fc.tuple(validAudit, auditCorruption), { minLength: 1, maxLength: 3 }),
    fc.integer(),
  )
  .map(([valid, bad, shuffle]) => {
    const events: { event: unknown; bad: string | null }[] = [
      ...valid.map((v) => ({ event: auditOf(v), bad: null })),
      ...bad.map(([v, [field, value]]) => {
        if (field === '') return { event: value, bad: '' };
        const e: Record<string, unknown> = { ...auditOf(v) };
        if (value === undefined) delete e[field];
        else e[field] = value;
        return { event: e, bad: field };
      }),
    ];
    const rotate = Math.abs(shuffle) % events.length;
    return [...events.slice(rotate), ...events.slice(0, rotate)];
  });

// ---- activity events ---------------------------------------------------------------------------
const activityOf = () => ({
  id: fuzzId(),
  tenantId: tenant,
  occurredAt: minutesAgo(5),
  userId: 'u-fuzz',
  action: 'Completed',
  content: { type: 'Quiz', id: 'q-1', title: 'Fire safety' },
});
const activityCorruption: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constant('userId'), fc.constantFrom(undefined, '', 5, 'x'.repeat(129))),
  fc.tuple(fc.constant('action'), fc.constantFrom('Teleported', '', '__proto__', 0)),
  fc.tuple(
    fc.constant('occurredAt'),
    fc.constantFrom('tomorrow', '2999-01-01T00:00:00Z', '2026-02-30T00:00:00Z'),
  ),
  fc.tuple(
    fc.constant('content'),
    fc.constantFrom({ type: 'Nope', id: 'x', title: 't' }, { type: 'Quiz', id: 'q' }, 7),
  ),
  fc.tuple(
    fc.constant('result'),
    fc.constantFrom(
      { outcome: 'maybe' },
      { outcome: 'passed', scorePercent: 150 },
      { outcome: 'failed', durationSeconds: -1 },
    ),
  ),
  fc.tuple(fc.constant('completed'), fc.constantFrom('yes', 1, null)),
  fc.tuple(fc.constant('device'), fc.constantFrom('fax', '', 3)),
  fc.tuple(
    fc.constant('cpdLabels'),
    fc.constantFrom(
      'label',
      [''],
      Array.from({ length: 51 }, () => 'l'),
    ),
  ),
  fc.tuple(fc.constant('tenantId'), fc.constantFrom('', 'a#b', null)),
);
const activityBatch = fc
  .tuple(fc.nat({ max: 5 }), fc.array(activityCorruption, { minLength: 1, maxLength: 3 }), fc.nat())
  .map(([valid, bad, rotateBy]) => {
    const events: { event: unknown; bad: string | null }[] = [
      ...Array.from({ length: valid }, () => ({ event: activityOf(), bad: null })),
      ...bad.map(([field, value]) => {
        const e: Record<string, unknown> = { ...activityOf() };
        if (value === undefined) delete e[field];
        else e[field] = value;
        return { event: e, bad: field };
      }),
    ];
    const r = rotateBy % events.length;
    return [...events.slice(r), ...events.slice(0, r)];
  });

// ---- directory ----------------------------------------------------------------------------------
const DIRECTORY: Record<string, { valid: () => Record<string, unknown>; bad: [string, unknown][] }> = {
  users: {
    valid: () => ({
      id: fuzzId(),
      firstName: 'Ada',
      lastName: 'L',
      email: 'ada@example.com',
      role: 'Learner',
      status: 'active',
    }),
    bad: [
      ['email', 'not-an-email'],
      ['status', 'zombie'],
      ['id', 'bad id!'],
      ['firstName', ''],
      ['joinedAt', 'last tuesday'],
      ['customFields', { '': 'x' }],
      ['secondaryTeamIds', 'team-1'],
    ],
  },
  teams: {
    valid: () => ({ id: fuzzId(), name: 'Team' }),
    bad: [
      ['name', ''],
      ['id', '#'],
      ['parentId', 'a b'],
    ],
  },
  groups: {
    valid: () => ({ id: fuzzId(), name: 'Group' }),
    bad: [
      ['name', 5],
      ['id', ''],
    ],
  },
  content: {
    valid: () => ({ id: fuzzId(), type: 'Item', title: 'A title' }),
    bad: [
      ['title', ''],
      ['archived', 'yes'],
      ['id', 'x'.repeat(200)],
    ],
  },
};

const WRITE_ROUTES = [
  { method: 'POST', path: '/v1/audit-events' },
  { method: 'POST', path: '/v1/activity-events' },
  ...Object.keys(DIRECTORY).map((k) => ({ method: 'PUT', path: `/v1/directory/${k}` })),
  { method: 'POST', path: '/v1/exports' },
  { method: 'POST', path: '/v1/reports' },
];

/** Runs a property over `runs` inputs, PARALLEL requests at a time. */
async function property<T>(arb: fc.Arbitrary<T>, runs: number, check: (input: T) => Promise<void>) {
  await fc.assert(
    fc.asyncProperty(fc.array(arb, { minLength: PARALLEL, maxLength: PARALLEL }), async (inputs) => {
      await Promise.all(inputs.map(check));
    }),
    { numRuns: Math.ceil(runs / PARALLEL), seed: SEED, endOnFailure: true },
  );
}

describe('fuzzing the write routes', () => {
  it('rejects audit batches with any invalid event as a whole, naming exactly the bad events', async () => {
    await property(auditBatch, 1200, async (batch) => {
      const res = await api('/v1/audit-events', {
        token: tokens.service,
        body: { events: batch.map((b) => b.event) },
      });
      count('POST /v1/audit-events', res);
      const bad = batch.flatMap((b, i) => (b.bad === null ? [] : [`events[${i}]`]));
      expectNamedBadPaths(res, bad);
    });
  });

  it('rejects activity batches with any invalid event as a whole, naming exactly the bad events', async () => {
    await property(activityBatch, 800, async (batch) => {
      const res = await api('/v1/activity-events', {
        token: tokens.service,
        body: { events: batch.map((b) => b.event) },
      });
      count('POST /v1/activity-events', res);
      expectNamedBadPaths(
        res,
        batch.flatMap((b, i) => (b.bad === null ? [] : [`events[${i}]`])),
      );
    });
  });

  it('rejects directory batches with any invalid record as a whole, naming exactly the bad records', async () => {
    const kinds = Object.keys(DIRECTORY);
    const arb = fc.tuple(
      fc.constantFrom(...kinds),
      fc.nat({ max: 4 }),
      fc.nat({ max: 100 }),
      fc.nat({ max: 5 }),
    );
    await property(arb, 800, async ([kind, valid, which, at]) => {
      const spec = DIRECTORY[kind]!;
      const [field, value] = spec.bad[which % spec.bad.length]!;
      const records: unknown[] = Array.from({ length: valid }, () => spec.valid());
      const pos = at % (valid + 1);
      records.splice(pos, 0, { ...spec.valid(), [field]: value });
      const res = await api(`/v1/directory/${kind}`, {
        method: 'PUT',
        token: tokens.service,
        body: { tenantId: tenant, [kind]: records },
      });
      count(`PUT /v1/directory/${kind}`, res);
      expectNamedBadPaths(res, [`${kind}[${pos}]`]);
    });
  });

  it('rejects export requests with any invalid field, naming it, and queues nothing', async () => {
    const corruption: fc.Arbitrary<[string, string, unknown]> = fc.constantFrom(
      ['log', 'log', 'sales'],
      ['log', 'log', 7],
      ['format', 'format', 'xlsx'],
      ['format', 'format', null],
      ['variant', 'variant', 'fancy'],
      ['filters', 'filters', 'all'],
      ['filters', 'filters.from', { from: 'yesterday' }],
      ['filters', 'filters.action', { action: 'Exploded' }],
      ['filters', 'filters.bogus', { bogus: 'x' }],
    );
    await property(
      fc.tuple(corruption, fc.constantFrom('audit', 'activity')),
      400,
      async ([[field, path, value], log]) => {
        const body = { log, format: 'csv', filters: {}, [field]: value };
        const res = await api('/v1/exports', { token: tokens.admin, body });
        count('POST /v1/exports', res);
        expect(res.status, `${JSON.stringify(body)} ${res.text}`).toBe(400);
        const paths = ((res.body as { errors?: FieldErr[] }).errors ?? []).map((e) => e.path);
        expect(
          paths.some((p) => p === path.split('.')[0] || p.startsWith(path.split('.')[0]!)),
          `${path} in ${res.text}`,
        ).toBe(true);
      },
    );
  });

  it('rejects saved reports and schedules with any invalid field, naming it', async () => {
    const created = await api('/v1/reports', {
      token: tokens.admin,
      body: { name: 'Fuzz target', log: 'audit', filters: {}, visibility: 'private' },
    });
    expect(created.status, created.text).toBe(201);
    const reportBody = { name: 'Weekly', log: 'audit', filters: {}, visibility: 'private' };
    const scheduleBody = { frequency: 'weekly', recipients: ['u-admin'], timeZone: 'Europe/London', hour: 6 };
    const corruption: fc.Arbitrary<[string, string, unknown]> = fc.constantFrom(
      ['report', 'name', ''],
      ['report', 'name', 5],
      ['report', 'log', 'sales'],
      ['report', 'visibility', 'public'],
      ['report', 'filters', 'all'],
      ['report', 'filters', { from: 'yesterday' }],
      ['report', 'filters', { range: 'last1000d' }],
      ['schedule', 'frequency', 'hourly'],
      ['schedule', 'hour', 24],
      ['schedule', 'hour', 'six'],
      ['schedule', 'timeZone', 'Mars/Olympus_Mons'],
      ['schedule', 'recipients', 'u-admin'],
    );
    await property(corruption, 400, async ([target, field, value]) => {
      const res =
        target === 'report'
          ? await api('/v1/reports', { token: tokens.admin, body: { ...reportBody, [field]: value } })
          : await api(`/v1/reports/${created.body.id}/schedule`, {
              method: 'PUT',
              token: tokens.admin,
              body: { ...scheduleBody, [field]: value },
            });
      count(target === 'report' ? 'POST /v1/reports' : 'PUT /v1/reports/{id}/schedule', res);
      expectNamedBadPaths(res, [field]);
    });
  });

  it('answers arbitrary JSON and non-JSON bodies on every write route without a 5xx', async () => {
    const body = fc.oneof(
      fc.jsonValue().map((v) => ({ json: v })),
      fc.record({ events: fc.jsonValue() }).map((v) => ({ json: v })),
      fc.record({ tenantId: fc.jsonValue(), users: fc.jsonValue() }).map((v) => ({ json: v })),
      fc.string({ maxLength: 200 }).map((s) => ({ raw: s })),
      fc.constantFrom(
        { raw: '{"events": [' },
        { raw: '{"__proto__": {"admin": true}, "events": []}' },
        { raw: '{"constructor": {"prototype": {"x": 1}}}' },
        { raw: `{"events": "${'a'.repeat(1024 * 1024)}"}` },
      ),
    );
    await property(fc.tuple(fc.constantFrom(...WRITE_ROUTES), body), 800, async ([route, input]) => {
      const res = await api(route.path, {
        method: route.method,
        token: route.path === '/v1/exports' || route.path === '/v1/reports' ? tokens.admin : tokens.service,
        ...('json' in input
          ? { body: input.json }
          : { rawBody: input.raw, headers: { 'content-type': 'application/json' } }),
      });
      count(`${route.method} ${route.path}`, res);
      expect(res.status, res.text).toBeLessThan(500);
      if (res.status >= 300) expect([400, 413]).toContain(res.status);
    });
  });

  it('stores well-formed hostile events as data: unicode and constructor keys round-trip, __proto__ never becomes a prototype', async () => {
    const inputs = fc.sample(validAudit, { numRuns: 20, seed: SEED });
    const events = inputs.map(auditOf);
    let res = await api('/v1/audit-events', { token: tokens.service, body: { events } });
    // Other suites may load the store meanwhile: a 429/503 is retried whole, as API.md allows.
    for (let attempt = 0; attempt < 10 && (res.status === 429 || res.status === 503); attempt++)
      res = await api('/v1/audit-events', { token: tokens.service, body: { events } });
    count('POST /v1/audit-events', res);
    expect(res.status, res.text).toBe(200);
    for (const e of events) {
      const got = await api(`/v1/audit-events/${e.id}`, { token: tokens.admin });
      expect(got.status).toBe(200);
      // A `__proto__` key is dropped by the DynamoDB marshaller (never turned into a prototype,
      // so its content cannot surface as other keys); every other key round-trips as data.
      const expected = Object.fromEntries(Object.entries(e.details).filter(([k]) => k !== '__proto__'));
      expect(JSON.parse(got.text).details).toEqual(expected);
      expect(got.body.object.name).toBe(e.object.name);
      expect(got.body.actor.name).toBe(e.actor.name.trim());
    }
  });

  it('wrote nothing from any rejected batch', async () => {
    const written = new Set<string>();
    for (const table of [inject('tables').audit, inject('tables').activity]) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await raw.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: 'begins_with(pk, :p)',
            ExpressionAttributeValues: { ':p': `${tenant}#` },
            ExclusiveStartKey: start,
          }),
        );
        // Only fuzz-generated ids: the tenant's audit log also records the report created above.
        for (const item of page.Items ?? [])
          if (String(item.pk).startsWith(`${tenant}#fz-`)) written.add(String(item.pk));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    const directory = await raw.send(
      new ScanCommand({
        TableName: inject('tables').directory,
        FilterExpression: 'pk = :t',
        ExpressionAttributeValues: { ':t': tenant },
      }),
    );
    // Only the 20 events of the round-trip test were valid batches.
    expect(written.size).toBe(20);
    expect(directory.Items ?? []).toEqual([]);
  });
});

// ---- depth and redaction ---------------------------------------------------------------------------
/** `levels` nested containers (objects or arrays) around 1, as JSON text (JSON.stringify recurses). */
const deepJson = (levels: number, arrays: boolean) =>
  arrays ? `${'['.repeat(levels)}1${']'.repeat(levels)}` : `${'{"k":'.repeat(levels)}1${'}'.repeat(levels)}`;
const withMember = (json: object, key: string, text: string) =>
  `${JSON.stringify(json).slice(0, -1)}${Object.keys(json).length ? ',' : ''}${JSON.stringify(key)}:${text}}`;
/** The levels a value added as a member sits under, per route: body (1) and what wraps it. */
const DEPTH_TARGETS = [
  {
    route: 'POST /v1/audit-events',
    path: '/v1/audit-events',
    wrap: (t: string) => `{"events":[${withMember(auditOf(fc.sample(validAudit, 1)[0]!), 'details', t)}]}`,
    prefix: 'events[0].details',
    above: 3,
  },
  {
    route: 'POST /v1/activity-events',
    path: '/v1/activity-events',
    wrap: (t: string) => `{"events":[${withMember(activityOf(), 'extra', t)}]}`,
    prefix: 'events[0].extra',
    above: 3,
  },
  {
    route: 'POST /v1/exports',
    path: '/v1/exports',
    wrap: (t: string) => `{"log":"audit","format":"csv","filters":${withMember({}, 'objectName', t)}}`,
    prefix: 'filters.objectName',
    above: 2,
  },
  {
    route: 'POST /v1/reports',
    path: '/v1/reports',
    wrap: (t: string) => withMember({ name: 'Deep', log: 'audit', visibility: 'private' }, 'filters', t),
    prefix: 'filters',
    above: 1,
  },
];

const SECRET_WORDS = [
  'password',
  'clientSecret',
  'x-api-key',
  'accessToken',
  'ｐassword',
  'Session_Id',
  'PRIVATE KEY',
];
/** A secret in one of the forms API.md names, as [where it goes in an event, the value]. */
const plantedSecret = fc
  .tuple(fc.nat({ max: 7 }), fc.constantFrom(...SECRET_WORDS), fc.nat({ max: 24 }), fc.nat())
  .map(([form, word, depth, n]) => {
    const secret = `Fz${n}s3cr3t${tenant.replace(/-/g, '')}`;
    const forms: unknown[] = [
      { [word]: secret },
      { name: word, value: secret },
      `https://ada:${secret}@db.example.com/app`,
      `/cb?page=2&${encodeURIComponent(word)}=${secret}#top`,
      `/cb#id_token=${secret}&state=1`,
      `sent Bearer ${secret}`,
      `Basic ${Buffer.from(`ada:${secret}`).toString('base64')}`,
      JSON.stringify({ note: 'x', [word]: secret }),
    ];
    let value = forms[form];
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { level: value };
    return { secret, value, form };
  });

describe('fuzzing depth and redaction', () => {
  it('answers any body nested deeper than 32 levels with a 400 naming the path, on every route that takes JSON', async () => {
    const arb = fc.tuple(
      fc.constantFrom(...DEPTH_TARGETS),
      fc.constantFrom(33, 34, 40, 100, 1_000, 3_000, 10_000),
      fc.boolean(),
    );
    await property(arb, 400, async ([target, total, arrays]) => {
      const levels = total - target.above;
      const res = await api(target.path, {
        token:
          target.path.startsWith('/v1/exports') || target.path.startsWith('/v1/reports')
            ? tokens.admin
            : tokens.service,
        rawBody: target.wrap(deepJson(levels, arrays)),
        headers: { 'content-type': 'application/json' },
      });
      count(`${target.route} (depth)`, res);
      expect(res.status, res.text.slice(0, 300)).toBe(400);
      const errors = (res.body as { errors?: FieldErr[] }).errors ?? [];
      expect(errors).toHaveLength(1);
      const steps = 32 - target.above;
      expect(errors[0]).toEqual({
        path: target.prefix + (arrays ? '[0]' : '.k').repeat(steps),
        message: 'is nested deeper than 32 levels',
      });
    });
  });

  it('stores no secret planted at any depth of details, changes or the request URL, in any of the forms redaction covers', async () => {
    const arb = fc.array(fc.tuple(plantedSecret, fc.constantFrom('details', 'changes', 'url')), {
      minLength: 10,
      maxLength: 10,
    });
    let n = 0;
    const secrets: string[] = [];
    const ids: string[] = [];
    for (const batch of fc.sample(arb, { numRuns: 20, seed: SEED })) {
      const events = batch.map(([p, where]) => {
        const id = `rd-${tenant}-${n++}`;
        ids.push(id);
        secrets.push(p.secret);
        const e: Record<string, unknown> = {
          ...auditOf(fc.sample(validAudit, 1)[0]!),
          id,
          details: { keep: 'visible' },
        };
        if (where === 'details') e.details = { keep: 'visible', planted: p.value };
        if (where === 'changes') e.changes = [{ field: 'settings', before: p.value, after: 'visible' }];
        if (where === 'url')
          e.request = {
            method: 'GET',
            url: typeof p.value === 'string' && p.form >= 2 && p.form <= 4 ? p.value : `/x?token=${p.secret}`,
            status: 200,
          };
        return e;
      });
      let res = await api('/v1/audit-events', { token: tokens.service, body: { events } });
      for (let attempt = 0; attempt < 10 && (res.status === 429 || res.status === 503); attempt++)
        res = await api('/v1/audit-events', { token: tokens.service, body: { events } });
      count('POST /v1/audit-events (redaction)', res);
      expect(res.status, res.text).toBe(200);
    }
    for (const [i, id] of ids.entries()) {
      const got = await api(`/v1/audit-events/${id}`, { token: tokens.admin });
      expect(got.status).toBe(200);
      expect(got.text).not.toContain(secrets[i]!);
      expect(got.body.details.keep).toBe('visible');
    }
  });
});

// ---- query parameters ---------------------------------------------------------------------------
const hostileValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ',', ',,,', 'true', 'false', '0', '-1', '201', '1e3', 'NaN', 'asc', 'desc', 'sideways'),
  fc.constantFrom('2026-11-22T10:15:30.123Z', '2026-11-22', '2026-02-30T00:00:00Z', '9999-12-31T23:59:59Z'),
  fc.constantFrom(
    '10.0.0.0/8',
    '::1',
    '300.1.1.1/40',
    'Created,Deleted',
    'Item,Quiz',
    'team',
    'company',
    'managed',
  ),
  fc.constantFrom(
    'x'.repeat(5000),
    '%00',
    '__proto__',
    'constructor',
    'eyJhbGciOiJub25lIn0.e30.',
    'A'.repeat(300),
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

const LIST_ROUTES = [
  { path: '/v1/audit-events', params: Object.keys(auditQuerySchema.shape), token: () => tokens.admin },
  { path: '/v1/activity', params: Object.keys(activityQuerySchema.shape), token: () => tokens.admin },
  { path: '/v1/me/activity', params: Object.keys(myActivityQuerySchema.shape), token: () => tokens.learner },
  // Small routes with few parameters: fewer runs cover them.
  {
    path: '/v1/directory/users',
    params: Object.keys(directoryUsersQuerySchema.shape),
    token: () => tokens.manager,
    runs: 150,
  },
  {
    path: '/v1/directory/teams',
    params: Object.keys(directoryNamesQuerySchema.shape),
    token: () => tokens.admin,
    runs: 100,
  },
  { path: '/v1/exports', params: Object.keys(listExportsQuery.shape), token: () => tokens.admin, runs: 100 },
];

describe('fuzzing the query parameters of the list routes', () => {
  for (const route of LIST_ROUTES) {
    it(`answers ${route.path} with 200 or a 400 naming a given parameter, for any values of ${route.params.length} parameters`, async () => {
      const params = fc.dictionary(
        fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...route.params) },
          fc.constantFrom('bogus', '__proto__', 'constructor', 'toString', 'LIMIT'),
        ),
        hostileValue,
        { minKeys: 1, maxKeys: 4 },
      );
      await property(params, route.runs ?? 500, async (query) => {
        const qs = new URLSearchParams(Object.entries(query)).toString();
        let res = await api(`${route.path}?${qs}`, { token: route.token() });
        // A 503 is the store being slow under other suites' load (safe to retry), not a fuzz finding.
        for (let attempt = 0; attempt < 5 && res.status === 503; attempt++) {
          storeBusyRetries++;
          res = await api(`${route.path}?${qs}`, { token: route.token() });
        }
        count(`GET ${route.path}`, res);
        expect([200, 400], res.text).toContain(res.status);
        if (res.status === 400) {
          const given = Object.keys(query);
          expectNamedBadPaths(res, [], given);
        }
      });
    });
  }
});
