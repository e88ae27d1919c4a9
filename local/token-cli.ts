import { parseArgs } from 'node:util';
import { ROLES } from '../shared/domain/caller.ts';
import { mintToken } from './tokens.ts';

export const TOKEN_USAGE = `Usage: npm run token -- [--tenant T] [--role R] [--sub U] [--reporting] [--expires 12h]

Prints an HS256 bearer token for the local stack (signed with DEV_JWT_SECRET).

  --tenant T     the tenant (tenant_id claim); required for every role but service
  --role R       ${ROLES.join(' | ')} (default admin)
  --sub U        the user id (sub claim; default dev-user)
  --reporting    the curator's "reporting" permission (reporting claim)
  --expires D    lifetime, e.g. 30m, 12h, 30d (default 12h)
  -h, --help     this text

Example: npm run token -- --tenant demo --role owner --sub u-owner`;

export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `npm run token`: returns the exit code; usage on --help and on any bad argument, never a stack trace. */
export async function tokenCli(argv: string[], io: CliOutput): Promise<number> {
  let values: {
    tenant?: string;
    role: string;
    sub: string;
    reporting: boolean;
    expires: string;
    help: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        tenant: { type: 'string' },
        role: { type: 'string', default: 'admin' },
        sub: { type: 'string', default: 'dev-user' },
        reporting: { type: 'boolean', default: false },
        expires: { type: 'string', default: '12h' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${TOKEN_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(TOKEN_USAGE);
    return 0;
  }
  if (!(ROLES as readonly string[]).includes(values.role)) {
    io.err(`Unknown role "${values.role}". One of: ${ROLES.join(', ')}`);
    return 2;
  }
  if (values.role !== 'service' && !values.tenant) {
    io.err(`--tenant is required for every role but service\n\n${TOKEN_USAGE}`);
    return 2;
  }
  try {
    io.out(
      await mintToken({
        sub: values.sub,
        role: values.role,
        tenant: values.tenant,
        reporting: values.reporting || undefined,
        expiresIn: values.expires,
      }),
    );
  } catch (err) {
    io.err(`Could not mint the token: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  return 0;
}
