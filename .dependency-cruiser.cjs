// The layers of shared/ and functions/, enforced (test/infra/import-rules.test.ts and
// `npm run lint:imports`). docs/architecture.md draws them:
//   domain ← use cases (+ their ports.ts) ← adapters ← composition ← functions → http → domain
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
        'A file under functions/ imports only shared/composition (its use cases, already bound to ' +
        'their deps: adapters, clock, trust reader, signing key), shared/http (middleware, input ' +
        'parsing, responses, the route schemas of shared/http/routes) and the files of its own ' +
        'function folder (functions/openapi also reads functions/routes.ts). Besides those, two ' +
        'process-wide modules stay allowed because they are not a layer: shared/config.ts (the ' +
        'settings a cold start loads once and hands to composition and to apiHandler) and ' +
        'shared/observability.ts (the Powertools logger and metrics a function records its outcome ' +
        'with); re-exporting them through composition or http would add a name, not a boundary. ' +
        'So a function never calls a use case with deps, names a port or a domain type, builds an ' +
        'adapter, loads a key or reaches the query helpers itself.',
      severity: 'error',
      from: { path: '^functions/([^/]+)' },
      to: {
        pathNot: [
          '^functions/$1/',
          '^functions/routes[.]ts$',
          '^shared/(composition|http)/',
          '^shared/(config|observability)[.]ts$',
          OUTSIDE,
        ],
      },
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
