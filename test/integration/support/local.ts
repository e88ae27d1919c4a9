import { expect } from 'vitest';
import { baseUrl } from '../helpers.ts';

/** A POST to one of the local stack's `/_local/*` routes (drains, sweeps, sealing): 200 and its JSON. */
export async function postLocal(path: string, body: unknown = {}) {
  const res = await fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}
