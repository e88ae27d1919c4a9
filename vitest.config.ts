import { defineConfig } from 'vitest/config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Four projects: unit (fakes and aws-sdk-client-mock), integration (through the HTTP API of
 * the local stack; emulators started once per run in globalSetup), infra (CDK assertions), and
 * iam, which runs after the others and checks the SDK calls the integration suites recorded.
 */
export default defineConfig({
  test: {
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      STAGE: 'test',
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'packages/client/test/**/*.test.ts'],
          env: {
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_METRICS_DISABLED: 'true',
            STAGE: 'test',
          },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          // Records the SDK calls of the handlers a suite runs behind its own gateway.
          setupFiles: ['test/integration/setup-sdk-calls.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One gateway serves every file; files run in parallel against it.
          env: {
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            POWERTOOLS_LOG_LEVEL: 'SILENT',
            POWERTOOLS_METRICS_DISABLED: 'true',
            STAGE: 'test',
          },
        },
      },
      {
        test: {
          // After the integration suites (a later group): evaluates the SDK calls they recorded
          // against each function's policy in the synthesized template.
          name: 'iam',
          include: ['test/iam/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
