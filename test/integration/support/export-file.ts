import { expect } from 'vitest';
import { api } from '../helpers.ts';

/**
 * An export through the API as a client makes it: requested (202), polled until it succeeds, and
 * fetched through its download link's redirect. The file's text.
 */
export async function exportText(token: string, body: Record<string, unknown>): Promise<string> {
  const created = await api('/v1/exports', { token, body });
  expect(created.status, created.text).toBe(202);
  for (let i = 0; i < 150; i++) {
    const res = await api(`/v1/exports/${created.body.id}`, { token });
    if (res.body.status === 'succeeded') {
      const redirect = await fetch(res.body.downloadUrl, { redirect: 'manual' });
      return (await fetch(redirect.headers.get('location')!)).text();
    }
    expect(res.body.status).not.toBe('failed');
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('export did not finish');
}
