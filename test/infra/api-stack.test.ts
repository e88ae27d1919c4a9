import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_FOUND_FUNCTION, ROUTES } from '../../functions/routes.ts';
import { FUNCTIONS, type FunctionSpec, type TableAccess } from '../../infra/functions.ts';
import { EXPORTS_PREFIX } from '../../infra/stacks/data-stack.ts';
import { TABLES } from '../../shared/adapters/dynamodb/tables.ts';
import { INDEX_MARGIN_SECONDS, WRITE_GRACE_SECONDS } from '../../shared/use-cases/trust/erasure.ts';
import { inspect, REPO_ROOT, SAMPLE_ROUTES, type Synth, synthLogbook, TEST_ISSUER } from './synth.ts';

const AUTH_TYPE = { user: 'JWT', service: 'AWS_IAM', none: 'NONE' } as const;

/** Synthesized once with every manifest entry and routes of every auth kind; bundling off. */
let s: Synth;
let view: ReturnType<typeof inspect>;
beforeAll(() => {
  s = synthLogbook({
    routes: SAMPLE_ROUTES,
    context: { throttleRateLimit: '25', throttleBurstLimit: '50' },
  });
  view = inspect(s);
});

/**
 * Other settings, and batch access for the directory and activity queries: synthesized once, on
 * first use.
 */
let alternate: Synth | undefined;
const other = () => {
  alternate ??= synthLogbook({
    manifest: {
      ...FUNCTIONS,
      directory: { description: 'batch', tables: { Directory: { access: 'readWrite', batch: true } } },
      'activity-query': { description: 'batch', tables: { Activity: { access: 'read', batch: true } } },
    },
    context: {
      sesSandboxRecipients: 'qa@example.org',
      publicBaseUrl: 'https://logbook.example.com',
      corsAllowOrigins: 'https://admin.example.com',
      costHeaders: 'true',
      serviceCallers: 'arn:aws:iam::123456789012:role/platform-ingest,arn:aws:iam::123456789012:user/sync',
      exportWorkerConcurrency: '0',
      scheduleDispatcherConcurrency: '3',
    },
  });
  return alternate;
};

const EXPECTED_DYNAMO: Record<TableAccess, string[]> = {
  query: ['dynamodb:Query'],
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  append: ['dynamodb:PutItem'],
  readAppend: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  write: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  readWrite: [
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
  ],
  readUpdate: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  expiry: ['dynamodb:Query', 'dynamodb:UpdateItem'],
  seal: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  erasure: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
};
const PERSON_KEY_ITEMS: Record<NonNullable<FunctionSpec['personKeys']>, string[]> = {
  read: ['dynamodb:GetItem'],
  create: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  erase: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
};

