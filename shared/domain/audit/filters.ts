// The audit log's filters in query-string shape (every value a string; lists comma-separated),
// normalised: lists trimmed, de-duplicated and sorted (so equal filters bind cursors equally),
// methods upper-cased, content types lower-cased without parameters, IPs canonical.
// Exports and saved reports reuse this schema; in JSON a list may also be an array of strings.

import { z } from 'zod';
import {
  booleanFlag,
  canonicalListFilter,
  enumItems,
  enumValue,
  FROM_DOC,
  TO_DOC,
  windowBoundSchema,
} from '../query-values.ts';
import { ACTION_NAMES, OBJECT_TYPE_NAMES } from './catalog.ts';
import { canonicalIp, isCidr, isIp } from './ip.ts';
import { SOURCE_KINDS } from './schema.ts';

/** Audit lists are canonical: de-duplicated and sorted, so equal filters bind cursors equally. */
const list = canonicalListFilter;

const id = z.string().min(1).max(256);

export function normaliseContentType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

export const auditFiltersShape = {
  actorId: list(id, 'Actor ids.'),
  action: list(
    enumValue(ACTION_NAMES, 'actions'),
    'Actions from the catalog (`GET /v1/catalog` lists them with labels, as `actions`).',
    enumItems(ACTION_NAMES),
  ),
  objectType: list(
    enumValue(OBJECT_TYPE_NAMES, 'objectTypes'),
    'Object types from the catalog (`GET /v1/catalog` lists them with labels, as `objectTypes`).',
    enumItems(OBJECT_TYPE_NAMES),
  ),
  objectId: list(id, 'Object ids.'),
  objectName: z
    .string()
    .trim()
    .min(1)
    .max(512)
    .optional()
    .meta({ description: 'Case-insensitive substring of the object’s name' }),
  subjectId: list(id, 'Ids of the person affected.'),
  ip: z
    .string()
    .trim()
    .refine((v) => isIp(v) || isCidr(v), 'must be an IPv4/IPv6 address or CIDR block')
    .transform((v) => {
      if (!v.includes('/')) return canonicalIp(v);
      const [addr, bits] = v.split('/');
      return `${canonicalIp(addr ?? '')}/${Number(bits)}`;
    })
    .meta({ override: { type: 'string' } })
    .optional()
    .meta({ description: 'An IPv4 or IPv6 address, or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`)' }),
  source: list(enumValue(SOURCE_KINDS, 'sources'), 'Source kinds.', enumItems(SOURCE_KINDS)),
  system: booleanFlag('`true`: only actions not done by a person (actor.type ≠ user); `false`: only people'),
  requestMethod: list(
    z
      .string()
      .regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method')
      .transform((m) => m.toUpperCase()),
    'HTTP methods of API-made actions.',
    { type: 'string', pattern: '^[A-Za-z]{1,16}$' },
  ),
  requestStatus: list(
    z
      .string()
      .regex(/^[1-5][0-9]{2}$/, 'must be an HTTP status (100-599)')
      .transform(Number),
    'HTTP response statuses of API-made actions.',
    { type: 'integer', minimum: 100, maximum: 599 },
  ),
  requestUrl: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .meta({ description: 'Prefix of the request URL of API-made actions' }),
  requestContentType: list(
    z.string().min(1).max(256).transform(normaliseContentType),
    'Request content types (media type, parameters ignored, case-insensitive).',
  ),
  courseId: list(id, 'Course ids.'),
  classId: list(id, 'Class ids.'),
  from: windowBoundSchema.optional().meta({ description: FROM_DOC }),
  to: windowBoundSchema.optional().meta({ description: TO_DOC }),
  order: enumValue(['asc', 'desc'])
    .default('desc')
    .meta({ description: 'By occurredAt then id; newest first by default' }),
};

export function fromNotAfterTo(v: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (v.from && v.to && v.from > v.to) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
  }
}

export const auditFiltersSchema = z.object(auditFiltersShape).superRefine(fromNotAfterTo);
export type AuditFilters = z.output<typeof auditFiltersSchema>;
export type AuditFiltersInput = z.input<typeof auditFiltersSchema>;
