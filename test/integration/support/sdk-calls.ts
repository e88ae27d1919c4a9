import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { currentFunction } from '../../../shared/adapters/invocation.ts';
import { installClientObserver, type ObservableClient } from '../../../shared/adapters/sdk-observer.ts';

/**
 * Records every AWS SDK command a function sends while the integration suites run: the function
 * (from shared/adapters/invocation.ts: the gateway, the in-process worker and the schedule runner mark each
 * invocation), the IAM action the command needs, and the resource ARN it acts on (a Query's index
 * included). test/iam/sdk-calls.test.ts evaluates each one against that function's policy in the
 * synthesized template. Only test processes install this (globalSetup, and setup-sdk-calls.ts in
 * each test worker for the suites that run a gateway of their own); deployed code never does.
 *
 * Each process appends a call the first time it sees it to its own JSON-lines file.
 */
export const SDK_CALLS_DIR = resolve(import.meta.dirname, '../../../.logbook-test/sdk-calls');
/** The account the recorded ARNs name; the IAM test resolves the template with the same one. */
export const RECORD_ACCOUNT = '000000000000';

export interface RecordedCall {
  fn: string;
  action: string;
  resource: string;
  /** A Query's or Scan's index, also part of `resource`. */
  index?: string;
  /** Request context keys the policy's conditions read (e.g. ses:FromAddress). */
  context?: Record<string, string | string[]>;
}

export interface RecordingMeta {
  region: string;
  account: string;
  /** Physical names the local stack used, by the variable that carries them. */
  names: Record<string, string>;
}

/** Called once per integration run, before the stack starts: forgets the previous run. */
export function resetRecording(): void {
  rmSync(SDK_CALLS_DIR, { recursive: true, force: true });
  mkdirSync(SDK_CALLS_DIR, { recursive: true });
}

export function writeRecordingMeta(meta: RecordingMeta): void {
  writeFileSync(join(SDK_CALLS_DIR, 'meta.json'), JSON.stringify(meta, null, 2));
}

export function readRecording(): { meta: RecordingMeta; calls: RecordedCall[] } | null {
  let files: string[];
  try {
    files = readdirSync(SDK_CALLS_DIR);
  } catch {
    return null;
  }
  if (!files.includes('meta.json')) return null;
  const meta = JSON.parse(readFileSync(join(SDK_CALLS_DIR, 'meta.json'), 'utf8')) as RecordingMeta;
  const seen = new Map<string, RecordedCall>();
  for (const file of files.filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(SDK_CALLS_DIR, file), 'utf8').split('\n')) {
      if (!line) continue;
      const call = JSON.parse(line) as RecordedCall;
      seen.set(callKey(call), call);
    }
  }
  return { meta, calls: [...seen.values()] };
}

/**
 * What makes a call distinct: function, action and resource, with an S3 object key cut to its
 * first folder (every export writes a new key; one per folder says the same about the grant).
 */
export const callKey = (c: RecordedCall) =>
  `${c.fn} ${c.action} ${c.resource.replace(/^(arn:aws:s3:::[^/]+\/[^/]+\/).*$/, '$1*')}`;

const SERVICE_OF: Record<string, string> = {
  DynamoDBClient: 'dynamodb',
  S3Client: 's3',
  SESv2Client: 'ses',
  LambdaClient: 'lambda',
  SecretsManagerClient: 'secretsmanager',
  SQSClient: 'sqs',
};

/** Commands whose IAM action is not their own name. */
const ACTION_OF: Record<string, string> = {
  's3:CreateMultipartUpload': 's3:PutObject',
  's3:UploadPart': 's3:PutObject',
  's3:CompleteMultipartUpload': 's3:PutObject',
  's3:HeadObject': 's3:GetObject',
  's3:ListParts': 's3:ListMultipartUploadParts',
  'lambda:Invoke': 'lambda:InvokeFunction',
  'ses:SendEmail': 'ses:SendEmail',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
};

type Input = Record<string, unknown>;
type Call = Omit<RecordedCall, 'fn'>;

