import { main } from '../../../ops/verify.ts';
import { baseUrl } from '../helpers.ts';

/** `npm run verify` against the test stack, as a tenant would run it: its exit code and output. */
export async function runVerify(
  token: string,
  from: number,
  to: string,
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(
    ['--url', baseUrl(), '--token', token, '--from', new Date(from).toISOString(), '--to', to],
    (l) => lines.push(l),
  );
  return { code, out: lines.join('\n') };
}
