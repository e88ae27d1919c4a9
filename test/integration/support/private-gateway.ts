import { inject } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../../local/fault-proxy.ts';
import { type Gateway, startGateway } from '../../../local/gateway.ts';
import { resetConfig } from '../../../shared/config.ts';

/**
 * A gateway of this test file's own, in its own worker process, serving the same handlers
 * against the shared emulators, with DynamoDB reached through a fault-injecting proxy. The
 * handlers read their configuration on first use, so they see this worker's environment.
 */
export interface PrivateStack {
  url: string;
  proxy: FaultProxy;
  close(): Promise<void>;
}

export async function privateStackWithFaults(extraEnv: Record<string, string> = {}): Promise<PrivateStack> {
  const proxy = await startFaultProxy(inject('dynamoEndpoint'));
  Object.assign(process.env, {
    STAGE: 'test',
    DYNAMODB_ENDPOINT: proxy.endpoint,
    S3_ENDPOINT: inject('s3Endpoint'),
    SES_ENDPOINT: inject('sesEndpoint'),
    AUDIT_TABLE: inject('tables').audit,
    ACTIVITY_TABLE: inject('tables').activity,
    DIRECTORY_TABLE: inject('tables').directory,
    STATE_TABLE: inject('tables').state,
    EXPORTS_BUCKET: inject('bucket'),
    ...extraEnv,
  });
  resetConfig();
  const gateway: Gateway = await startGateway({ port: 0 });
  process.env.PUBLIC_BASE_URL = gateway.url;
  return {
    url: gateway.url,
    proxy,
    close: async () => {
      await gateway.close();
      await proxy.close();
    },
  };
}