describe('functions', () => {
  it('creates one Lambda per manifest entry, nothing else', () => {
    s.apiTemplate.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTIONS).length);
    expect([...s.api.functions.keys()].sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  for (const [name, spec] of Object.entries(FUNCTIONS)) {
    it(`${name}: Node.js 22 on ARM64, traced, memory and timeout from the manifest`, () => {
      const { props } = view.fn(name);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: spec.memoryMb ?? 256,
        Timeout: spec.timeoutSeconds ?? 10,
      });
      expect(view.render((props.LoggingConfig as { LogGroup: unknown }).LogGroup)).toBe(`logs:${name}`);
    });

    it(`${name}: may use exactly the DynamoDB actions of its manifest entry, on its tables and their named indexes`, () => {
      const grants = view.fn(name).grants('dynamodb:');
      const expected: Record<string, string[]> = {};
      for (const [tableId, grant] of Object.entries(spec.tables ?? {})) {
        const access = typeof grant === 'string' ? grant : grant.access;
        const batch = typeof grant === 'string' ? undefined : grant.batch;
        const def = TABLES.find((t) => t.id === tableId)!;
        const actions = [...EXPECTED_DYNAMO[access]];
        const queries = actions.includes('dynamodb:Query');
        const writes = actions.includes('dynamodb:PutItem') || actions.includes('dynamodb:UpdateItem');
        if (batch === 'read' || (batch === true && queries)) actions.push('dynamodb:BatchGetItem');
        if (batch === 'write' || (batch === true && writes)) actions.push('dynamodb:BatchWriteItem');
        for (const action of actions) {
          const onIndexes =
            action === 'dynamodb:Query' ? def.indexes.map((i) => `${def.id}.Arn/index/${i.name}`) : [];
          expected[action] = [...(expected[action] ?? []), `${def.id}.Arn`, ...onIndexes].sort();
        }
      }
      for (const action of spec.personKeys ? PERSON_KEY_ITEMS[spec.personKeys] : []) {
        expected[action] = [...(expected[action] ?? []), 'Keys.Arn'].sort();
      }
      expect(grants).toEqual(expected);
    });

    it(`${name}: gets each variable it needs and no other`, () => {
      const env = view.fn(name).env;
      const expected = new Set(['STAGE', 'NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']);
      for (const tableId of Object.keys(spec.tables ?? {})) {
        expected.add(TABLES.find((t) => t.id === tableId)!.envVar);
      }
      if (spec.bucket) expected.add('EXPORTS_BUCKET');
      if (spec.signingSecret) expected.add('SIGNING_SECRET_ARN');
      if (spec.sealKey) expected.add('SEAL_KMS_KEY_ID');
      if (spec.personKeys) expected.add('KEYS_TABLE').add('PERSON_KEYS_KMS_KEY_ID').add('KEY_CACHE_SECONDS');
      if (spec.sender) expected.add('SENDER_EMAIL');
      for (const target of spec.invoke ?? [])
        expected.add(`${target.toUpperCase().replace(/-/g, '_')}_FUNCTION`);
      for (const queue of spec.sendsTo ?? [])
        expected.add(`${queue.toUpperCase().replace(/-/g, '_')}_QUEUE_URL`);
      for (const setting of spec.settings ?? []) {
        if (setting === 'SHARDS') expected.add('TENANT_SHARDS').add('DEFAULT_SHARDS');
        else expected.add(setting);
      }
      if (name === NOT_FOUND_FUNCTION || SAMPLE_ROUTES.some((r) => r.fn === name)) {
        for (const claim of ['TENANT_ID', 'ROLE', 'REPORTING', 'SUB']) expected.add(`JWT_CLAIM_${claim}`);
      }
      expect(new Set(Object.keys(env))).toEqual(expected);
      expect(env.STAGE).toBe('test');
    });

    it(`${name}: writes logs only to its own log group`, () => {
      expect(view.fn(name).grants('logs:')).toEqual({
        'logs:CreateLogStream': [`logs:${name}.Arn`],
        'logs:PutLogEvents': [`logs:${name}.Arn`],
      });
    });
  }

  it('puts each table name, the bucket and the secret ARN in the variables shared/config.ts reads', () => {
    expect(view.fn('audit-ingest').env).toMatchObject({
      AUDIT_TABLE: 'Audit',
      AUDIT_RETENTION_MONTHS: '18',
      TENANT_SHARDS: '',
      DEFAULT_SHARDS: '1',
    });
    expect(view.fn('activity-ingest').env).toMatchObject({
      ACTIVITY_TABLE: 'Activity',
      ACTIVITY_RETENTION_MONTHS: '84',
    });
    expect(view.fn('audit-query').env).toMatchObject({ AUDIT_RETENTION_MONTHS: '18' });
    expect(view.fn('downloads').env).toMatchObject({
      STATE_TABLE: 'State',
      EXPORTS_BUCKET: 'Exports',
      SIGNING_SECRET_ARN: 'SigningSecret',
    });
    expect(view.fn('schedule-run-worker').env.SENDER_EMAIL).toBe('reports@logbook.example.com');
    expect(view.fn('schedule-dispatcher').env.SCHEDULE_RUNS_QUEUE_URL).toBe('Queue-schedule-runs');
  });

  it('adds the verified recipients to the SES resources while in the sandbox', () => {
    const grants = inspect(other()).fn('schedule-run-worker').grants('ses:');
    expect(grants['ses:SendEmail']!.map((r) => r.replace(/^.*:identity\//, ''))).toEqual([
      'logbook.example.com',
      'qa@example.org',
      'reports@logbook.example.com',
    ]);
  });

  it('builds download links from the API URL and lets exports start the worker', () => {
    expect(view.fn('exports').env).toMatchObject({
      PUBLIC_BASE_URL: 'Api.ApiEndpoint',
      EXPORT_LINK_DAYS: '7',
      EXPORT_WORKER_FUNCTION: 'fn:export-worker',
    });
    expect(view.fn('exports').grants('lambda:')).toEqual({
      'lambda:InvokeFunction': ['fn:export-worker.Arn'],
    });
  });

  it('uses the publicBaseUrl setting instead of the API URL when given', () => {
    expect(inspect(other()).fn('exports').env.PUBLIC_BASE_URL).toBe('https://logbook.example.com');
  });

  it('adds BatchGetItem to reads and BatchWriteItem to writes only where the manifest asks for batch', () => {
    expect(inspect(other()).fn('directory').grants('dynamodb:Batch')).toEqual({
      'dynamodb:BatchGetItem': ['Directory.Arn'],
      'dynamodb:BatchWriteItem': ['Directory.Arn'],
    });
    const activityIndexes = TABLES.find((t) => t.id === 'Activity')!.indexes.map(
      (i) => `Activity.Arn/index/${i.name}`,
    );
    expect(inspect(other()).fn('activity-query').grants('dynamodb:')).toEqual({
      'dynamodb:BatchGetItem': ['Activity.Arn'],
      'dynamodb:GetItem': ['Activity.Arn'],
      'dynamodb:Query': ['Activity.Arn', ...activityIndexes].sort(),
    });
    // The deployed manifest: exactly the batch calls the adapters send (directory upserts write in
    // batches; audit exports hydrate list items with BatchGetItem; the caller's exports list reads
    // its jobs with BatchGetItem), never a batch write to a log.
    const expected: Record<string, Record<string, string[]>> = {
      directory: { 'dynamodb:BatchWriteItem': ['Directory.Arn'] },
      exports: { 'dynamodb:BatchGetItem': ['State.Arn'] },
      'export-worker': { 'dynamodb:BatchGetItem': ['Audit.Arn'] },
      'schedule-run-worker': { 'dynamodb:BatchGetItem': ['Audit.Arn'] },
    };
    for (const name of s.api.functions.keys()) {
      expect(view.fn(name).grants('dynamodb:Batch'), name).toEqual(expected[name] ?? {});
    }
  });

  it('passes the audit retention to every function that reads or exports audit entries', () => {
    const months = view.fn('export-worker').env.AUDIT_RETENTION_MONTHS;
    expect(months).toBeDefined();
    for (const name of ['audit-query', 'exports', 'schedule-run-worker']) {
      expect(view.fn(name).env.AUDIT_RETENTION_MONTHS, name).toBe(months);
    }
  });

  it('grants query-only readers Query and no item read by key (the `query` level)', () => {
    const indexes = (id: string) =>
      [
        `${id}.Arn`,
        ...TABLES.find((t) => t.id === id)!.indexes.map((i) => `${id}.Arn/index/${i.name}`),
      ].sort();
    // …besides GetItem on Keys: the person keys that open a recorder's sealed name.
    expect(view.fn('activity-query').grants('dynamodb:')).toEqual({
      'dynamodb:GetItem': ['Keys.Arn'],
      'dynamodb:Query': [...indexes('Activity'), ...indexes('Directory'), ...indexes('State')].sort(),
    });
    // The directory function reads a tenant with Query and upserts with BatchWriteItem, nothing else.
    expect(view.fn('directory').grants('dynamodb:')).toEqual({
      'dynamodb:BatchWriteItem': ['Directory.Arn'],
      'dynamodb:Query': indexes('Directory'),
    });
  });

  it('never batch-writes log entries (a batch write has no condition: it would overwrite)', () => {
    for (const name of s.api.functions.keys()) {
      const batchWrites = view.fn(name).grants('dynamodb:BatchWriteItem')['dynamodb:BatchWriteItem'] ?? [];
      expect(
        batchWrites.filter((r) => r.startsWith('Audit') || r.startsWith('Activity')),
        name,
      ).toEqual([]);
    }
  });

  it('passes the JWT claim names to every routed function, from the claim settings', () => {
    const cognito = synthLogbook({
      routes: SAMPLE_ROUTES,
      context: {
        claimTenantId: 'custom:tenant_id',
        claimRole: 'custom:role',
        claimReporting: 'custom:reporting',
      },
    });
    const env = inspect(cognito).fn('audit-query').env;
    expect(env).toMatchObject({
      JWT_CLAIM_TENANT_ID: 'custom:tenant_id',
      JWT_CLAIM_ROLE: 'custom:role',
      JWT_CLAIM_REPORTING: 'custom:reporting',
      JWT_CLAIM_SUB: 'sub',
    });
    expect(view.fn('audit-query').env).toMatchObject({
      JWT_CLAIM_TENANT_ID: 'tenant_id',
      JWT_CLAIM_SUB: 'sub',
    });
    // A claim name with a colon cannot be an access-log variable: that field is left out.
    const [stage] = Object.values(cognito.apiTemplate.findResources('AWS::ApiGatewayV2::Stage'));
    const format = JSON.parse(stage!.Properties.AccessLogSettings.Format);
    expect(format.tenantId).toBeUndefined();
    expect(format.sub).toBe('$context.authorizer.claims.sub');
  });

  it('creates the SES sending identity only when sesIdentity asks for it', () => {
    s.apiTemplate.resourceCountIs('AWS::SES::EmailIdentity', 0);
    const byEmail = synthLogbook({
      routes: SAMPLE_ROUTES,
      context: { sesIdentity: 'email' },
    });
    byEmail.apiTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'reports@logbook.example.com',
    });
    const byDomain = synthLogbook({
      routes: SAMPLE_ROUTES,
      context: { sesIdentity: 'domain' },
    });
    byDomain.apiTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'logbook.example.com',
    });
    expect(
      Object.keys(byDomain.apiTemplate.findOutputs('*')).filter((k) => k.startsWith('SenderDkimRecord')),
    ).toHaveLength(3);
  });

  it('audit-query can read audit entries but never write them', () => {
    const grants = view.fn('audit-query').grants('dynamodb:');
    expect(Object.keys(grants).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    // Keys: each person's wrapped data key, read by key (no Query, no write).
    expect(grants['dynamodb:GetItem']).toEqual(['Audit.Arn', 'Keys.Arn']);
    expect(grants['dynamodb:Query']).toContain('Audit.Arn/index/byTime');
    expect(grants['dynamodb:Query']!.some((r) => r.startsWith('Keys.Arn'))).toBe(false);
    // The state table: only the tenant's retention and legal holds, by Query.
    expect(
      grants['dynamodb:Query']!.every((r) => r.startsWith('Audit.Arn') || r.startsWith('State.Arn')),
    ).toBe(true);
  });

  it('audit-ingest can only put audit entries: no UpdateItem, no batch write, Query only on the state table', () => {
    expect(view.fn('audit-ingest').grants('dynamodb:')).toEqual({
      // Keys: a person's data key is read, or made once (a conditional put).
      'dynamodb:GetItem': ['Keys.Arn'],
      'dynamodb:PutItem': ['Audit.Arn', 'Keys.Arn'],
      'dynamodb:Query': ['State.Arn', 'State.Arn/index/byDue'],
    });
  });

  it('nobody may Scan, use a dynamodb:* wildcard, or name a table index as index/*', () => {
    for (const name of s.api.functions.keys()) {
      for (const st of view.fn(name).statements) {
        expect(st.actions.filter((a) => a === 'dynamodb:Scan' || a.endsWith(':*'))).toEqual([]);
        expect(st.resources.filter((r) => r.includes('/index/*'))).toEqual([]);
      }
    }
  });

  it('the only "*" resource is X-Ray, which has no resource-level permissions', () => {
    for (const name of s.api.functions.keys()) {
      const wildcard = view.fn(name).statements.filter((st) => st.resources.includes('*'));
      expect(wildcard.flatMap((st) => st.actions)).toEqual([
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    }
  });

  it('scopes bucket access to objects under exports/: downloads read, workers write, nobody lists', () => {
    expect(view.fn('downloads').grants('s3:')).toEqual({ 's3:GetObject': ['Exports.Arn/exports/*'] });
    for (const name of ['export-worker', 'schedule-run-worker']) {
      expect(view.fn(name).grants('s3:')).toEqual({
        's3:AbortMultipartUpload': ['Exports.Arn/exports/*'],
        's3:PutObject': ['Exports.Arn/exports/*'],
      });
    }
    for (const name of ['audit-query', 'exports', 'health', 'schedule-dispatcher'])
      expect(view.fn(name).grants('s3:')).toEqual({});
  });

  it('lets only functions that sign read the signing secret', () => {
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      expect(view.fn(name).grants('secretsmanager:')).toEqual(
        spec.signingSecret ? { 'secretsmanager:GetSecretValue': ['SigningSecret'] } : {},
      );
    }
  });

  it('lets the dispatcher send e-mail only from the sender address, through its identity', () => {
    const [st] = view.fn('schedule-run-worker').statements.filter((x) => x.actions.includes('ses:SendEmail'));
    expect(st?.actions).toEqual(['ses:SendEmail']);
    expect(st?.resources.map((r) => r.replace(/^.*:identity\//, 'identity/'))).toEqual([
      'identity/logbook.example.com',
      'identity/reports@logbook.example.com',
    ]);
    expect(st?.condition).toEqual({ StringEquals: { 'ses:FromAddress': 'reports@logbook.example.com' } });
    for (const name of ['export-worker', 'exports', 'reports', 'schedule-dispatcher'])
      expect(view.fn(name).grants('ses:')).toEqual({});
  });

  it('lets the dispatcher only claim and queue runs: no export, no e-mail, no log access', () => {
    const fn = view.fn('schedule-dispatcher');
    expect(fn.grants('sqs:')).toEqual({ 'sqs:SendMessage': ['Queue-schedule-runs.Arn'] });
    expect(Object.keys(fn.grants('dynamodb:')).length).toBeGreaterThan(0);
    expect(
      Object.values(fn.grants('dynamodb:'))
        .flat()
        .filter((r) => r.startsWith('Audit') || r.startsWith('Activity')),
    ).toEqual([]);
    for (const prefix of ['s3:', 'ses:', 'secretsmanager:', 'lambda:']) expect(fn.grants(prefix)).toEqual({});
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      if (spec.sendsTo) continue;
      // An asynchronously invoked function's role may send to its own on-failure queue (Lambda does).
      const sends = Object.values(view.fn(name).grants('sqs:SendMessage'))
        .flat()
        .filter((r) => !r.startsWith('FailedEvents'));
      expect(sends, name).toEqual([]);
    }
  });

  it('triggers the run worker from the runs queue, one message at a time, with partial failures', () => {
    s.apiTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    const mappings = Object.values(s.apiTemplate.findResources('AWS::Lambda::EventSourceMapping'));
    const mapping = mappings.find((m) => view.render(m.Properties.FunctionName) === 'fn:schedule-run-worker');
    expect(view.render(mapping!.Properties.EventSourceArn)).toBe('Queue-schedule-runs.Arn');
    const consume = view.fn('schedule-run-worker').grants('sqs:');
    expect(Object.keys(consume).sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    for (const resources of Object.values(consume)) expect(resources).toEqual(['Queue-schedule-runs.Arn']);
  });

  it('keeps a run message invisible longer than the worker may run, and parks poison ones in a DLQ', () => {
    const queues = s.apiTemplate.findResources('AWS::SQS::Queue');
    for (const [queue, consumer] of [
      ['schedule-runs', 'schedule-run-worker'],
      ['expiry-jobs', 'expiry-worker'],
    ] as const) {
      const [main] = Object.entries(queues).filter(
        ([id, q]) => id.startsWith(`Queue${queue.replace('-', '')}`) && q.Properties.RedrivePolicy,
      );
      expect(main, queue).toBeDefined();
      expect(main![1].Properties.VisibilityTimeout).toBeGreaterThan(
        FUNCTIONS[consumer]!.timeoutSeconds ?? 10,
      );
      expect(main![1].Properties.RedrivePolicy.maxReceiveCount).toBe(5);
      expect(main![1].Properties.SqsManagedSseEnabled).toBe(true);
    }
    // Three queues with their dead-letter queues, and the export worker's on-failure queue.
    s.apiTemplate.resourceCountIs('AWS::SQS::Queue', 7);
  });

  it('runs the expiry worker from the expiry-jobs queue, two at most, and lets three functions send to it', () => {
    const mappings = Object.values(s.apiTemplate.findResources('AWS::Lambda::EventSourceMapping'));
    const mapping = mappings.find((m) => view.render(m.Properties.FunctionName) === 'fn:expiry-worker');
    expect(view.render(mapping!.Properties.EventSourceArn)).toBe('Queue-expiry-jobs.Arn');
    expect(mapping!.Properties).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    for (const name of ['trust', 'expiry-worker', 'expiry-resumer']) {
      expect(view.fn(name).env.EXPIRY_JOBS_QUEUE_URL, name).toBe('Queue-expiry-jobs');
      expect(view.fn(name).grants('sqs:SendMessage')['sqs:SendMessage'], name).toEqual(
        name === 'expiry-worker'
          ? ['Queue-expiry-jobs.Arn']
          : ['Queue-erasure-jobs.Arn', 'Queue-expiry-jobs.Arn'],
      );
    }
  });

  it('runs the erasure worker from the erasure-jobs queue, two at most; trust, the worker and the resumer send to it', () => {
    const mappings = Object.values(s.apiTemplate.findResources('AWS::Lambda::EventSourceMapping'));
    const mapping = mappings.find((m) => view.render(m.Properties.FunctionName) === 'fn:erasure-worker');
    expect(view.render(mapping!.Properties.EventSourceArn)).toBe('Queue-erasure-jobs.Arn');
    expect(mapping!.Properties).toMatchObject({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 } });
    for (const name of ['trust', 'erasure-worker', 'expiry-resumer']) {
      expect(view.fn(name).env.ERASURE_JOBS_QUEUE_URL, name).toBe('Queue-erasure-jobs');
    }
  });

  it('lets every function that makes person keys time out before an erasure’s walk (cache age + write grace)', () => {
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      if (spec.personKeys !== 'create') continue;
      expect((spec.timeoutSeconds ?? 10) + INDEX_MARGIN_SECONDS, name).toBeLessThanOrEqual(
        WRITE_GRACE_SECONDS,
      );
    }
  });

  it('gives the one resumer (both job kinds, one schedule) a Query on the state table’s byDue index, nothing else there', () => {
    const grants = view.fn('expiry-resumer').grants('dynamodb:');
    expect(grants).toEqual({ 'dynamodb:Query': ['State.Arn', 'State.Arn/index/byDue'] });
  });
});

