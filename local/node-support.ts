/**
 * Node.js versions the local runtime and its scripts support: 20, 22 and 24 (deployed functions run Node.js 24).
 *
 * On Node 20 the AWS SDK prints a NodeVersionSupportWarning at its first client ("versions published after January
 * 2027 will require node >=22"). It concerns SDK releases this project has not installed (the versions are pinned)
 * and asks nothing of someone running it, so the local processes switch it off with the variable the SDK documents
 * for that (aws/aws-sdk-js-v3#7983), in their own process only. An explicit setting by the user wins.
 */
export const NODE_VERSION_WARNING_VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Call before the first SDK client is built (the warning is emitted when one is constructed). */
export function quietNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env[NODE_VERSION_WARNING_VARIABLE] ??= 'true';
}
