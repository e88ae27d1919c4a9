import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INTEGRATION_TIMEOUT_MS, invokeIntegration } from '../../../local/gateway.ts';
import { LAMBDA_MAX_RESPONSE_BYTES } from '../../../shared/query/page-budget.ts';

/** The local gateway's Lambda integration gives up and refuses where API Gateway does. */
const event = {} as APIGatewayProxyEventV2;
const context = {} as Context;
afterEach(() => {
  vi.useRealTimers();
});

describe('the local Lambda integration', () => {
  it('passes an answer within the limits through', async () => {
    const out = await invokeIntegration(async () => ({ statusCode: 200, body: 'ok' }), event, context);
    expect(out).toEqual({ ok: true, result: { statusCode: 200, body: 'ok' } });
  });

  it('answers 503 when the function has not answered within the 30-second integration timeout', async () => {
    vi.useFakeTimers();
    const pending = invokeIntegration(() => new Promise(() => undefined), event, context);
    await vi.advanceTimersByTimeAsync(INTEGRATION_TIMEOUT_MS - 1);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({ ok: false, status: 503 });
    expect(INTEGRATION_TIMEOUT_MS).toBe(30_000);
  });

  it('answers 500 for a response over Lambda’s 6 MB, counted as the runtime sends it', async () => {
    // 6 MB of control characters is 36 MB once escaped; 3 MB of them is already too much.
    const body = '\u0001'.repeat(Math.ceil(LAMBDA_MAX_RESPONSE_BYTES / 6));
    const out = await invokeIntegration(async () => ({ statusCode: 200, body }), event, context);
    expect(out).toMatchObject({ ok: false, status: 500 });
    const fits = 'a'.repeat(LAMBDA_MAX_RESPONSE_BYTES - 1000);
    const ok = await invokeIntegration(async () => ({ statusCode: 200, body: fits }), event, context);
    expect(ok.ok).toBe(true);
  });

  it('answers 500 when the function throws', async () => {
    const out = await invokeIntegration(
      async () => {
        throw new Error('boom');
      },
      event,
      context,
    );
    expect(out).toMatchObject({ ok: false, status: 500 });
  });
});
