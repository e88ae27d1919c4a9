/**
 * Type test, compiled by `npm run typecheck` (tsc over packages/client): each `@ts-expect-error`
 * below must be an error, or tsc fails with "Unused '@ts-expect-error' directive". It proves the
 * generated types refuse what the API would refuse at run time.
 */
import { createLogbookClient } from '../src/index.ts';

const client = createLogbookClient({ baseUrl: 'http://localhost:3000', token: 't' });

export async function typeTest() {
  // Right spellings compile.
  client.auditEvents.list({ action: ['Deleted', 'PasswordChanged'], system: false, from: '2026-11-01' });
  await client.exports.create({ log: 'audit', format: 'csv', filters: { action: ['Deleted'] } });

  // @ts-expect-error a misspelt action does not compile
  client.auditEvents.list({ action: ['Delted'] });
  // @ts-expect-error nor a misspelt action in an export's filters
  await client.exports.create({ log: 'audit', format: 'csv', filters: { action: ['Delted'] } });
  // @ts-expect-error nor an activity action that does not exist
  client.activity.list({ action: ['Finished'] });
  // @ts-expect-error nor an unknown format
  await client.exports.create({ log: 'audit', format: 'xlsx' });
  // @ts-expect-error nor a flag given as a number
  client.auditEvents.list({ system: 1 });
}
