import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { auditIdSchema, timestampSchema } from '../../shared/domain/audit/schema.ts';
import { digestSchema, publicJwkSchema } from '../../shared/domain/integrity/digest.ts';
import { errors, jsonContent, listQueryBase, problemSchema } from '../../shared/http/openapi.ts';

export const digestListQuery = z
  .object({
    from: timestampSchema.optional().meta({ description: 'On `periodStart`, inclusive' }),
    to: timestampSchema.optional().meta({ description: 'On `periodStart`, exclusive; default now' }),
    ...listQueryBase,
  })
  .catchall(z.never({ error: 'is not a known parameter' }));

export const proofParams = z.object({ id: auditIdSchema });
export const digestParams = z.object({ id: z.string().min(1).max(200) });
export const leavesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(5000).default(5000).meta({ description: 'Page size, 1–5000' }),
    cursor: z.string().min(1).optional().meta({ description: 'Opaque cursor from `nextCursor`' }),
  })
  .catchall(z.never({ error: 'is not a known parameter' }));

export const leavesPageSchema = z
  .object({
    digestId: z.string(),
    items: z.array(z.object({ id: z.string(), hash: z.string() })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AuditDigestLeaves', description: 'The sealed leaves in tree order (by id)' });

export const digestPageSchema = z
  .object({ items: z.array(digestSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditDigestPage' });

export const digestKeysSchema = z.object({ keys: z.array(publicJwkSchema) }).meta({ id: 'AuditDigestKeys' });

export const proofSchema = z
  .object({
    entryHash: z.string().meta({ description: 'The entry’s `integrity.hash`' }),
    digestId: z.string(),
    leafIndex: z
      .number()
      .int()
      .meta({ description: 'Position of the entry in its hour, in id order (0-based)' }),
    treeSize: z.number().int().meta({ description: 'The digest’s `count`' }),
    path: z.array(z.string()).meta({
      description:
        'RFC 6962 audit path, leaf to root (hex node hashes). Verify as RFC 9162 §2.1.3.2: start from ' +
        'SHA-256(0x00 ‖ entryHash bytes) and arrive at the digest’s `rootHash`',
    }),
  })
  .meta({ id: 'AuditEntryProof' });

export const paths: ZodOpenApiPathsObject = {
  '/v1/audit-digests': {
    get: {
      operationId: 'listAuditDigests',
      summary: 'Signed hourly digests of the audit log (owner, admin)',
      description:
        'One digest per tenant and closed UTC hour that has entries (by `recordedAt`), oldest first. An hour closes ' +
        '2 minutes after it ends (longer than the ingest path’s longest write, 29 s); the sealer runs every 5 minutes ' +
        'in AWS, every minute under `npm start`. Digests are chained by `previousDigestHash` in hour order, so a removed ' +
        'digest breaks the chain. Default window: the 3 months before `to` (default now).',
      tags: ['Integrity'],
      requestParams: { query: digestListQuery },
      responses: {
        '200': { description: 'One page, oldest first', content: jsonContent(digestPageSchema) },
        ...errors('400', '401', '403', '429', '500', '503'),
      },
    },
  },
  '/v1/audit-digests/keys': {
    get: {
      operationId: 'listAuditDigestKeys',
      summary: 'Every public key that ever signed a digest (owner, admin)',
      description:
        'JWKs (P-256, ES256). `kid` is the RFC 7638 thumbprint; a digest names its key in `keyId`. After a key ' +
        'rotation the old key stays listed, so old digests still verify. The private keys never leave the signer ' +
        '(KMS in AWS, a key file in DATA_DIR locally).',
      tags: ['Integrity'],
      responses: {
        '200': { description: 'The keys', content: jsonContent(digestKeysSchema) },
        ...errors('401', '403', '429', '500', '503'),
      },
    },
  },
  '/v1/audit-digests/{id}/leaves': {
    get: {
      operationId: 'listAuditDigestLeaves',
      summary: 'The entries a digest sealed: ids and hashes in tree order (owner, admin)',
      description:
        'An addition to the contract: with the sealed list a verifier names each entry removed, added or changed ' +
        'since sealing (the root alone only says that something differs). The list is checked against the ' +
        'digest’s `rootHash` by whoever reads it, so it needs no trust of its own.',
      tags: ['Integrity'],
      requestParams: { path: digestParams, query: leavesQuery },
      responses: {
        '200': { description: 'One page', content: jsonContent(leavesPageSchema) },
        ...errors('400', '401', '403', '404', '429', '500', '503'),
      },
    },
  },
  '/v1/audit-events/{id}/proof': {
    get: {
      operationId: 'getAuditEventProof',
      summary: 'Inclusion proof of one entry in its hour’s digest (owner, admin)',
      description:
        '409 while the entry’s hour (by `recordedAt`) has no digest yet, and for an entry the sealed hour does not ' +
        'hold (recorded into it after sealing, which only a local simulation with a future `now` can do). The proof ' +
        'is built from the leaf list stored with the digest; if that list no longer matches the digest’s root, 409.',
      tags: ['Integrity'],
      requestParams: { path: proofParams },
      responses: {
        '200': { description: 'The audit path', content: jsonContent(proofSchema) },
        '409': {
          description: 'The entry’s hour is not sealed yet, or the entry is not in its hour’s digest',
          content: { 'application/problem+json': { schema: problemSchema } },
        },
        ...errors('400', '401', '403', '404', '429', '500', '503'),
      },
    },
  },
};
