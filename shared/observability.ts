import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics emitter per process, as Powertools recommends. The level comes
 * from LOG_LEVEL, else Powertools' own POWERTOOLS_LOG_LEVEL, else INFO.
 */
export const logger = new Logger({
  serviceName: 'logbook',
  ...(process.env.LOG_LEVEL ? { logLevel: process.env.LOG_LEVEL as LogLevel } : {}),
});
export const metrics = new Metrics({ namespace: 'Logbook', serviceName: 'logbook' });