describe('security settings', () => {
  const fnProps = (synth: Synth, name: string) => inspect(synth).fn(name).props;

  it('sends no cost headers from a deployed stage unless costHeaders turns them on', () => {
    expect(view.fn('audit-query').env.COST_HEADERS).toBe('off');
    expect(view.fn('activity-query').env.COST_HEADERS).toBe('off');
    expect(inspect(other()).fn('audit-query').env.COST_HEADERS).toBe('on');
  });

  it('reserves concurrency for the export worker and the schedule dispatcher, from settings', () => {
    expect(view.fn('export-worker').props.ReservedConcurrentExecutions).toBe(10);
    expect(view.fn('schedule-dispatcher').props.ReservedConcurrentExecutions).toBe(2);
    expect(fnProps(other(), 'schedule-dispatcher').ReservedConcurrentExecutions).toBe(3);
    // 0 = nothing reserved; no other function reserves any.
    expect(fnProps(other(), 'export-worker').ReservedConcurrentExecutions).toBeUndefined();
    for (const name of Object.keys(FUNCTIONS).filter((n) => !FUNCTIONS[n]!.reservedConcurrency)) {
      expect(view.fn(name).props.ReservedConcurrentExecutions, name).toBeUndefined();
    }
    const zero = synthLogbook({
      routes: SAMPLE_ROUTES,
      context: { exportWorkerConcurrency: '0' },
    });
    expect(inspect(zero).fn('export-worker').props.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('names the accepted IAM callers to every function behind a service route, and warns when there are none', () => {
    const serviceFns = new Set(SAMPLE_ROUTES.filter((r) => r.auth === 'service').map((r) => r.fn));
    const allowed = 'arn:aws:iam::123456789012:role/platform-ingest,arn:aws:iam::123456789012:user/sync';
    for (const name of serviceFns) {
      expect(FUNCTIONS[name]!.settings, name).toContain('SERVICE_CALLERS');
      expect(view.fn(name).env.SERVICE_CALLERS, name).toBe('');
      // other() replaces the directory's manifest entry (batch access) without settings.
      if (name !== 'directory') expect(inspect(other()).fn(name).env.SERVICE_CALLERS, name).toBe(allowed);
    }
    const warnings = Annotations.fromStack(s.api).findWarning(
      '*',
      Match.stringLikeRegexp('serviceCallers is empty'),
    );
    expect(warnings).toHaveLength(serviceFns.size);
    expect(
      Annotations.fromStack(other().api).findWarning('*', Match.stringLikeRegexp('serviceCallers is empty')),
    ).toHaveLength(0);
  });
});

describe('HTTP API', () => {
  it('creates one route per route-table entry with the authorizer of its auth kind', () => {
    const routes = s.apiTemplate.findResources('AWS::ApiGatewayV2::Route');
    expect(Object.keys(routes)).toHaveLength(SAMPLE_ROUTES.length + 1);
    for (const route of SAMPLE_ROUTES) {
      s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        AuthorizationType: AUTH_TYPE[route.auth],
        ...(route.auth === 'user' ? { AuthorizerId: Match.anyValue() } : { AuthorizerId: Match.absent() }),
      });
    }
  });

  it('sends each route to the Lambda of its fn', () => {
    const { resources, render } = view;
    for (const route of SAMPLE_ROUTES) {
      const [routeRes] = Object.values(resources).filter(
        (r) =>
          r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === `${route.method} ${route.path}`,
      );
      const integrationId = (render(routeRes!.Properties.Target) as string).replace(/^integrations\//, '');
      const integration = resources[integrationId]!;
      expect(render(integration.Properties.IntegrationUri)).toBe(`fn:${route.fn}.Arn`);
    }
  });

  it('verifies user tokens with the issuer and audience from context', () => {
    s.apiTemplate.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: TEST_ISSUER, Audience: ['logbook'] },
    });
  });

  it('answers every unmatched request from the not-found function ($default route)', () => {
    const { resources, render } = view;
    const [route] = Object.values(resources).filter(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === '$default',
    );
    expect(route?.Properties.AuthorizationType).toBe('NONE');
    const integrationId = render(route!.Properties.Target).replace(/^integrations\//, '');
    expect(render(resources[integrationId]!.Properties.IntegrationUri)).toBe(`fn:${NOT_FOUND_FUNCTION}.Arn`);
  });

  it('throttles the default stage with the rate and burst from context', () => {
    s.apiTemplate.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
    });
  });

  it('writes JSON access logs to a log group with retention, without the raw path (download tokens)', () => {
    const [stage] = Object.values(s.apiTemplate.findResources('AWS::ApiGatewayV2::Stage'));
    const settings = stage!.Properties.AccessLogSettings;
    const destination = view.render(settings.DestinationArn);
    const logGroupId = destination.replace(/\.Arn$/, '');
    expect(view.resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
    const format = JSON.parse(settings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
    expect(settings.Format).not.toContain('$context.path');
  });

  it('has no CORS unless origins are configured, and then only those', () => {
    s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    other().apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://admin.example.com'],
        AllowHeaders: ['authorization', 'content-type'],
      }),
    });
  });

  it('offers a managed policy that may invoke exactly the service (IAM) routes', () => {
    const [policy] = Object.values(s.apiTemplate.findResources('AWS::IAM::ManagedPolicy'));
    const [statement] = policy!.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('execute-api:Invoke');
    const resources = (statement.Resource as unknown[]).map((r) => view.render(r).replace(/^.*:Api\//, ''));
    expect(resources.sort()).toEqual(
      SAMPLE_ROUTES.filter((r) => r.auth === 'service')
        .map((r) => `$default/${r.method}${r.path}`)
        .sort(),
    );
  });

  it('outputs the API URL', () => {
    s.apiTemplate.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });

  it('runs scheduled functions from EventBridge rules (sealer every 5 minutes, the others every 15)', () => {
    const rules = Object.values(s.apiTemplate.findResources('AWS::Events::Rule'));
    expect(
      rules
        .map(
          (r) =>
            `${r.Properties.Targets.map((t: { Arn: unknown }) => view.render(t.Arn)).join()} ${r.Properties.ScheduleExpression}`,
        )
        .sort(),
    ).toEqual([
      'fn:audit-sealer.Arn rate(5 minutes)',
      'fn:expiry-resumer.Arn rate(15 minutes)',
      'fn:export-sweeper.Arn rate(15 minutes)',
      'fn:schedule-dispatcher.Arn rate(15 minutes)',
    ]);
    s.apiTemplate.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
  });
});

