/**
 * Read-only callers of ssm-contacts. Every ssm-contacts operation is `POST /` (awsJson1_1, named by X-Amz-Target),
 * so an IAM policy on `execute-api:Invoke` cannot let a role read contacts without letting it write them. The
 * console's viewer role is therefore named to the contacts function, which refuses it every operation that is not a
 * read. (ssm-incidents needs none of this: each of its operations has its own route, and the viewer role may invoke
 * only the read routes.)
 */
import { AccessDeniedError } from '#core/shared/errors.ts';

/** Get*, List* and Describe* operations change nothing. */
export const isReadOperation = (operation: string) => /^(Get|List|Describe)[A-Z]/.test(operation);

/** `arn:aws:sts::123456789012:assumed-role/<RoleName>/<session>` → `<RoleName>`. */
export const assumedRoleName = (principalArn: string) => /:assumed-role\/([^/]+)\//.exec(principalArn)?.[1];

export function assertMayCall(operation: string, principalArn: string, readOnlyRoleNames: readonly string[]): void {
  if (readOnlyRoleNames.length === 0 || isReadOperation(operation)) return;
  const role = assumedRoleName(principalArn);
  if (role !== undefined && readOnlyRoleNames.includes(role))
    throw new AccessDeniedError(`${principalArn} is read-only here and may not call ${operation}.`);
}
