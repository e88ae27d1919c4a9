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
