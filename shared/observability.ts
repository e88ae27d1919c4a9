import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** One logger and one metrics emitter per process, as Powertools recommends. */
export const logger = new Logger({
  serviceName: 'logbook',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO') as LogLevel,
});
export const metrics = new Metrics({ namespace: 'Logbook', serviceName: 'logbook' });
