// Deployment settings, read once from CDK context (cdk.json, or `-c key=value` on the command
// line, where every value arrives as a string). A missing or malformed value fails the synth
// with a message naming the key. docs/deploy.md lists them.

import type { Node } from 'constructs';

export interface DeploySettings {
  /** Suffix of the stack names and the STAGE variable of every function. */
  stage: string;
  /** Optional fixed target; otherwise the CLI's default account/region, or env-agnostic stacks. */
  account?: string;
  region?: string;
  jwtIssuer: string;
  jwtAudience: string;
  auditRetentionMonths: number;
  activityRetentionMonths: number;
  exportLinkDays: number;
  senderEmail: string;
  /**
   * Verified recipient identities while the account is in the SES sandbox: SES then authorizes a
   * send against the recipients' identities too. Empty once out of the sandbox (the default).
   */
  sesSandboxRecipients: string[];
  /** Overrides the API's execute-api URL in download links (a custom domain). */
  publicBaseUrl?: string;
  /** Stage-wide API throttling. */
  throttleRateLimit: number;
  throttleBurstLimit: number;
  /**
   * Browser origins allowed by CORS; empty = no CORS at all (the default). https origins; http
   * ones (e.g. `http://localhost:5173`) only when the stage is not production.
   */
  corsAllowOrigins: string[];
  /** Write shards per tenant (`acme=4,globex=16`) and for every other tenant. */
  tenantShards: string;
  defaultShards: number;
  /** Retention of the functions' and the API's log groups. */
  logRetentionDays: number;
  /** Subscribed (e-mail) to the alarm topic; absent = no subscription (subscribe by hand). */
  alarmEmail?: string;
  /**
   * Cost headers (`x-logbook-scanned`, `x-logbook-index`) on list answers to org-wide readers.
   * Off unless set: DynamoDB's pre-filter counts are figures about the whole tenant.
   */
  costHeaders: boolean;
  /** Deploy the admin console (S3 + CloudFront, `/v1/*` forwarded to the API) as a third stack. Off unless set. */
  console: boolean;
  /** IAM principals (role or user ARNs, or account roots) the service routes accept; empty = none. */
  serviceCallers: string[];
  /** Reserved concurrency of the export worker and the schedule dispatcher; 0 = none reserved. */
  exportWorkerConcurrency: number;
  scheduleDispatcherConcurrency: number;
  /**
   * Names of the JWT claims that carry the caller's identity, for identity providers that do not
   * emit `tenant_id`/`role`/`reporting` (Cognito: `custom:tenant_id`). Passed to every routed
   * function as JWT_CLAIM_* variables.
   */
  claims: { tenantId: string; role: string; reporting: string; subject: string };
  /**
   * Whether the stack creates the SES sending identity: `none` (verified by hand, the default),
   * `email` (the senderEmail address; SES mails a confirmation link), `domain` (its domain, Easy
   * DKIM; publish the three CNAMEs the stack outputs).
   */
  sesIdentity: 'none' | 'email' | 'domain';
}

export const SETTING_DEFAULTS = {
  stage: 'dev',
  throttleRateLimit: 100,
  throttleBurstLimit: 200,
  tenantShards: '',
  defaultShards: 1,
  logRetentionDays: 30,
  costHeaders: false,
  console: false,
  exportWorkerConcurrency: 10,
  scheduleDispatcherConcurrency: 2,
  claimTenantId: 'tenant_id',
  claimRole: 'role',
  claimReporting: 'reporting',
  claimSubject: 'sub',
  sesIdentity: 'none',
} as const;

/**
 * Hosts reserved for examples and tests (RFC 2606, RFC 6761): an issuer there is a placeholder
 * (cdk.json ships one), and no real identity provider can ever sign for it.
 */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/i;

