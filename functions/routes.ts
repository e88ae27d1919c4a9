/**
 * Every HTTP route, once: the CDK API stack creates one API Gateway route per entry (with the
 * entry's authorizer) and the local dev gateway dispatches by the same table to the same handler
 * modules. `fn` names the folder under functions/ whose handler.ts serves the route; one Lambda
 * per folder. Plain data: no imports, so both sides load it cheaply.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** `user`: API Gateway JWT authorizer · `service`: IAM (SigV4) · `none`: public */
export type RouteAuth = 'user' | 'service' | 'none';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  fn: string;
  auth: RouteAuth;
}

export const ROUTES: readonly RouteDef[] = [
  { method: 'GET', path: '/health', fn: 'health', auth: 'none' },
  { method: 'GET', path: '/v1/openapi.json', fn: 'openapi', auth: 'none' },
  { method: 'GET', path: '/v1/catalog', fn: 'catalog', auth: 'user' },
  { method: 'POST', path: '/v1/reports', fn: 'reports', auth: 'user' },
  { method: 'GET', path: '/v1/reports', fn: 'reports', auth: 'user' },
  { method: 'GET', path: '/v1/reports/{id}', fn: 'reports', auth: 'user' },
  { method: 'PUT', path: '/v1/reports/{id}', fn: 'reports', auth: 'user' },
  { method: 'DELETE', path: '/v1/reports/{id}', fn: 'reports', auth: 'user' },
  { method: 'PUT', path: '/v1/reports/{id}/schedule', fn: 'reports', auth: 'user' },
  { method: 'DELETE', path: '/v1/reports/{id}/schedule', fn: 'reports', auth: 'user' },
  { method: 'POST', path: '/v1/exports', fn: 'exports', auth: 'user' },
  { method: 'GET', path: '/v1/exports', fn: 'exports', auth: 'user' },
  { method: 'GET', path: '/v1/exports/{id}', fn: 'exports', auth: 'user' },
  { method: 'GET', path: '/v1/downloads/{token}', fn: 'downloads', auth: 'none' },
  { method: 'PUT', path: '/v1/directory/users', fn: 'directory', auth: 'service' },
  { method: 'GET', path: '/v1/directory/users', fn: 'activity-query', auth: 'user' },
  { method: 'GET', path: '/v1/directory/teams', fn: 'activity-query', auth: 'user' },
  { method: 'GET', path: '/v1/directory/groups', fn: 'activity-query', auth: 'user' },
  { method: 'PUT', path: '/v1/directory/teams', fn: 'directory', auth: 'service' },
  { method: 'PUT', path: '/v1/directory/groups', fn: 'directory', auth: 'service' },
  { method: 'PUT', path: '/v1/directory/content', fn: 'directory', auth: 'service' },
  { method: 'POST', path: '/v1/activity-events', fn: 'activity-ingest', auth: 'service' },
  { method: 'GET', path: '/v1/activity', fn: 'activity-query', auth: 'user' },
  { method: 'GET', path: '/v1/me/activity', fn: 'activity-query', auth: 'user' },
  { method: 'POST', path: '/v1/audit-events', fn: 'audit-ingest', auth: 'service' },
  { method: 'GET', path: '/v1/audit-events', fn: 'audit-query', auth: 'user' },
  { method: 'GET', path: '/v1/audit-events/{id}', fn: 'audit-query', auth: 'user' },
  { method: 'GET', path: '/v1/audit-events/{id}/proof', fn: 'audit-digests', auth: 'user' },
  { method: 'GET', path: '/v1/audit-digests', fn: 'audit-digests', auth: 'user' },
  { method: 'GET', path: '/v1/audit-digests/keys', fn: 'audit-digests', auth: 'user' },
  { method: 'GET', path: '/v1/audit-digests/{id}/leaves', fn: 'audit-digests', auth: 'user' },
  { method: 'POST', path: '/v1/legal-holds', fn: 'trust', auth: 'user' },
  { method: 'GET', path: '/v1/legal-holds', fn: 'trust', auth: 'user' },
  { method: 'DELETE', path: '/v1/legal-holds/{id}', fn: 'trust', auth: 'user' },
  { method: 'GET', path: '/v1/settings/retention', fn: 'trust', auth: 'user' },
  { method: 'PUT', path: '/v1/settings/retention', fn: 'trust', auth: 'user' },
  { method: 'POST', path: '/v1/erasures', fn: 'trust', auth: 'user' },
  { method: 'GET', path: '/v1/erasures/{id}', fn: 'trust', auth: 'user' },
];

/** Served for any path and method no route matches (API Gateway's `$default` route). */
export const NOT_FOUND_FUNCTION = 'not-found';