describe('the app as the repository has it today', () => {
  let today: Synth;
  beforeAll(() => {
    today = synthLogbook();
  });
  const handlers = readdirSync(join(REPO_ROOT, 'functions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(REPO_ROOT, 'functions', d.name, 'handler.ts')))
    .map((d) => d.name);

  it('has a manifest entry for every function folder with a handler', () => {
    expect(handlers.filter((name) => !FUNCTIONS[name])).toEqual([]);
  });

  it('creates one Lambda per function folder, on Node.js 22 and ARM64', () => {
    expect([...today.api.functions.keys()].sort()).toEqual([...handlers].sort());
    today.apiTemplate.resourceCountIs('AWS::Lambda::Function', handlers.length);
    for (const fn of Object.values(today.apiTemplate.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    }
  });

  it('routes every functions/routes.ts entry with the right authorizer, plus $default', () => {
    for (const route of ROUTES) {
      today.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        AuthorizationType: AUTH_TYPE[route.auth],
      });
    }
    today.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    today.apiTemplate.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length + 1);
  });

  it('schedules exactly the scheduled functions whose folders exist (dispatcher, export sweeper, sealer)', () => {
    const rules = Object.values(today.apiTemplate.findResources('AWS::Events::Rule'));
    const scheduled = handlers.filter((name) => FUNCTIONS[name]?.schedule);
    expect(scheduled).toEqual(
      expect.arrayContaining(['schedule-dispatcher', 'export-sweeper', 'audit-sealer']),
    );
    expect(rules.map((r) => r.Properties.ScheduleExpression).sort()).toEqual(
      scheduled.map((name) => `rate(${FUNCTIONS[name]!.schedule!.everyMinutes} minutes)`).sort(),
    );
  });
});

