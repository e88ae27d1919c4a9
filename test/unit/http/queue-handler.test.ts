import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { queueHandler } from '../../../shared/http/queue-handler.ts';
import { logger } from '../../../shared/observability.ts';

const taskSchema = z.object({ id: z.string() });
const event = (...bodies: string[]): SQSEvent =>
  ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) }) as unknown as SQSEvent;

afterEach(() => vi.restoreAllMocks());

describe('queueHandler (the workers fed by SQS)', () => {
  it('handles each task on its own, returning only the messages whose task threw', async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const seen: string[] = [];
    const handler = queueHandler('test worker', taskSchema, async (task) => {
      seen.push(task.id);
      if (task.id === 'bad') throw new Error('boom');
    });
    const out = await handler(event('{"id":"a"}', '{"id":"bad"}', '{"id":"c"}'));
    expect(seen).toEqual(['a', 'bad', 'c']);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(errors).toHaveBeenCalledWith('test worker failed', expect.objectContaining({ id: 'bad' }));
  });

  it('drops a message that is not JSON or not a task (redelivery would not mend it)', async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const handle = vi.fn(async () => undefined);
    const out = await queueHandler('test worker', taskSchema, handle)(event('not json', '{"id":1}'));
    expect(handle).not.toHaveBeenCalled();
    expect(out).toEqual({ batchItemFailures: [] });
    expect(errors.mock.calls).toEqual([
      ['test worker: malformed message', { messageId: 'm0' }],
      ['test worker: malformed message', { messageId: 'm1' }],
    ]);
  });
});
