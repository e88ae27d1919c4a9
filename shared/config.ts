import { z } from 'zod';

/**
 * Configuration of every handler and worker, parsed once from the environment. A missing or
 * malformed value fails the cold start with a message naming the variable, never later.
 * Infra sets these only through the ServiceFunction bind* helpers; local/ sets them for the dev stack.
 */
const optionalUrl = z.url().optional();

const schema = z.object({
  STAGE: z.string().default('local'),
  AWS_REGION: z.string().default('eu-west-1'),
  AUDIT_TABLE: z.string().default('logbook-audit'),
  ACTIVITY_TABLE: z.string().default('logbook-activity'),
  DIRECTORY_TABLE: z.string().default('logbook-directory'),
  STATE_TABLE: z.string().default('logbook-state'),
  EXPORTS_BUCKET: z.string().default('logbook-exports'),
  /** Endpoints of local stand-ins; unset in AWS. */
  DYNAMODB_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  AUDIT_RETENTION_MONTHS: z.coerce.number().int().min(1).max(240).default(18),
  ACTIVITY_RETENTION_MONTHS: z.coerce.number().int().min(1).max(240).default(84),
  EXPORT_LINK_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  /** HMAC key for cursors and download tokens. In AWS it comes from Secrets Manager (SIGNING_SECRET_ARN). */
  SIGNING_SECRET: z.string().min(16).optional(),
  SIGNING_SECRET_ARN: z.string().optional(),
  /** Public base URL of the API, used to build download links in responses and e-mails. */
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  SENDER_EMAIL: z.email().default('reports@logbook.local'),
  /** Name of the export worker Lambda (AWS only); locally the gateway runs the worker in-process. */
  EXPORT_WORKER_FUNCTION: z.string().optional(),
  /**
   * Per-tenant write shard counts, e.g. `acme=4,globex=16`; others use DEFAULT_SHARDS. A count may
   * grow (reads fan out over every shard below it) but must never shrink.
   */
  TENANT_SHARDS: z
    .string()
    .default('')
    .transform((raw, ctx) => {
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
  DEFAULT_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
  /** The KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs audit digests (AWS only). */
  DIGEST_KEY_ARN: z.string().optional(),
  /** Locally, without DIGEST_KEY_ARN: the file holding the digest signing key (none: a key per process). */
  LOCAL_DIGEST_KEY_FILE: z.string().optional(),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${lines}`);
  }
  if (env === process.env) cached = parsed.data;
  return parsed.data;
}

/** For tests that change process.env between cases. */
export function resetConfig(): void {
  cached = undefined;
}

export function shardCount(config: Config, tenantId: string): number {
  return config.TENANT_SHARDS[tenantId] ?? config.DEFAULT_SHARDS;
}
