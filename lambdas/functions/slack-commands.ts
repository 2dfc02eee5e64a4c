/**
 * Deployed entry point of the Slack slash command, behind a Lambda function URL (and invoked asynchronously by itself
 * for deferred commands). Its dependencies are built once, at module scope.
 */
import { createSlackCommandsHandler } from '#handlers/slack-commands.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createSlackCommandsHandler(rootFromEnvironment());
