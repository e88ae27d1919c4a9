// Configuration of every handler and worker, parsed once from the environment. A malformed value
// fails the cold start with a message naming the variable, never later.
//
// Two modes:
// - In Lambda (the runtime sets AWS_LAMBDA_FUNCTION_NAME) nothing has a default. A function gets
//   only the variables its infra/functions.ts entry passes (through the ServiceFunction bind*
//   helpers), and reading a variable it was not given throws, naming it. Handlers build their
//   adapters at module load, so a missing variable fails the cold start, not a request.
// - Everywhere else (`npm start`, the tests, the bench) LOCAL_DEFAULTS fill what the environment
//   leaves out.
// test/infra/settings-parity.test.ts derives from the bundled code which variables each handler
// reads and checks them against what the stack passes, both ways.

import { z } from 'zod';

const optionalUrl = z.url().optional();

const schema = z.object({
  STAGE: z.string(),
  AWS_REGION: z.string(),
  AUDIT_TABLE: z.string(),
  ACTIVITY_TABLE: z.string(),
  DIRECTORY_TABLE: z.string(),
  STATE_TABLE: z.string(),
  /** Each person's wrapped data key (erasure by crypto-shredding). */
  KEYS_TABLE: z.string(),
  /**
   * The symmetric KMS key that wraps persons' data keys, in AWS. Locally unset: an AES-256 master
   * key in PERSON_KEYS_FILE (under DATA_DIR, created on first start) wraps instead.
   */
  PERSON_KEYS_KMS_KEY_ID: z.string().optional(),
  PERSON_KEYS_FILE: z.string().optional(),
  /** How long a process keeps an unwrapped person key; an erasure waits this long before `done`. */
  KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600),
  EXPORTS_BUCKET: z.string(),
  /** Endpoints of local stand-ins; unset in AWS. */
  DYNAMODB_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  AUDIT_RETENTION_MONTHS: z.coerce.number().int().min(1).max(240),
  ACTIVITY_RETENTION_MONTHS: z.coerce.number().int().min(1).max(240),
  EXPORT_LINK_DAYS: z.coerce.number().int().min(1).max(30),
  /** HMAC key for cursors and download tokens. In AWS it comes from Secrets Manager (SIGNING_SECRET_ARN). */
  SIGNING_SECRET: z.string().min(16).optional(),
  SIGNING_SECRET_ARN: z.string().optional(),
  /**
   * The KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs audit digests, in AWS. Locally unset: a
   * P-256 key in SEAL_KEY_FILE (under DATA_DIR, created on first start) signs instead.
   */
  SEAL_KMS_KEY_ID: z.string().optional(),
  SEAL_KEY_FILE: z.string().optional(),
  /** Public base URL of the API, used to build download links in responses and e-mails. */
  PUBLIC_BASE_URL: z.url(),
  SENDER_EMAIL: z.email(),
  /** Name of the export worker Lambda (AWS only); locally the gateway runs the worker in-process. */
  EXPORT_WORKER_FUNCTION: z.string().optional(),
  /**
   * URL of the SQS queue of claimed schedule runs (AWS only: the dispatcher sends, the run worker
   * consumes); locally the dispatcher runs each claimed run in-process and waits for it.
   */
  SCHEDULE_RUNS_QUEUE_URL: z.url().optional(),
  /**
   * URL of the SQS queue of expiry jobs (AWS only: legal holds and retention changes send, the
   * expiry worker consumes and continues); locally the jobs wait in-process (POST /_local/expiry-jobs).
   */
  EXPIRY_JOBS_QUEUE_URL: z.url().optional(),
  /** URL of the SQS queue of erasure steps (AWS only); locally they wait in-process (POST /_local/erasure-jobs). */
  ERASURE_JOBS_QUEUE_URL: z.url().optional(),
  /**
   * Per-tenant write shard counts, e.g. `acme=4,globex=16`; others use DEFAULT_SHARDS. A count may
   * grow (reads fan out over every shard below it) but must never shrink.
   */
  TENANT_SHARDS: z.string().transform((raw, ctx) => {
    const out: Record<string, number> = {};
    for (const part of raw.split(',').filter(Boolean)) {
      const [tenant, n] = part.split('=');
      const count = Number(n);
      if (!tenant || !Number.isInteger(count) || count < 1 || count > 64) {
        ctx.addIssue({ code: 'custom', message: `bad TENANT_SHARDS entry "${part}"` });
        return z.NEVER;
      }
      out[tenant] = count;
    }
    return out;
  }),
  DEFAULT_SHARDS: z.coerce.number().int().min(1).max(64),
  /**
   * `on`: list answers carry cost headers (x-logbook-scanned, x-logbook-index) for org-wide
   * readers. In AWS the `costHeaders` setting decides (off unless set); the local stack turns it on.
   */
  COST_HEADERS: z.enum(['on', 'off']),
  /**
   * IAM principals the service (SigV4) routes accept, comma-separated: role ARNs (any session of
   * the role) or user ARNs. A caller API Gateway authenticated but not listed gets 403; empty =
   * nobody. Set from the `serviceCallers` deployment setting.
   */
  SERVICE_CALLERS: z.string().transform((raw) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
  /** Names of the JWT claims API Gateway passes through (every routed function; see infra/settings.ts). */
  JWT_CLAIM_TENANT_ID: z.string().min(1),
  JWT_CLAIM_ROLE: z.string().min(1),
  JWT_CLAIM_REPORTING: z.string().min(1),
  JWT_CLAIM_SUB: z.string().min(1),
});

