import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS } from '../../infra/functions.ts';
import { installClientObserver } from '../../shared/adapters/sdk-observer.ts';
import { ALWAYS_SET_SETTINGS, LOCAL_ONLY_SETTINGS, SETTING_KEYS } from '../../shared/config.ts';
import { inspect, REPO_ROOT, type Synth, synthLogbook } from './synth.ts';

/**
 * Which settings does each function read? Derived from the code, not from a list: each handler is
 * bundled the way the stack bundles it (esbuild, tree-shaken) but unminified, and every
 * `.<SETTING>` property read in the repository's own modules of that bundle is a setting it reads.
 * That set must equal what the synthesized template passes the function, both ways. Then each
 * handler is loaded as Lambda would load it (AWS_LAMBDA_FUNCTION_NAME set, no local defaults):
 * with exactly the template's variables its cold start succeeds, and without any one of the
 * settings it reads its cold start fails naming that variable.
 */
const NAMES = Object.keys(FUNCTIONS).filter((name) =>
  existsSync(join(REPO_ROOT, 'functions', name, 'handler.ts')),
);
/** Every setting shared/config.ts knows. */
const SETTINGS = new Set<string>(SETTING_KEYS);
/** Variables of the Lambda plumbing (ServiceFunction), not settings the code reads through Config. */
const PLUMBING = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME']);
const NOT_PASSED = new Set<string>([...ALWAYS_SET_SETTINGS, ...LOCAL_ONLY_SETTINGS]);

let reads: Map<string, Set<string>>;
let bundledInputs: string[];
let s: Synth;
let view: ReturnType<typeof inspect>;

beforeAll(async () => {
  const out = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.fromEntries(NAMES.map((name) => [name, `functions/${name}/handler.ts`])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    treeShaking: true,
    minify: false,
    write: false,
    outdir: 'out',
    logLevel: 'silent',
    metafile: true,
  });
  bundledInputs = Object.keys(out.metafile.inputs);
  reads = new Map();
  for (const file of out.outputFiles) {
    const name = file.path.replace(/^.*\/out\//, '').replace(/\.js$/, '');
    const found = new Set<string>();
    // esbuild heads each module's code with a `// <path>` line; only the repository's own count.
    for (const section of file.text.split(/^\/\/ (?=\S+\.[cm]?[jt]s$)/m)) {
      const path = section.slice(0, section.indexOf('\n'));
      if (path.startsWith('node_modules/')) continue;
      for (const m of section.matchAll(/\.([A-Z][A-Z0-9_]+)\b/g)) if (SETTINGS.has(m[1]!)) found.add(m[1]!);
    }
    reads.set(name, found);
  }
  s = synthLogbook();
  view = inspect(s);
});

/** The template's variables of a function, with values a Lambda would see. */
function deployedEnv(name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(view.fn(name).env)) {
    // Tokens the template resolves at deploy time, as the values a Lambda would see.
    env[key] =
      key === 'PUBLIC_BASE_URL' && !value.startsWith('https://')
        ? 'https://abc123.execute-api.eu-west-1.amazonaws.com'
        : key.endsWith('_QUEUE_URL') && !value.startsWith('https://')
          ? `https://sqs.eu-west-1.amazonaws.com/123456789012/${value}`
          : value;
  }
  return env;
}

describe('settings each function reads, derived from its bundled code', () => {
  it('bundles every function that has a handler', () => {
    expect([...reads.keys()].sort()).toEqual([...NAMES].sort());
  });

  it('bundles no file of the IAM evaluator (@cloud-copilot/*: AGPL, a devDependency for tests only)', () => {
    expect(bundledInputs.length).toBeGreaterThan(100);
    expect(bundledInputs.filter((path) => path.includes('@cloud-copilot'))).toEqual([]);
  });

  for (const name of NAMES) {
    it(`${name}: the stack passes exactly the settings its code reads`, () => {
      const read = [...reads.get(name)!].filter((k) => !NOT_PASSED.has(k)).sort();
      const passed = Object.keys(view.fn(name).env)
        .filter((k) => !PLUMBING.has(k) && !NOT_PASSED.has(k))
        .sort();
      expect({ read, passed }).toEqual({ read: passed, passed });
    });
  }
});

describe('a cold start in Lambda', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    installClientObserver(undefined);
  });

  /** Loads the handler module afresh with only `env` (plus what the Lambda runtime sets). */
  async function coldStart(name: string, env: Record<string, string>): Promise<unknown> {
    process.env = {
      PATH: saved.PATH,
      AWS_LAMBDA_FUNCTION_NAME: `logbook-${name}`,
      AWS_REGION: 'eu-west-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    };
    // A cold start that reads the signing key gets a stand-in answer instead of the network.
    installClientObserver((client) => {
      client.middlewareStack.add(
        (() => async () => ({
          output: { SecretString: 'a-signing-key-for-the-test-only' },
          response: {},
        })) as never,
        { step: 'initialize', name: 'standInSecret' } as never,
      );
    });
    vi.resetModules();
    try {
      await import(`../../functions/${name}/handler.ts`);
      return undefined;
    } catch (err) {
      return err;
    }
  }

  for (const name of NAMES) {
    it(`${name}: succeeds with the template's variables, and fails naming any read setting left out`, async () => {
      const env = deployedEnv(name);
      expect(await coldStart(name, env)).toBeUndefined();
      for (const key of [...reads.get(name)!].filter((k) => !NOT_PASSED.has(k))) {
        const { [key]: _left, ...rest } = env;
        const err = await coldStart(name, rest);
        expect(err, `${name} without ${key}`).toBeInstanceOf(Error);
        expect((err as Error).message, `${name} without ${key}`).toContain(key);
      }
    });
  }
});
