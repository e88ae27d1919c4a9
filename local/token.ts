import { parseArgs } from 'node:util';
import { ROLES } from '../shared/http/caller.ts';
import { mintToken } from './tokens.ts';

/** `npm run token -- --tenant T --role R --sub U [--reporting] [--expires 30d]` */
const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    sub: { type: 'string', default: 'dev-user' },
    reporting: { type: 'boolean', default: false },
    expires: { type: 'string', default: '12h' },
  },
});

if (!(ROLES as readonly string[]).includes(values.role)) {
  console.error(`Unknown role "${values.role}". One of: ${ROLES.join(', ')}`);
  process.exit(2);
}
if (values.role !== 'service' && !values.tenant) {
  console.error('--tenant is required for every role but service');
  process.exit(2);
}
console.log(
  await mintToken({
    sub: values.sub,
    role: values.role,
    tenant: values.tenant,
    reporting: values.reporting || undefined,
    expiresIn: values.expires,
  }),
);
