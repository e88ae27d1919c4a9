/**
 * Which IAM principals may call the service (SigV4) routes. HTTP APIs have no resource policy,
 * so any principal whose own policy allows execute-api:Invoke on a route gets past API Gateway;
 * the allow-list (SERVICE_CALLERS, from the `serviceCallers` deployment setting) narrows that to
 * the platform's own services. An entry is
 * - a role ARN `arn:aws:iam::<account>:role/[path/]Name`: any session of that role (API Gateway
 *   reports `arn:aws:sts::<account>:assumed-role/Name/<session>`, without the role's path);
 * - a user ARN `arn:aws:iam::<account>:user/[path/]Name`: that user;
 * - an account root `arn:aws:iam::<account>:root`: any principal of that account.
 */
export function isAllowedServiceCaller(userArn: string, allowed: readonly string[]): boolean {
  const caller = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/.exec(userArn);
  if (!caller) return false;
  const [, partition, service, account, resource] = caller;
  for (const entry of allowed) {
    const m = /^arn:(aws[a-z-]*):iam::(\d{12}):(root|role\/(?:.*\/)?([^/]+)|user\/.+)$/.exec(entry);
    if (!m || m[1] !== partition || m[2] !== account) continue;
    if (m[3] === 'root') return true;
    if (service === 'iam' && entry === userArn) return true;
    const roleName = m[4];
    if (roleName && entry.includes(':role/') && service === 'sts') {
      const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(resource!);
      if (session?.[1] === roleName) return true;
    }
  }
  return false;
}
