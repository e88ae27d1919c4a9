import { describe, expect, it } from 'vitest';
import { consoleLink, startBanner } from '../../../local/banner.ts';

describe('the console links `npm start` prints', () => {
  const banner = startBanner({
    url: 'http://localhost:3000',
    dataDir: '.logbook',
    tenant: 'demo',
    seeded: true,
    sesEndpoint: 'http://localhost:8602',
    dynamoEndpoint: 'http://localhost:8600',
    s3Endpoint: 'http://localhost:8601',
    tokens: [
      { label: 'owner', name: 'Olivia Owner', role: 'owner', token: 'OWNER.TOKEN' },
      { label: 'admin', name: 'Adam Admin', role: 'admin', token: 'ADMIN.TOKEN' },
      { label: 'manager', name: 'Maria Manager', role: 'manager', token: 'MANAGER.TOKEN' },
      { label: 'learner', name: 'Leo Learner', role: 'learner', token: 'LEARNER.TOKEN' },
      { label: 'service', name: 'Platform service', role: 'service', token: 'SERVICE.TOKEN' },
    ],
  });

  it('signs in the owner, the manager and the learner with the token in the fragment', () => {
    expect(consoleLink('http://x', 'T')).toBe('http://x/console/#token=T');
    for (const token of ['OWNER.TOKEN', 'MANAGER.TOKEN', 'LEARNER.TOKEN']) {
      expect(banner).toContain(consoleLink('http://localhost:3000', token));
    }
  });

  it('offers no console link for the service caller, and lists the owner first', () => {
    expect(banner).not.toContain(consoleLink('http://localhost:3000', 'SERVICE.TOKEN'));
    expect(banner.indexOf('/console/#token=OWNER')).toBeLessThan(banner.indexOf('/console/#token=MANAGER'));
  });
});
