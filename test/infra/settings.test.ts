import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/settings.ts';
import { cdkJsonContext } from './synth.ts';

const read = (context: Record<string, unknown>) =>
  readSettings(new App({ context: { ...cdkJsonContext(), ...context } }).node);

describe('deploy settings from CDK context', () => {
  it('reads cdk.json with defaults for what it leaves out', () => {
    expect(read({})).toMatchObject({
      stage: 'dev',
      jwtIssuer: 'https://auth.example.com/',
      jwtAudience: 'logbook',
      auditRetentionMonths: 18,
      activityRetentionMonths: 84,
      exportLinkDays: 7,
      senderEmail: 'reports@logbook.example.com',
      throttleRateLimit: 100,
      throttleBurstLimit: 200,
      corsAllowOrigins: [],
      defaultShards: 1,
      logRetentionDays: 30,
    });
  });

  it('accepts numbers given as strings on the command line (-c key=value)', () => {
    expect(read({ auditRetentionMonths: '24', throttleRateLimit: '10', stage: 'prod' })).toMatchObject({
      auditRetentionMonths: 24,
      throttleRateLimit: 10,
      stage: 'prod',
    });
  });

  it('splits CORS origins', () => {
    expect(
      read({ corsAllowOrigins: 'https://a.example.com, https://b.example.com' }).corsAllowOrigins,
    ).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  it('allows http CORS origins only for non-production stages', () => {
    expect(read({ stage: 'dev', corsAllowOrigins: 'http://localhost:5173' }).corsAllowOrigins).toEqual([
      'http://localhost:5173',
    ]);
    for (const stage of ['prod', 'production', 'prod-eu']) {
      expect(() => read({ stage, corsAllowOrigins: 'https://a.example.com, http://localhost:5173' })).toThrow(
        /corsAllowOrigins: "http:\/\/localhost:5173" is an http origin, which a production stage/,
      );
      expect(read({ stage, corsAllowOrigins: 'https://a.example.com' }).corsAllowOrigins).toHaveLength(1);
    }
    expect(() => read({ stage: 'dev', corsAllowOrigins: 'http://localhost:*' })).toThrow(/corsAllowOrigins/);
  });

  it('fails naming every bad key', () => {
    expect(() =>
      read({
        jwtIssuer: 'http://insecure.example.com',
        exportLinkDays: '0',
        senderEmail: 'nobody',
        corsAllowOrigins: '*',
        logRetentionDays: 2,
        stage: 'Prod_1',
      }),
    ).toThrow(/jwtIssuer: must be an https URL.*exportLinkDays: must be an integer from 1 to 30.*/);
    for (const key of ['stage', 'senderEmail', 'corsAllowOrigins', 'logRetentionDays']) {
      expect(() =>
        read({ [key]: key === 'logRetentionDays' ? 2 : key === 'stage' ? 'Prod_1' : 'bad' }),
      ).toThrow(new RegExp(`${key}: `));
    }
  });

  it('requires the JWT issuer and audience', () => {
    expect(() => read({ jwtIssuer: undefined, jwtAudience: '' })).toThrow(
      /jwtIssuer: required.*jwtAudience: required/,
    );
  });
});