export type Config = z.infer<typeof schema>;
export type SettingKey = keyof Config;

/** Every variable this module reads (test/infra/settings-parity.test.ts looks for these in code). */
export const SETTING_KEYS = Object.keys(schema.shape) as SettingKey[];

/** Outside Lambda only: what the local stack and the tests run with unless they set a variable. */
export const LOCAL_DEFAULTS = {
  STAGE: 'local',
  AWS_REGION: 'eu-west-1',
  AUDIT_TABLE: 'logbook-audit',
  ACTIVITY_TABLE: 'logbook-activity',
  DIRECTORY_TABLE: 'logbook-directory',
  STATE_TABLE: 'logbook-state',
  KEYS_TABLE: 'logbook-keys',
  KEY_CACHE_SECONDS: '300',
  EXPORTS_BUCKET: 'logbook-exports',
  AUDIT_RETENTION_MONTHS: '18',
  ACTIVITY_RETENTION_MONTHS: '84',
  EXPORT_LINK_DAYS: '7',
  PUBLIC_BASE_URL: 'http://localhost:3000',
  SENDER_EMAIL: 'reports@logbook.local',
  TENANT_SHARDS: '',
  DEFAULT_SHARDS: '1',
  COST_HEADERS: 'off',
  SERVICE_CALLERS: '',
  JWT_CLAIM_TENANT_ID: 'tenant_id',
  JWT_CLAIM_ROLE: 'role',
  JWT_CLAIM_REPORTING: 'reporting',
  JWT_CLAIM_SUB: 'sub',
} as const satisfies Partial<Record<SettingKey, string>>;

/**
 * Variables code may read that no deployed function is ever given: the local stand-ins'
 * endpoints and the local signing key. Reading them in Lambda answers `undefined`.
 */
export const LOCAL_ONLY_SETTINGS: readonly SettingKey[] = [
  'DYNAMODB_ENDPOINT',
  'S3_ENDPOINT',
  'SES_ENDPOINT',
  'SIGNING_SECRET',
  'SEAL_KEY_FILE',
  'PERSON_KEYS_FILE',
];

/** Set for every function without a manifest entry asking: by the Lambda runtime, or by ServiceFunction. */
export const ALWAYS_SET_SETTINGS: readonly SettingKey[] = ['AWS_REGION', 'STAGE'];

let cached: Config | undefined;

/** True inside a Lambda execution environment, where no default applies. */
export function isDeployed(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const deployed = isDeployed(env);
  const given = Object.fromEntries(
    Object.keys(schema.shape).flatMap((key) => (env[key] === undefined ? [] : [[key, env[key]]])),
  );
  const parsed = deployed
    ? schema.partial().safeParse(given)
    : schema.safeParse({ ...LOCAL_DEFAULTS, ...given });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${lines}`);
  }
  const config = deployed ? strict(parsed.data) : (parsed.data as Config);
  if (env === process.env) cached = config;
  return config;
}

/**
 * In Lambda: a read of a variable this function was not given throws, naming it (a function
 * reading what its manifest entry does not pass is a deployment fault, never a silent default).
 */
function strict(values: Partial<Config>): Config {
  const localOnly = new Set<string | symbol>(LOCAL_ONLY_SETTINGS);
  return new Proxy(values, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (value === undefined && typeof key === 'string' && key in schema.shape && !localOnly.has(key)) {
        throw new Error(
          `Invalid configuration: ${key} is not set for this function (infra/functions.ts must pass it)`,
        );
      }
      return value;
    },
  }) as Config;
}

/** For tests that change process.env between cases. */
export function resetConfig(): void {
  cached = undefined;
}

export function shardCount(config: Config, tenantId: string): number {
  return config.TENANT_SHARDS[tenantId] ?? config.DEFAULT_SHARDS;
}

/** Write shards per tenant, with both settings read now (at cold start), not at the first request. */
export function shardResolver(config: Config): (tenantId: string) => number {
  const perTenant = config.TENANT_SHARDS;
  const fallback = config.DEFAULT_SHARDS;
  return (tenantId) => perTenant[tenantId] ?? fallback;
}
