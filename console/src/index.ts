/**
 * The Logbook web components. Importing this module defines all five custom elements:
 * `<logbook-audit-log>`, `<logbook-activity-log>`, `<logbook-exports>`, `<logbook-reports>` and
 * `<logbook-integrity>` (see docs/console.md for attributes, parts, custom properties and events).
 */
export { LogbookActivityLog } from './activity-log.ts';
export { LogbookAuditLog } from './audit-log.ts';
export type { TokenProvider, TokenRequestDetail } from './core.ts';
export { LogbookExports } from './exports.ts';
export { LogbookIntegrity } from './integrity.ts';
export type { ExportRequestDetail } from './log-view.ts';
export { LogbookReports } from './reports.ts';
