import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

/**
 * Where the local stack listens, read from the kernel's table of listening TCP sockets
 * (/proc/net/tcp and tcp6: local address and port in hex, state 0A = LISTEN). The gateway,
 * s3rver and SES v2 local bind 127.0.0.1 only; DynamoDB Local has no bind-address option and
 * listens on every interface, as the README says.
 */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local?.endsWith(`:${hexPort}`)) continue;
      found.push(local.slice(0, local.indexOf(':')));
    }
  }
  return found;
}

const LOOPBACK_V4 = '0100007F'; // 127.0.0.1, little-endian hex
const ANY_V4 = '00000000';
const ANY_V6 = '00000000000000000000000000000000';

describe.runIf(existsSync('/proc/net/tcp'))('the local stack', () => {
  it.each([
    ['the dev gateway', 'baseUrl'],
    ['s3rver', 's3Endpoint'],
    ['SES v2 local', 'sesEndpoint'],
  ] as const)('%s listens on 127.0.0.1 only', (_what, key) => {
    const url = new URL(inject(key));
    expect(listeners(Number(url.port))).toEqual([LOOPBACK_V4]);
  });

  it('DynamoDB Local listens on every interface (no bind-address option), as the README warns', () => {
    const port = Number(new URL(inject('dynamoEndpoint')).port);
    expect(listeners(port).some((a) => a === ANY_V4 || a === ANY_V6)).toBe(true);
  });
});
