/**
 * What `npm start` prints once the stack is up. Pure, so a test pins the parts a newcomer
 * copies: the URLs and a curl line with the admin token already filled in.
 */
export interface BannerInput {
  url: string;
  dataDir: string;
  tenant: string;
  seeded: boolean;
  sesEndpoint: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** One entry per demo person, in print order. */
  tokens: { label: string; name: string; role: string; token: string }[];
}

/** The console's sign-in link: the token rides in the fragment, which never reaches a server. */
export function consoleLink(url: string, token: string): string {
  return `${url}/console/#token=${token}`;
}

/** Who gets a console link: the owner sees everything, the manager their reports, the learner their own. */
const CONSOLE_PEOPLE = ['owner', 'manager', 'learner'];

/** A ready-to-paste request: the admin's first page of the audit log. */
export function curlExample(url: string, token: string): string {
  return `curl -s '${url}/v1/audit-events?limit=5' -H 'authorization: Bearer ${token}'`;
}

export function startBanner(b: BannerInput): string {
  const admin = b.tokens.find((t) => t.role === 'admin') ?? b.tokens[0];
  const links = b.tokens
    .filter((t) => CONSOLE_PEOPLE.includes(t.label))
    .map((t) => `  ${`${t.name} (${t.role})`.padEnd(26)} ${consoleLink(b.url, t.token)}`);
  const tokens = b.tokens.map((t) => `  ${t.label.padEnd(8)} ${t.name} (${t.role})\n    ${t.token}`);
  return `
Logbook is running (data in ${b.dataDir}; demo tenant "${b.tenant}" ${b.seeded ? 'seeded now' : 'already seeded'}).

  API            ${b.url}   (health: ${b.url}/health, OpenAPI: ${b.url}/v1/openapi.json)
  API reference  ${b.url}/docs   (guide: docs/api.md)
  E-mail inbox   ${b.sesEndpoint}/   (JSON: ${b.url}/_local/emails)
  Schedules      run every minute; POST ${b.url}/_local/run-schedules {"now": "…"} runs them as at a moment
  DynamoDB Local ${b.dynamoEndpoint}
  S3 (s3rver)    ${b.s3Endpoint}

Admin console: open a link to sign in (the owner sees everything; the manager only their reports; the learner only "My activity"):
${links.join('\n')}

Tokens for the demo tenant (valid 30 days):
${tokens.join('\n')}

Try (as ${admin ? admin.name : 'the admin'}):
  ${admin ? curlExample(b.url, admin.token) : ''}

Ctrl-C stops everything.`;
}
