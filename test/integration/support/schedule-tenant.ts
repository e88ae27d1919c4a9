import { beforeAll, expect } from 'vitest';
import { api, tokensFor, uniqueTenant } from '../helpers.ts';

/**
 * A tenant for the schedule suites: its directory (admin, owner, hr, learner and a deactivated
 * admin, each with an address unique to the tenant) is written before the file's tests, and
 * `mine()` reads only the e-mails sent to this tenant's people from the shared local inbox.
 */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  at: string;
}

export function scheduleTenant(prefix: string) {
  const tenant = uniqueTenant(prefix);
  const email = (id: string) => `${id}.${tenant}@example.com`;
  const user = (id: string, role: string, status: 'active' | 'deactivated' = 'active') => ({
    id,
    firstName: id,
    lastName: 'Tester',
    email: email(id),
    role,
    status,
  });
  const ctx = {
    tenant,
    email,
    /** A directory user record of this tenant, for later upserts (renames, demotions). */
    user,
    tokens: undefined as unknown as Awaited<ReturnType<typeof tokensFor>>,
    mine: async (): Promise<Mail[]> =>
      ((await api<Mail[]>('/_local/emails')).body ?? []).filter((m) =>
        m.to.some((a) => a.endsWith(`.${tenant}@example.com`)),
      ),
  };
  beforeAll(async () => {
    ctx.tokens = await tokensFor(tenant);
    const res = await api('/v1/directory/users', {
      token: ctx.tokens.service,
      method: 'PUT',
      body: {
        tenantId: tenant,
        users: [
          user('u-admin', 'Admin'),
          user('u-owner', 'Owner'),
          user('u-hr', 'HR'),
          user('u-learner', 'Learner'),
          user('u-gone', 'Admin', 'deactivated'),
        ],
      },
    });
    expect(res.status).toBe(200);
  });
  return ctx;
}