describe('the manifest', () => {
  it('invokes only functions it declares', () => {
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      for (const target of spec.invoke ?? []) expect(Object.keys(FUNCTIONS), name).toContain(target);
    }
  });

  it('writes files only where the lifecycle rule expires them', () => {
    for (const spec of Object.values(FUNCTIONS)) {
      if (spec.bucket) expect(spec.bucket.prefix).toBe(EXPORTS_PREFIX);
    }
  });

  it('gives log entries no update or delete anywhere: audit and activity are append-only', () => {
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      for (const table of ['Audit', 'Activity'] as const) {
        const grant = spec.tables?.[table];
        const access = typeof grant === 'object' ? grant.access : grant;
        expect(['write', 'readWrite', 'readUpdate'], `${name} ${table}`).not.toContain(access);
      }
    }
  });

  it('gives person keys only to the functions that read or write audit entries, each its own level', () => {
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      const kms = view.fn(name).grants('kms:');
      const onKey = Object.entries(kms).filter(([, resources]) =>
        resources.some((r) => r.startsWith('PersonKeysKey')),
      );
      const actions = onKey.map(([action]) => action).sort();
      expect(actions, name).toEqual(
        spec.personKeys === 'create'
          ? ['kms:Decrypt', 'kms:GenerateDataKey']
          : spec.personKeys
            ? ['kms:Decrypt']
            : [],
      );
    }
    const keyStatements = view
      .fn('audit-ingest')
      .statements.filter((st) => st.actions.includes('kms:GenerateDataKey'));
    expect(keyStatements[0]!.condition).toEqual({
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenantId', 'personId'] },
    });
    s.dataTemplate.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeySpec: Match.absent(),
    });
  });

  it('lets only the expiry worker, the sealer and the erasure worker update log entries, each only its attributes', () => {
    const allowed: Record<string, string[]> = {
      'expiry-worker': ['Activity.Arn', 'Audit.Arn'],
      'audit-sealer': ['Audit.Arn'],
      'erasure-worker': ['Audit.Arn'],
    };
    for (const name of s.api.functions.keys()) {
      const updates = (view.fn(name).grants('dynamodb:UpdateItem')['dynamodb:UpdateItem'] ?? []).filter(
        (r) => r.startsWith('Audit') || r.startsWith('Activity'),
      );
      expect(updates, name).toEqual(allowed[name] ?? []);
    }
    const sealer = view
      .fn('audit-sealer')
      .statements.filter((st) => st.actions.includes('dynamodb:UpdateItem'));
    expect(sealer).toHaveLength(1);
    expect(sealer[0]!.actions).toEqual(['dynamodb:UpdateItem']);
    expect(sealer[0]!.condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'h', 'sl', 'ss', 'e', 'integrity'] },
    });
    // The erasure worker: commitments and erased markers in the list view, the plaintext helpers.
    const erasure = view
      .fn('erasure-worker')
      .statements.filter(
        (st) => st.actions.includes('dynamodb:UpdateItem') && st.resources.includes('Audit.Arn'),
      );
    expect(erasure).toHaveLength(1);
    expect(erasure[0]!.actions).toEqual(['dynamodb:UpdateItem']);
    expect(erasure[0]!.condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'e', 'f', 'ipp'] },
    });
    const onLogs = view
      .fn('expiry-worker')
      .statements.filter(
        (st) => st.actions.includes('dynamodb:UpdateItem') && !st.resources.includes('State.Arn'),
      );
    expect(onLogs.flatMap((st) => st.resources).sort()).toEqual(['Activity.Arn', 'Audit.Arn']);
    for (const st of onLogs) {
      expect(st.actions).toEqual(['dynamodb:UpdateItem']);
      expect(st.condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'ttl', 'rx'] },
      });
    }
    expect(view.fn('expiry-worker').grants('dynamodb:DeleteItem')['dynamodb:DeleteItem']).toEqual([
      'State.Arn',
    ]);
  });
});

