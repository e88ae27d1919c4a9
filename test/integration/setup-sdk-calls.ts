import { startRecording } from './support/sdk-calls.ts';

/**
 * Test workers: record the SDK calls of the handlers a suite runs behind a gateway of its own
 * (support/private-gateway.ts). Calls made outside a function's invocation are not recorded.
 */
startRecording();
