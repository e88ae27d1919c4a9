import { describe, expect, it } from 'vitest';
import { loadConfig, shardCount } from '../../shared/config.ts';

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      AUDIT_RETENTION_MONTHS: 18,
      ACTIVITY_RETENTION_MONTHS: 84,
      EXPORT_LINK_DAYS: 7,
      DEFAULT_SHARDS: 1,
      TENANT_SHARDS: {},
    });
  });

  it('reads per-tenant write shards', () => {
    const c = loadConfig({ TENANT_SHARDS: 'acme=4,globex=16', DEFAULT_SHARDS: '2' });
    expect(shardCount(c, 'acme')).toBe(4);
    expect(shardCount(c, 'globex')).toBe(16);
    expect(shardCount(c, 'other')).toBe(2);
  });

  it('applies no default in Lambda: reading a variable the function was not given throws, naming it', () => {
    const c = loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'logbook-audit-query', AUDIT_TABLE: 'prod-audit' });
    expect(c.AUDIT_TABLE).toBe('prod-audit');
    expect(() => c.AUDIT_RETENTION_MONTHS).toThrowError(
      /AUDIT_RETENTION_MONTHS is not set for this function/,
    );
    expect(() => c.STATE_TABLE).toThrowError(/STATE_TABLE/);
    expect(() => c.EXPORT_WORKER_FUNCTION).toThrowError(/EXPORT_WORKER_FUNCTION/);
    // The local stand-ins' endpoints and the local key are never given in AWS: simply absent.
    expect(c.DYNAMODB_ENDPOINT).toBeUndefined();
    expect(c.SIGNING_SECRET).toBeUndefined();
  });

  it('still checks every given value in Lambda', () => {
    expect(() =>
      loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'x', AUDIT_RETENTION_MONTHS: 'eighteen' }),
    ).toThrowError(/AUDIT_RETENTION_MONTHS/);
  });

  it('fails fast, naming the variable, on a bad value', () => {
    expect(() => loadConfig({ AUDIT_RETENTION_MONTHS: 'eighteen' })).toThrowError(/AUDIT_RETENTION_MONTHS/);
    expect(() => loadConfig({ TENANT_SHARDS: 'acme=0' })).toThrowError(/TENANT_SHARDS/);
    expect(() => loadConfig({ DYNAMODB_ENDPOINT: 'not a url' })).toThrowError(/DYNAMODB_ENDPOINT/);
  });
});