describe('manifest checks at synth', () => {
  it('refuses a routed function with no handler', () => {
    expect(() =>
      synthLogbook({
        routes: [{ method: 'GET', path: '/v1/nope', fn: 'no-such-function', auth: 'user' }],
        manifest: {
          ...FUNCTIONS,
          'no-such-function': { description: 'a function whose folder does not exist' },
        },
      }),
    ).toThrow('functions/no-such-function/handler.ts is missing');
  });

  it('refuses an unrouted function with no handler', () => {
    expect(() =>
      synthLogbook({
        manifest: { ...FUNCTIONS, 'no-such-job': { description: 'a job whose folder does not exist' } },
      }),
    ).toThrow('functions/no-such-job/handler.ts is missing');
  });

  it('refuses a function that invokes one the manifest does not list', () => {
    expect(() =>
      synthLogbook({
        manifest: { ...FUNCTIONS, exports: { ...FUNCTIONS.exports!, invoke: ['no-such-worker'] } },
      }),
    ).toThrow('functions/exports invokes no-such-worker, which has no entry in infra/functions.ts');
  });

  it('refuses a route whose function has no manifest entry', () => {
    expect(() =>
      synthLogbook({ routes: [{ method: 'GET', path: '/v1/x', fn: 'unlisted', auth: 'user' }] }),
    ).toThrow('functions/unlisted serves a route but has no entry in infra/functions.ts');
  });

  it('refuses a routed function that may outlive the 30 s HTTP API timeout', () => {
    expect(() =>
      synthLogbook({
        manifest: { ...FUNCTIONS, health: { description: 'slow', timeoutSeconds: 60 } },
      }),
    ).toThrow('functions/health serves a route: timeoutSeconds must be at most 29');
  });
});
