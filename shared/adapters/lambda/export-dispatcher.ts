// Starts the export worker. In AWS: an asynchronous Lambda invoke (InvocationType `Event`), which
// returns once Lambda has queued the event. Locally (no worker function configured) the dev
// gateway runs in this process, so the worker runs here too, in the background: the promise is
// not awaited, and its errors are caught and logged (the worker records failures on the job).

import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { UnavailableError } from '../../domain/errors.ts';
import { logger } from '../../observability.ts';
import type { ExportDispatcher } from '../../use-cases/exports/ports.ts';
import { toDomainError } from '../aws-errors.ts';

export interface ExportRef {
  tenantId: string;
  exportId: string;
}

export class LambdaExportDispatcher implements ExportDispatcher {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async dispatch(ref: ExportRef): Promise<void> {
    try {
      const out = await this.client.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(ref)),
        }),
      );
      if (out.StatusCode !== undefined && out.StatusCode !== 202) {
        throw new UnavailableError(`The export worker could not be started: status ${out.StatusCode}`);
      }
    } catch (err) {
      throw toDomainError(err, 'The export worker');
    }
  }
}

export class InProcessExportDispatcher implements ExportDispatcher {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly run: (ref: ExportRef) => Promise<unknown>) {}

  async dispatch(ref: ExportRef): Promise<void> {
    const p: Promise<void> = Promise.resolve()
      .then(() => this.run(ref))
      .then(
        () => undefined,
        (err: unknown) => {
          logger.error('in-process export worker failed', { ...ref, error: err as Error });
        },
      )
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when every export started so far has finished (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