/** An IAM role or user ARN (`arn:aws:iam::123456789012:role/path/Name`), or an account's root. */
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:((role|user)\/[\w+=,.@/-]+|root)$/;

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export function readSettings(node: Node): DeploySettings {
  const problems: string[] = [];
  const raw = (key: string): unknown => node.tryGetContext(key);

  const str = (key: string, fallback?: string): string => {
    const value = raw(key) ?? fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${key}: required (a non-empty string)`);
      return '';
    }
    return value.trim();
  };
  const optionalStr = (key: string): string | undefined => {
    const value = raw(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
      problems.push(`${key}: must be a string`);
      return undefined;
    }
    return value.trim();
  };
  const int = (key: string, min: number, max: number, fallback?: number): number => {
    const value = raw(key) ?? fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key}: must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
      return min;
    }
    return n;
  };

  const stage = str('stage', SETTING_DEFAULTS.stage);
  if (stage && !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    problems.push('stage: lower-case letters, digits and hyphens, at most 20, starting with a letter');
  }

  const jwtIssuer = str('jwtIssuer');
  if (jwtIssuer && !/^https:\/\/\S+$/.test(jwtIssuer)) problems.push('jwtIssuer: must be an https URL');
  else if (jwtIssuer && PLACEHOLDER_HOST.test(new URL(jwtIssuer).hostname)) {
    problems.push(
      `jwtIssuer: ${jwtIssuer} is a placeholder (a reserved example domain, as in cdk.json); ` +
        "pass your identity provider's issuer: -c jwtIssuer=https://<your-idp>/",
    );
  }

  const senderEmail = str('senderEmail');
  const senderDomain = senderEmail.split('@')[1];
  if (senderEmail && (!senderDomain || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(senderEmail))) {
    problems.push('senderEmail: must be an e-mail address');
  }

  const publicBaseUrl = optionalStr('publicBaseUrl');
  if (publicBaseUrl && !/^https:\/\/\S+$/.test(publicBaseUrl)) {
    problems.push('publicBaseUrl: must be an https URL');
  }

  const corsRaw = optionalStr('corsAllowOrigins');
  const corsAllowOrigins = (corsRaw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // http origins (a frontend dev server) only for stages that are not production.
  const production = isProductionStage(stage);
  for (const origin of corsAllowOrigins) {
    const https = /^https:\/\/[^/*\s]+$/.test(origin);
    const http = /^http:\/\/[^/*\s]+$/.test(origin);
    if (http && production) {
      problems.push(
        `corsAllowOrigins: "${origin}" is an http origin, which a production stage (${stage}) may not allow`,
      );
    } else if (!https && !http) {
      problems.push(
        `corsAllowOrigins: "${origin}" must be an https origin (http for non-production stages) without path or wildcard`,
      );
    }
  }

  const sesSandboxRecipients = (optionalStr('sesSandboxRecipients') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const recipient of sesSandboxRecipients) {
    if (!/^([^@\s,]+@)?[^@\s,]+\.[^@\s,]+$/.test(recipient)) {
      problems.push(`sesSandboxRecipients: "${recipient}" must be an e-mail address or a domain`);
    }
  }

  const alarmEmail = optionalStr('alarmEmail');
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    problems.push('alarmEmail: must be an e-mail address');
  }

  const tenantShards = optionalStr('tenantShards') ?? SETTING_DEFAULTS.tenantShards;
  if (tenantShards && !/^([^=,\s]+=\d{1,2})(,[^=,\s]+=\d{1,2})*$/.test(tenantShards)) {
    problems.push('tenantShards: must look like "acme=4,globex=16"');
  }

  const logRetentionDays = int('logRetentionDays', 1, 3653, SETTING_DEFAULTS.logRetentionDays);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    problems.push(`logRetentionDays: must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  const bool = (key: string, fallback: boolean): boolean => {
    const value = raw(key) ?? fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    problems.push(`${key}: must be true or false (got ${JSON.stringify(value)})`);
    return fallback;
  };

  const serviceCallers = (optionalStr('serviceCallers') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const arn of serviceCallers) {
    if (!IAM_PRINCIPAL_ARN.test(arn)) {
      problems.push(
        `serviceCallers: "${arn}" must be an IAM role or user ARN, or arn:aws:iam::<account>:root`,
      );
    }
  }

  const claim = (key: 'claimTenantId' | 'claimRole' | 'claimReporting' | 'claimSubject') => {
    const name = str(key, SETTING_DEFAULTS[key]);
    if (name && !/^[A-Za-z0-9_:./-]{1,128}$/.test(name)) {
      problems.push(`${key}: a claim name of letters, digits and _ : . / - (got "${name}")`);
    }
    return name;
  };
  const claims = {
    tenantId: claim('claimTenantId'),
    role: claim('claimRole'),
    reporting: claim('claimReporting'),
    subject: claim('claimSubject'),
  };
  const sesIdentity = str('sesIdentity', SETTING_DEFAULTS.sesIdentity);
  if (sesIdentity !== 'none' && sesIdentity !== 'email' && sesIdentity !== 'domain') {
    problems.push(`sesIdentity: must be none, email or domain (got "${sesIdentity}")`);
  }

  const settings: DeploySettings = {
    stage,
    account: optionalStr('account'),
    region: optionalStr('region'),
    jwtIssuer,
    jwtAudience: str('jwtAudience'),
    auditRetentionMonths: int('auditRetentionMonths', 1, 240),
    activityRetentionMonths: int('activityRetentionMonths', 1, 240),
    exportLinkDays: int('exportLinkDays', 1, 30),
    senderEmail,
    sesSandboxRecipients,
    publicBaseUrl,
    throttleRateLimit: int('throttleRateLimit', 1, 10_000, SETTING_DEFAULTS.throttleRateLimit),
    throttleBurstLimit: int('throttleBurstLimit', 1, 5_000, SETTING_DEFAULTS.throttleBurstLimit),
    corsAllowOrigins,
    tenantShards,
    defaultShards: int('defaultShards', 1, 64, SETTING_DEFAULTS.defaultShards),
    logRetentionDays,
    ...(alarmEmail ? { alarmEmail } : {}),
    costHeaders: bool('costHeaders', SETTING_DEFAULTS.costHeaders),
    console: bool('console', SETTING_DEFAULTS.console),
    serviceCallers,
    exportWorkerConcurrency: int(
      'exportWorkerConcurrency',
      0,
      1000,
      SETTING_DEFAULTS.exportWorkerConcurrency,
    ),
    scheduleDispatcherConcurrency: int(
      'scheduleDispatcherConcurrency',
      0,
      1000,
      SETTING_DEFAULTS.scheduleDispatcherConcurrency,
    ),
    claims,
    sesIdentity: sesIdentity as DeploySettings['sesIdentity'],
  };
  if (problems.length > 0) throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  return settings;
}

/** `prod`, `production` and anything starting `prod-` are production stages. */
export function isProductionStage(stage: string): boolean {
  return /^prod(uction)?(-|$)/.test(stage);
}
