import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { auditIdSchema, timestampSchema } from '../../domain/audit/schema.ts';
import { errors, jsonContent, pageResponses, problemSchema, readResponses } from '../openapi.ts';

const hex = z.string().regex(/^[0-9a-f]{64}$/);

export const digestSchema = z
  .object({
    id: z.string().meta({ description: 'Unique per tenant: `dg-` and the hour, e.g. `dg-2026-12-02T10`' }),
    periodStart: z
      .string()
      .meta({ format: 'date-time', description: 'Start of the UTC hour (by recordedAt)' }),
    periodEnd: z.string().meta({ format: 'date-time', description: 'End of the hour, exclusive' }),
    count: z.number().int().meta({ description: 'Entries sealed (the tree size)' }),
    rootHash: hex.meta({
      description:
        "Hex RFC 6962 Merkle tree hash (SHA-256) over the hour's entries ordered by `id` (byte order): leaf = " +
        "SHA-256(0x00 ‖ the entry's `integrity.hash` as 32 raw bytes), node = SHA-256(0x01 ‖ left ‖ right), split at " +
        'the largest power of two below the size',
    }),
    previousDigestHash: hex
      .nullable()
      .meta({ description: "The tenant's previous digest's `digestHash`; null for the first" }),
    digestHash: hex.meta({
      description:
        'Hex SHA-256 of the RFC 8785 canonical JSON of this object without `digestHash` and `signature`',
    }),
    signature: z.string().meta({
      description:
        'base64url ECDSA P-256 / SHA-256 signature (IEEE P1363 r‖s, 64 bytes) over the UTF-8 bytes of `digestHash` ' +
        '(the 64-character hex string), by the key `keyId` of GET /v1/audit-digests/keys',
    }),
    keyId: z.string().meta({ description: 'The signing key: a `kid` of GET /v1/audit-digests/keys' }),
    createdAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'AuditDigest', description: "One sealed hour of a tenant's audit log" });

export const digestPageSchema = z
  .object({ items: z.array(digestSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditDigestPage' });

export const digestKeysSchema = z
  .object({
    keys: z.array(
      z
        .object({
          kid: z.string(),
          kty: z.literal('EC'),
          crv: z.literal('P-256'),
          x: z.string(),
          y: z.string(),
        })
        .catchall(z.unknown())
        .meta({
          id: 'DigestKey',
          description: 'A public JWK (RFC 7517) with `kid` = its RFC 7638 thumbprint',
        }),
    ),
  })
  .meta({ id: 'AuditDigestKeys' });

export const proofSchema = z
  .object({
    entryHash: hex,
    digestId: z.string(),
    leafIndex: z.number().int().meta({ description: "The entry's position among the hour's entries by id" }),
    treeSize: z.number().int(),
    path: z
      .array(hex)
      .meta({ description: 'RFC 6962 audit path, from the leaf up (RFC 9162 §2.1.3.2 verifies it)' }),
  })
  .meta({ id: 'AuditProof' });

/** The cursor of the digests' list and of a digest's leaves. */
const digestCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,200}$/, 'is not a cursor of this list')
  .optional()
  .meta({ description: 'Opaque cursor from `nextCursor`' });
/** Any other query parameter is a 400 naming it. */
const unknownParam = z.never({ error: 'is not a known parameter' });

export const digestQuerySchema = z
  .object({
    from: timestampSchema
      .optional()
      .meta({ description: 'periodStart at or after (default: the beginning)' }),
    to: timestampSchema.optional().meta({ description: 'periodStart before (default: now)' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: digestCursor,
  })
  .catchall(unknownParam);

export const proofParamsSchema = z.object({ id: auditIdSchema });

export const leavesParamsSchema = z.object({
  id: z
    .string()
    .regex(/^dg-\d{4}-\d\d-\d\dT\d\d$/, 'is not a digest id')
    .meta({ description: 'The digest id, e.g. `dg-2026-12-02T10`' }),
});

export const leavesQuerySchema = z
  .object({
    cursor: digestCursor,
  })
  .catchall(unknownParam);

export const leavesPageSchema = z
  .object({
    digestId: z.string(),
    start: z.number().int().meta({ description: 'Position of the first item among all the leaves' }),
    items: z.array(
      z
        .object({
          id: z.string().meta({ description: "The entry's id" }),
          hash: hex.meta({ description: "The entry's `integrity.hash` as sealed" }),
        })
        .meta({ id: 'AuditDigestLeaf' }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({
    id: 'AuditDigestLeaves',
    description:
      "One page (up to 1,000) of a digest's leaves in Merkle order (by `id`). Trust none of it before the whole list " +
      "rebuilds the digest's signed `rootHash` (and `count`)",
  });

export const paths: ZodOpenApiPathsObject = {
  '/v1/audit-digests': {
    get: {
      operationId: 'listAuditDigests',
      summary: "The tenant's hourly audit digests, oldest first (owner, admin)",
      description:
        'An hour (UTC, by `recordedAt`) is sealed 5–10 minutes after it ends; hours with no entries have no digest. ' +
        'Verify a window with `npm run verify` or by hand (docs/trust.md).',
      tags: ['Integrity'],
      requestParams: { query: digestQuerySchema },
      responses: pageResponses('One page', digestPageSchema),
    },
  },
  '/v1/audit-digests/keys': {
    get: {
      operationId: 'listAuditDigestKeys',
      summary: 'Every public key that ever signed a digest (owner, admin)',
      description:
        'Public JWKs (EC P-256) with `kid`; a rotated key stays listed, so digests it signed still verify. ' +
        'The private keys never leave the signer (AWS KMS).',
      tags: ['Integrity'],
      responses: readResponses('The keys, rotated ones included', digestKeysSchema),
    },
  },
  '/v1/audit-digests/{id}/leaves': {
    get: {
      operationId: 'listAuditDigestLeaves',
      summary: "A digest's leaf list: each sealed entry's id and hash, in Merkle order (owner, admin)",
      description:
        'An extension of the v1.1 contract, which is silent on it. Stored when the hour was sealed, so it still names ' +
        'an entry that has since been removed: `npm run verify` rebuilds the signed `rootHash` from the whole list, ' +
        'then diffs it against the entries it read, naming each removed, added or changed entry. 404 for an unknown ' +
        'digest and for one sealed before leaf lists were kept.',
      tags: ['Integrity'],
      requestParams: { path: leavesParamsSchema, query: leavesQuerySchema },
      responses: {
        '200': { description: 'One page of leaves', content: jsonContent(leavesPageSchema) },
        ...errors('400', '401', '403', '404', '429', '500', '503'),
      },
    },
  },
  '/v1/audit-events/{id}/proof': {
    get: {
      operationId: 'getAuditEventProof',
      summary: "An entry's inclusion proof in its hour's digest (owner, admin)",
      description: "409 while the entry's hour is not sealed (or was sealed before the entry was recorded).",
      tags: ['Integrity'],
      requestParams: { path: proofParamsSchema },
      responses: {
        '200': { description: 'The audit path', content: jsonContent(proofSchema) },
        ...errors('400', '401', '403', '404'),
        '409': {
          description:
            "Conflict: the entry's hour is not sealed yet, or was sealed before the entry was recorded",
          content: { 'application/problem+json': { schema: problemSchema } },
        },
        ...errors('429', '500', '503'),
      },
    },
  },
};
