import type { ExpiryTask } from '../../domain/trust/jobs.ts';

/** The queue of expiry jobs (SQS in AWS, in process locally), as the trust use cases see it. */
export interface ExpiryQueue {
  /** Hands a job on to the expiry worker, after `delaySeconds` when given. */
  enqueue(task: ExpiryTask, delaySeconds?: number): Promise<void>;
}
