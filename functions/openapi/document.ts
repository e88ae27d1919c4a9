import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { FILTER_COMPONENTS } from '../../shared/http/filter-docs.ts';
import { paths as activityIngest } from '../../shared/http/routes/activity-ingest.ts';
import { paths as activityQuery } from '../../shared/http/routes/activity-query.ts';
import { paths as auditDigests } from '../../shared/http/routes/audit-digests.ts';
import { paths as auditIngest } from '../../shared/http/routes/audit-ingest.ts';
import { paths as auditQuery } from '../../shared/http/routes/audit-query.ts';
import { paths as catalog } from '../../shared/http/routes/catalog.ts';
import { paths as directory } from '../../shared/http/routes/directory.ts';
import { paths as downloads } from '../../shared/http/routes/downloads.ts';
import { paths as exportsPaths } from '../../shared/http/routes/exports.ts';
import { paths as health } from '../../shared/http/routes/health.ts';
import { paths as openapi } from '../../shared/http/routes/openapi.ts';
import { paths as reports } from '../../shared/http/routes/reports.ts';
import { paths as trust } from '../../shared/http/routes/trust.ts';
import { ROUTES } from '../routes.ts';

/**
 * The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with. Each
 * function folder's schema.ts contributes its paths; add new folders to this list.
 */
export const ALL_PATHS: ZodOpenApiPathsObject[] = [
  health,
  openapi,
  catalog,
  auditIngest,
  auditQuery,
  auditDigests,
  directory,
  activityIngest,
  activityQuery,
  reports,
  exportsPaths,
  downloads,
  trust,
];

/** Folders may share a path with different methods (POST and GET /v1/audit-events). */
export function mergePaths(...fragments: ZodOpenApiPathsObject[]): ZodOpenApiPathsObject {
  const out: ZodOpenApiPathsObject = {};
  for (const fragment of fragments) {
    for (const [path, item] of Object.entries(fragment)) out[path] = { ...out[path], ...item };
  }
  return out;
}

export function buildDocument(serverUrl = '/') {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Logbook API',
      version: '1.0.0',
      description:
        'Audit log and activity log for learning platforms. Errors are application/problem+json (RFC 9457). ' +
        'The tenant of every read is the token’s `tenant_id`. Lists are newest first and paged with opaque, ' +
        'tamper-evident cursors bound to the tenant and the filters. A JSON body nested deeper than 32 levels ' +
        '(`{}` and `[]` each count one level, the body itself the first) is a 400 before any field is checked: ' +
        'its `errors` name each too-deep container (`events[1].details.a.a…`, at most 100), with nothing written.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      contact: { name: 'The Logbook maintainers (the API guide is docs/api.md in the repository)' },
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      schemas: FILTER_COMPONENTS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        // Declared only once a service (IAM) route exists, so the document has no unused parts.
        ...(ROUTES.some((r) => r.auth === 'service')
          ? {
              sigv4: {
                type: 'apiKey' as const,
                in: 'header' as const,
                name: 'Authorization',
                description:
                  'AWS Signature Version 4 (IAM, execute-api:Invoke) for platform services; locally a service-role bearer token.',
              },
            }
          : {}),
      },
    },
    tags: [
      { name: 'Service', description: 'Health and the API description' },
      { name: 'Reports', description: 'Saved reports and scheduled e-mailed exports' },
      {
        name: 'Exports',
        description: 'CSV and JSON files of a filtered view of a log, and their download links',
      },
      {
        name: 'Directory',
        description:
          'The platform’s people, teams, groups and content, as scopes use them (written by platform services), and the pickers frontends choose them by name from',
      },
      { name: 'Activity log', description: 'What learners did, with scopes and role-based visibility' },
      { name: 'Audit log', description: 'Administrative actions: ingest, search and details' },
      {
        name: 'Integrity',
        description:
          'Hourly signed digests of the audit log, their keys and inclusion proofs (docs/trust.md)',
      },
      { name: 'Trust', description: 'Legal holds and retention per tenant' },
    ],
    paths: mergePaths(...ALL_PATHS),
  });
}
