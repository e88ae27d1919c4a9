import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/settings.ts';
import { cdkJsonContext, TEST_ISSUER } from './synth.ts';

const read = (context: Record<string, unknown>) =>
  readSettings(new App({ context: { ...cdkJsonContext(), jwtIssuer: TEST_ISSUER, ...context } }).node);

describe('deploy settings from CDK context', () => {
  it('reads cdk.json with defaults for what it leaves out', () => {
    expect(read({})).toMatchObject({
      stage: 'dev',
      jwtIssuer: TEST_ISSUER,
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
      costHeaders: false,
      serviceCallers: [],
      exportWorkerConcurrency: 10,
      scheduleDispatcherConcurrency: 2,
    });
  });

  it('refuses the placeholder issuer of cdk.json, and any issuer on a reserved example domain, by name', () => {
    const placeholder = String(cdkJsonContext().jwtIssuer);
    expect(() => readSettings(new App({ context: cdkJsonContext() }).node)).toThrow(
      new RegExp(
        `jwtIssuer: ${placeholder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a placeholder.*-c jwtIssuer=`,
      ),
    );
    for (const issuer of [
      'https://idp.example.org/',
      'https://login.test/',
      'https://localhost/x',
      'https://a.invalid/',
    ]) {
      expect(() => read({ jwtIssuer: issuer }), issuer).toThrow(/jwtIssuer: .* is a placeholder/);
    }
    expect(read({ jwtIssuer: 'https://login.microsoftonline.com/tenant/v2.0' }).jwtIssuer).toMatch(
      /microsoftonline/,
    );
  });

  it('reads the service callers, cost headers and reserved concurrency, and names bad values', () => {
    expect(
      read({
        serviceCallers:
          'arn:aws:iam::123456789012:role/platform/ingest, arn:aws:iam::210987654321:user/directory-sync',
        costHeaders: 'true',
        exportWorkerConcurrency: '0',
        scheduleDispatcherConcurrency: '5',
      }),
    ).toMatchObject({
      serviceCallers: [
        'arn:aws:iam::123456789012:role/platform/ingest',
        'arn:aws:iam::210987654321:user/directory-sync',
      ],
      costHeaders: true,
      exportWorkerConcurrency: 0,
      scheduleDispatcherConcurrency: 5,
    });
    expect(() =>
      read({
        serviceCallers: 'arn:aws:iam::123456789012:*',
        costHeaders: 'yes',
        exportWorkerConcurrency: -1,
      }),
    ).toThrow(
      /serviceCallers: .* must be an IAM role or user ARN.*costHeaders: must be true or false.*exportWorkerConcurrency/,
    );
  });

  it('accepts numbers given as strings on the command line (-c key=value)', () => {
    expect(read({ auditRetentionMonths: '24', throttleRateLimit: '10', stage: 'prod' })).toMatchObject({
      auditRetentionMonths: 24,
      throttleRateLimit: 10,
      stage: 'prod',
    });
  });

  it('takes an optional alarm e-mail and refuses one that is not an address', () => {
    expect(read({}).alarmEmail).toBeUndefined();
    expect(read({ alarmEmail: 'oncall@example.com' }).alarmEmail).toBe('oncall@example.com');
    expect(() => read({ alarmEmail: 'oncall' })).toThrow('alarmEmail: must be an e-mail address');
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