/** The (action, resource) pairs IAM checks for one command. */
export function callsOf(
  clientName: string,
  commandName: string,
  input: Input,
  region: string,
  account = RECORD_ACCOUNT,
): Call[] {
  const service = SERVICE_OF[clientName];
  if (!service) return [{ action: `unknown:${clientName}.${commandName}`, resource: '*' }];
  const op = commandName.replace(/Command$/, '');
  const action = ACTION_OF[`${service}:${op}`] ?? `${service}:${op}`;
  const table = (name: unknown) => `arn:aws:dynamodb:${region}:${account}:table/${String(name)}`;
  switch (service) {
    case 'dynamodb': {
      if (op === 'BatchGetItem' || op === 'BatchWriteItem') {
        return Object.keys((input.RequestItems as Input) ?? {}).map((name) => ({
          action,
          resource: table(name),
        }));
      }
      if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
        const itemAction: Record<string, string> = {
          Put: 'dynamodb:PutItem',
          Update: 'dynamodb:UpdateItem',
          Delete: 'dynamodb:DeleteItem',
          ConditionCheck: 'dynamodb:ConditionCheckItem',
          Get: 'dynamodb:GetItem',
        };
        return ((input.TransactItems as Input[]) ?? []).flatMap((item) =>
          Object.entries(item).map(([kind, body]) => ({
            action: itemAction[kind] ?? `dynamodb:${kind}`,
            resource: table((body as Input).TableName),
          })),
        );
      }
      const index = input.IndexName as string | undefined;
      // dynamodb:Attributes of an UpdateItem: its key's and its expressions' attribute names.
      const attributes =
        op === 'UpdateItem'
          ? [
              ...new Set([
                ...Object.keys((input.Key as Input) ?? {}),
                ...Object.values((input.ExpressionAttributeNames as Record<string, string>) ?? {}),
              ]),
            ]
          : undefined;
      return [
        {
          action,
          resource: index ? `${table(input.TableName)}/index/${index}` : table(input.TableName),
          ...(index ? { index } : {}),
          ...(attributes ? { context: { 'dynamodb:Attributes': attributes } } : {}),
        },
      ];
    }
    case 's3':
      return [{ action, resource: `arn:aws:s3:::${String(input.Bucket)}/${String(input.Key)}` }];
    case 'ses': {
      const from = String(input.FromEmailAddress ?? '');
      return [
        {
          action,
          resource: `arn:aws:ses:${region}:${account}:identity/${from}`,
          context: { 'ses:FromAddress': from },
        },
      ];
    }
    case 'lambda': {
      const name = String(input.FunctionName);
      const arn = name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${account}:function:${name}`;
      return [{ action, resource: arn }];
    }
    case 'secretsmanager':
      return [{ action, resource: String(input.SecretId) }];
    case 'sqs': {
      // https://sqs.<region>.amazonaws.com/<account>/<name> → arn:aws:sqs:<region>:<account>:<name>
      const [, queueAccount = account, name = ''] = new URL(String(input.QueueUrl)).pathname.split('/');
      return [{ action, resource: `arn:aws:sqs:${region}:${queueAccount}:${name}` }];
    }
    default:
      return [{ action, resource: '*' }];
  }
}

let started = false;

/** Installs the recorder in this process (idempotent). Clients built before this are not seen. */
export function startRecording(): void {
  if (started) return;
  started = true;
  const file = join(SDK_CALLS_DIR, `${process.pid}-${Date.now()}.jsonl`);
  const seen = new Set<string>();
  installClientObserver((client: ObservableClient) => {
    const config = client.config as { region?: string | (() => Promise<string>) };
    const middleware =
      (
        next: (args: { input: Input }) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) =>
      async (args: { input: Input }) => {
        const fn = currentFunction();
        if (fn) {
          const region = typeof config.region === 'function' ? await config.region() : (config.region ?? '');
          for (const call of callsOf(
            context.clientName ?? '',
            context.commandName ?? '',
            args.input,
            region,
          )) {
            const recorded: RecordedCall = { fn, ...call };
            const key = callKey(recorded);
            if (seen.has(key)) continue;
            seen.add(key);
            mkdirSync(SDK_CALLS_DIR, { recursive: true });
            appendFileSync(file, `${JSON.stringify(recorded)}\n`);
          }
        }
        return next(args);
      };
    client.middlewareStack.add(
      middleware as never,
      {
        step: 'initialize',
        name: 'logbookSdkCallRecorder',
        override: true,
      } as never,
    );
  });
}
