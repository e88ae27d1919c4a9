// The layers of shared/ and functions/, enforced (test/infra/import-rules.test.ts and
// `npm run lint:imports`). docs/architecture.md draws them:
//   domain ← use cases (+ their ports.ts) ← adapters ← composition ← functions
// Type-only imports count: a layer may not even name a type of a layer above it.

const OUTSIDE = 'node_modules|^node:';
const PORTS = '^shared/use-cases/[^/]+/ports[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment: 'The domain (entities, schemas, errors, issue formatting) imports nothing outside itself.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: [`^shared/domain/`, OUTSIDE] },
    },
    {
      name: 'ports-import-only-domain',
      comment: "A feature's ports.ts names the interfaces its use cases depend on, in domain terms only.",
      severity: 'error',
      from: { path: PORTS },
      to: { pathNot: ['^shared/domain/', PORTS, OUTSIDE] },
    },
    {
      name: 'use-cases-import-domain-and-ports',
      comment:
        'Use cases import the domain, ports and other use cases, plus the pure query helpers ' +
        '(shared/query) and the logger and metrics (shared/observability.ts); never adapters, ' +
        'composition, http or configuration.',
      severity: 'error',
      from: { path: '^shared/use-cases/' },
      to: {
        pathNot: ['^shared/(domain|use-cases|query)/', '^shared/observability[.]ts$', OUTSIDE],
      },
    },
    {
      name: 'query-helpers-are-pure',
      comment: 'shared/query (cursors, expressions, the merge planner, shards) imports only the domain.',
      severity: 'error',
      from: { path: '^shared/query/' },
      to: { pathNot: ['^shared/(domain|query)/', OUTSIDE] },
    },
    {
      name: 'adapters-never-import-use-cases',
      comment:
        'Adapters implement ports (use-cases/*/ports.ts) and own the SDK; they never import a use ' +
        'case, a composition root, the HTTP layer or a function.',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: '^shared/(use-cases|composition|http)/|^functions/', pathNot: PORTS },
    },
    {
      name: 'http-imports-domain-only',
      comment:
        'The HTTP layer (middleware, responses, OpenAPI helpers) never reaches adapters, use cases or wiring.',
      severity: 'error',
      from: { path: '^shared/http/' },
      to: { path: '^shared/(adapters|use-cases|composition)/|^functions/' },
    },
    {
      name: 'functions-import-composition-and-http',
      comment:
        'A handler gets everything it is wired with (adapters, clock, trust reader, signing key) ' +
        'from its composition module and speaks HTTP (or SQS) through shared/http; besides, it ' +
        'only loads the configuration it hands to composition, logs and counts ' +
        '(shared/observability.ts), parses with domain schemas and calls a use case. It never ' +
        'builds an adapter, loads a key, names a port or reaches the query helpers itself.',
      severity: 'error',
      from: { path: '^functions/' },
      to: {
        pathNot: [
          '^functions/',
          '^shared/(composition|http|use-cases|domain)/',
          '^shared/(config|observability)[.]ts$',
          OUTSIDE,
        ],
      },
    },
    {
      name: 'functions-never-import-ports',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: PORTS },
    },
    {
      name: 'shared-never-imports-functions',
      comment: 'shared/ is below every function; only functions/openapi assembles the route schemas.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(shared|functions)/',
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
