import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';
import { UnavailableError } from '../domain/errors.ts';
import type { AuditRecorder, DirectoryLookup, EntrySources } from '../use-cases/exports/ports.ts';

/**
 * The logs as exports see them: their filter schemas, their iterators (run as the requester),
 * the directory, and the audit log's ingest for recording each export. Placeholder until the
 * audit and activity logs land on main.
 */
export function logSources(
  _config: Config,
  _client: DynamoDBDocumentClient,
): { sources: EntrySources; directory: DirectoryLookup; audit: AuditRecorder } {
  const missing = () => new UnavailableError('The logs are not available yet.');
  return {
    sources: {
      validateFilters: async () => undefined,
      activity: () => {
        throw missing();
      },
      audit: () => {
        throw missing();
      },
    },
    directory: {
      getUsers: async () => [],
      getTeams: async () => [],
      customFieldNames: async () => [],
    },
    audit: { record: async () => undefined },
  };
}
