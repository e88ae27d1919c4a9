// The audit log's shapes: what platform services send (`AuditEventInput`), what is stored and
// read back (`AuditEntry`), and the list view (`AuditListItem`, without changes and details).

import { z } from 'zod';
import { tenantIdSchema } from '../caller.ts';
import { jsonByteLength } from '../json-limits.ts';
import { utcIso, utcTimestampOut } from '../timestamps.ts';
import { ACTION_NAMES, OBJECT_TYPE_NAMES } from './catalog.ts';
import { ENTRY_HASH_RECIPE } from './integrity.ts';
import { canonicalIp, isIp } from './ip.ts';

export const MAX_BATCH = 100;
export const MAX_CHANGES = 200;
export const MAX_DETAILS_BYTES = 32 * 1024;
/** Keeps one entry well inside DynamoDB's 400 KB item limit. */
export const MAX_CHANGES_BYTES = 256 * 1024;

export const AUDIT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const auditIdSchema = z.string().regex(AUDIT_ID_PATTERN, 'must be 1-128 of A-Z a-z 0-9 . _ : -').meta({
  description: 'Idempotency key: 1–128 of `[A-Za-z0-9._:-]`',
  example: '01JD2X4Y5Z6A7B8C9D0EFGHJKM',
});

/** ISO 8601 with an optional offset in, UTC with milliseconds out. */
export const timestampSchema = z
  .string()
  .pipe(z.iso.datetime({ offset: true, local: false, message: 'must be an ISO 8601 timestamp' }))
  .transform(utcIso)
  .meta({
    override: { format: 'date-time' },
    description: 'ISO 8601; normalised to UTC with milliseconds',
    example: '2026-11-22T10:15:30.123Z',
  });

