import '../../local/env.ts';
import type { TestProject } from 'vitest/node';
import { scheduleRoutes } from '../../local/schedules.ts';
import { sealRoutes } from '../../local/seal.ts';
import { startLocalStack } from '../../local/stack.ts';
import { trustRoutes } from '../../local/trust.ts';
import { RECORD_ACCOUNT, resetRecording, startRecording, writeRecordingMeta } from './support/sdk-calls.ts';

/**
 * Starts the whole local stack once per test run: DynamoDB Local in memory, s3rver, SES v2
 * local and the dev gateway on free ports. Test files reach it only over HTTP (and, for
 * assertions on stored data, through the emulators' own endpoints).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dynamoEndpoint: string;
    s3Endpoint: string;
    sesEndpoint: string;
    tables: { audit: string; activity: string; directory: string; state: string; keys: string };
    /** The local master key file that wraps persons' data keys (tests that store entries directly). */
    personKeysFile: string;
    bucket: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.STAGE = 'test';
  // Before any handler builds its SDK clients: every call a function sends is recorded.
  resetRecording();
  startRecording();
  // DynamoDB Local keeps the in-memory tables in its Java heap: the whole suite's data outgrew the
  // 256 MB that suits `npm start`, and a Scan then answered InternalFailure (README, "Where things are").
  process.env.JAVA_TOOL_OPTIONS ??= '-Xmx1g';
  const stack = await startLocalStack({
    dataDir: null,
    port: 0,
    localRoutes: (config) => [...scheduleRoutes(config), ...sealRoutes(config), ...trustRoutes(config)],
  });
  writeRecordingMeta({
    region: stack.config.AWS_REGION,
    account: RECORD_ACCOUNT,
    names: {
      AUDIT_TABLE: stack.config.AUDIT_TABLE,
      ACTIVITY_TABLE: stack.config.ACTIVITY_TABLE,
      DIRECTORY_TABLE: stack.config.DIRECTORY_TABLE,
      STATE_TABLE: stack.config.STATE_TABLE,
      KEYS_TABLE: stack.config.KEYS_TABLE,
      EXPORTS_BUCKET: stack.config.EXPORTS_BUCKET,
      SENDER_EMAIL: stack.config.SENDER_EMAIL,
    },
  });
  project.provide('baseUrl', stack.url);
  project.provide('dynamoEndpoint', stack.emulators.dynamoEndpoint);
  project.provide('s3Endpoint', stack.emulators.s3Endpoint);
  project.provide('sesEndpoint', stack.emulators.sesEndpoint);
  project.provide('tables', {
    audit: stack.config.AUDIT_TABLE,
    activity: stack.config.ACTIVITY_TABLE,
    directory: stack.config.DIRECTORY_TABLE,
    state: stack.config.STATE_TABLE,
    keys: stack.config.KEYS_TABLE,
  });
  project.provide('personKeysFile', stack.config.PERSON_KEYS_FILE ?? '');
  project.provide('bucket', stack.config.EXPORTS_BUCKET);
  return async () => {
    await stack.stop();
  };
}
