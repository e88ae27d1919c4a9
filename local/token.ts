import { tokenCli } from './token-cli.ts';

/** `npm run token -- --tenant T --role R --sub U [--reporting] [--expires 30d]`; `--help` for usage. */
process.exitCode = await tokenCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