export const ACTOR_TYPES = ['user', 'system', 'api', 'integration'] as const;
export const SOURCE_KINDS = [
  'web',
  'bulk_invite',
  'csv_import',
  'webhook',
  'api',
  'integration',
  'scheduled_job',
  'system',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

const refId = z.string().min(1).max(256);
const personName = z.string().trim().min(1).max(256);

const actorSchema = z.object({
  type: z.enum(ACTOR_TYPES),
  id: refId.optional(),
  name: personName,
  email: z.email().max(320).optional(),
});
const personRef = z.object({ id: refId, name: personName });
const objectOf = <T extends z.ZodType>(type: T) =>
  z.object({ type, id: refId, name: z.string().max(512).optional() });
const sourceSchema = z.object({
  kind: z.enum(SOURCE_KINDS),
  name: z.string().trim().min(1).max(128).optional(),
});
const changeSchema = z.object({
  field: z.string().min(1).max(256),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
const contextSchema = z.object({
  courseId: refId.optional(),
  courseTitle: z.string().max(512).optional(),
  classId: refId.optional(),
  classTitle: z.string().max(512).optional(),
});
const detailsSchema = z.record(z.string(), z.unknown());

export const auditEventInputSchema = z
  .object({
    id: auditIdSchema.optional(),
    tenantId: tenantIdSchema,
    occurredAt: timestampSchema,
    actor: actorSchema,
    impersonator: personRef
      .optional()
      .meta({ description: 'The admin who acted while "logged in as" the actor' }),
    action: z.enum(ACTION_NAMES, { error: 'is not an action in the catalog' }),
    object: objectOf(z.enum(OBJECT_TYPE_NAMES, { error: 'is not an object type in the catalog' })),
    subject: personRef.optional().meta({ description: 'The person affected, e.g. the learner' }),
    source: sourceSchema,
    ip: z
      .string()
      .refine(isIp, 'must be an IPv4 or IPv6 address')
      .transform(canonicalIp)
      .optional()
      .meta({ description: 'IPv4 or IPv6; stored in canonical form' }),
    userAgent: z.string().max(1024).optional(),
    changes: z
      .array(changeSchema)
      .max(MAX_CHANGES)
      .refine((c) => jsonByteLength(c) <= MAX_CHANGES_BYTES, 'must be at most 256 KB')
      .optional(),
    request: z
      .object({
        method: z
          .string()
          .regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method')
          .transform((m) => m.toUpperCase()),
        url: z.string().min(1).max(4096),
        status: z.number().int().min(100).max(599),
        contentType: z.string().min(1).max(256).optional(),
      })
      .optional(),
    context: contextSchema.optional(),
    details: detailsSchema
      .refine((d) => jsonByteLength(d) <= MAX_DETAILS_BYTES, 'must be at most 32 KB')
      .optional()
      .meta({
        description:
          'Free-form; at most 32 KB serialised; no empty keys; numbers within ±(2^53−1) and 0 or at least 1e-130 in magnitude; secrets are redacted',
      }),
  })
  .meta({
    id: 'AuditEventInput',
    description:
      'One audit event. Redaction, before anything is stored, logged or exported: the value of a field whose name ' +
      '(`changes[].field`, or any key at any depth of `details` and of `changes[].before/after`) contains password, ' +
      'passphrase, passwd, pwd, secret, token, api key, credential, authorization, cookie, session, signature or ' +
      'private key — compared after NFKC, lower-cased, letters and digits only (`clientSecret`, `x-api-key`, ' +
      '`ｐassword`) — is stored as "[REDACTED]", and so is the `value` of an object whose `name`, `key` or `header` ' +
      'is such a name. In every string of `details`, `changes` and `request.url`: a URL’s user-info password ' +
      '(`https://user:[REDACTED]@host`), a sensitive `name=value` after `?`, `&`, `;`, `#`, a space or at the ' +
      'start (the value becomes `%5BREDACTED%5D`, the marker percent-encoded), a header line with a sensitive ' +
      'name (`Authorization: [REDACTED]`), `Bearer <token>` (any token), and `Basic <base64>` when it decodes to ' +
      '`user:password` text. A string holding a JSON object or array is redacted by the same rules and stays a ' +
      'string (re-serialised only when something was redacted; one nested deeper than 32 levels becomes ' +
      '"[REDACTED]" whole). Other fields (names, `userAgent`) are stored as sent. ' +
      'For `webhook`, `api` and `integration` sources without a name, the attribution uses the actor’s name.',
  });
export type AuditEventInput = z.output<typeof auditEventInputSchema>;
export type AuditEventInputRaw = z.input<typeof auditEventInputSchema>;

export const ingestRequestSchema = z
  .object({ events: z.array(auditEventInputSchema).min(1).max(MAX_BATCH) })
  .meta({ id: 'AuditIngestRequest' });

export const ingestResultSchema = z
  .object({
    results: z.array(z.object({ id: z.string(), status: z.enum(['created', 'duplicate']) })),
  })
  .meta({ id: 'AuditIngestResult', description: 'One result per event, in input order' });
export type IngestResult = z.infer<typeof ingestResultSchema>;

const personalMap = z
  .object({
    'actor.name': z.string().optional(),
    'actor.email': z.string().optional(),
    'impersonator.name': z.string().optional(),
    'subject.name': z.string().optional(),
    ip: z.string().optional(),
    userAgent: z.string().optional(),
    'object.name': z.string().optional(),
  })
  .optional();

const integritySchema = z
  .object({
    hash: z.string().meta({ description: 'Hex SHA-256 of the entry, computed as stated on this object' }),
    salt: z
      .string()
      .optional()
      .meta({ description: 'base64url, 16 bytes: keys the field salts of the commitments' }),
    salts: personalMap.meta({
      description:
        'base64url salt of each personal field, given instead of the entry salt (entries sealed per person, and legacy entries after an erasure); a field absent here takes its salt from `salt`',
    }),
    commitments: personalMap.meta({ description: 'Hex commitments of erased personal values' }),
  })
  .meta({ id: 'AuditEntryIntegrity', description: ENTRY_HASH_RECIPE });

const entryFields = {
  id: z.string(),
  tenantId: z.string(),
  occurredAt: utcTimestampOut(),
  recordedAt: utcTimestampOut(),
  actor: z.object({
    type: z.enum(ACTOR_TYPES),
    id: z.string().optional(),
    name: z.string(),
    email: z.string().optional(),
  }),
  impersonator: z.object({ id: z.string(), name: z.string() }).optional(),
  action: z.enum(ACTION_NAMES),
  object: objectOf(z.enum(OBJECT_TYPE_NAMES)),
  subject: z.object({ id: z.string(), name: z.string() }).optional(),
  source: z.object({ kind: z.enum(SOURCE_KINDS), name: z.string().optional() }),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
  request: z
    .object({ method: z.string(), url: z.string(), status: z.number(), contentType: z.string().optional() })
    .optional(),
  context: contextSchema.optional(),
  summary: z.string().meta({ description: 'One plain-English line naming actor, action and object' }),
  attribution: z.string().meta({
    description:
      '`Web`, `Bulk Invite`, `CSV Import`, `Webhook (<name>)`, `API (<name>)`, `Integration (<name>)`, `Scheduled job` or `System`',
  }),
  integrity: integritySchema.optional(),
};

export const auditListItemSchema = z
  .object(entryFields)
  .meta({ id: 'AuditListItem', description: 'An audit entry as lists show it: without changes and details' });
export type AuditListItem = z.infer<typeof auditListItemSchema>;

export const auditEntrySchema = z
  .object({
    ...entryFields,
    changes: z.array(changeSchema).optional(),
    details: detailsSchema.optional(),
  })
  .meta({ id: 'AuditEntry', description: 'A stored audit entry, after redaction' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z
  .object({ items: z.array(auditListItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
