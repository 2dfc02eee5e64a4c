/**
 * The Slack slash command (`/incident ...`): served by a Lambda function URL in AWS and by the local server's
 * `POST /chat/slack` locally, both with this handler.
 *
 * Security first: the raw body's signature is verified against the signing secret (Secrets Manager) before anything
 * is read from it; unsigned, stale, tampered and replayed requests get 401 and change nothing. A genuine request is
 * then authorized (workspace, channel, user, per command) and run as the Slack user, through the same operations as
 * the API (core/chat/run-command.ts).
 *
 * Slack waits three seconds for the reply. Commands are a few table reads and writes and answer inline; `ack`, which
 * may stop paging workflows, is deferred: it answers at once and the same function, invoked again asynchronously,
 * does the work and posts the result to the command's response_url.
 *
 * The commands (the incidents and contacts operations) are loaded by the first command that runs, not at init, so
 * the signature check of a cold start reads only what it needs.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authorize, type ChatCommandName } from '#core/chat/authorization.ts';
import { type ChatCommand, ChatUsageError, parseChatCommand, USAGE } from '#core/chat/commands.ts';
import type { DeferredChatCommand } from '#core/chat/ports.ts';
import { ChatCommandError, type ChatReply, ephemeral } from '#core/chat/replies.ts';
import { isDomainError } from '#core/shared/errors.ts';
import { slackPrincipal } from '#core/shared/principals.ts';
import { verifySlackSignature } from '#http/slack-signature.ts';
import { chatOf } from '#runtime/chat.ts';
import { logger } from '#runtime/logger.ts';
import type { CompositionRoot } from '#runtime/root.ts';

export type SlackCommandsHandler = (
  event: APIGatewayProxyEventV2 | DeferredChatCommand,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2 | undefined>;

/** Commands whose work is deferred past the immediate reply. */
const DEFERRED: ReadonlySet<ChatCommandName> = new Set(['ack']);

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const reply = (message: ChatReply) => json(200, message);
const unauthorized = () => json(401, { error: 'invalid_request_signature' });

const header = (event: APIGatewayProxyEventV2, name: string) => {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
};

/** Slack sends `&`, `<` and `>` of the typed text as HTML entities. */
const unescapeSlack = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** A failed command as the user should read it: what was wrong, never a stack trace. */
const failureReply = (error: unknown, requestId: string): ChatReply => {
  if (error instanceof ChatUsageError || error instanceof ChatCommandError) return ephemeral(`:x: ${error.message}`);
  if (isDomainError(error)) return ephemeral(`:x: ${(error as Error).message}`);
  logger.error('a chat command failed', { requestId, error: String(error), stack: (error as Error)?.stack });
  return ephemeral(`:x: Something went wrong on our side (request ${requestId}); nothing may have changed. Try again.`);
};

export function createSlackCommandsHandler(root: CompositionRoot): SlackCommandsHandler {
  const chat = () => chatOf(root);
  // The commands and their dependencies (incidents and contacts operations) load with the first command run.
  const runChatCommand: typeof import('#core/chat/run-command.ts').runChatCommand = async (deps, invocation) =>
    (await import('#core/chat/run-command.ts')).runChatCommand(deps, invocation);

  const runDeferred = async (work: DeferredChatCommand, requestId: string) => {
    let result: ChatReply;
    try {
      result = await runChatCommand(await chat().dependencies(), {
        command: work.command,
        requester: work.requester,
        principal: work.principal,
        now: Date.now(),
        ...(work.requestToken ? { requestToken: work.requestToken } : {}),
      });
    } catch (error) {
      result = failureReply(error, requestId);
    }
    await chat().responses.post(work.responseUrl, result);
  };

  const handleRequest = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const now = Date.now();
    const requestId = context.awsRequestId;
    const body = event.body
      ? event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body
      : '';
    const timestamp = header(event, 'x-slack-request-timestamp');
    const signature = header(event, 'x-slack-signature');

    // 1. Genuine? (The secret is re-read once on a mismatch, in case it was rotated since it was cached.)
    let check = verifySlackSignature({
      secrets: await chat().signingSecrets.current(),
      timestamp,
      signature,
      body,
      now,
    });
    if (!check.ok && check.reason === 'the signature does not match')
      check = verifySlackSignature({ secrets: await chat().signingSecrets.refresh(), timestamp, signature, body, now });
    if (!check.ok) {
      logger.warn('refused a chat request', {
        requestId,
        reason: check.reason,
        sourceIp: event.requestContext?.http?.sourceIp,
      });
      return unauthorized();
    }
    // 2. Not seen before? (Slack never resends a slash command, so a second copy is a replay.)
    if (!(await chat().replayGuard.firstUse(signature as string, now))) {
      logger.warn('refused a replayed chat request', { requestId });
      return unauthorized();
    }

    const form = new URLSearchParams(body);
    const requester = {
      teamId: form.get('team_id') ?? '',
      channelId: form.get('channel_id') ?? '',
      userId: form.get('user_id') ?? '',
      ...(form.get('api_app_id') ? { apiAppId: form.get('api_app_id') as string } : {}),
      ...(form.get('user_name') ? { userName: form.get('user_name') as string } : {}),
    };
    let command: ChatCommand;
    try {
      command = parseChatCommand(unescapeSlack(form.get('text') ?? ''));
    } catch (error) {
      return reply(failureReply(error, requestId));
    }
    // 3. Allowed?
    const decision = authorize(chat().authorization, requester, command.name);
    if (!decision.allowed) {
      logger.info('chat command not authorized', {
        requestId,
        command: command.name,
        ...requester,
        reason: decision.reason,
      });
      return reply(ephemeral(`:no_entry: Not allowed: ${decision.reason}.`));
    }
    const principal = slackPrincipal(requester.teamId, requester.userId);
    const requestToken = form.get('trigger_id') ?? undefined;
    const responseUrl = form.get('response_url') ?? '';

    if (DEFERRED.has(command.name) && responseUrl) {
      await chat().deferrer.defer(
        {
          kind: 'deferred-chat-command',
          command,
          requester,
          principal,
          responseUrl,
          receivedAt: now,
          ...(requestToken ? { requestToken } : {}),
        },
        { functionArn: context.invokedFunctionArn },
      );
      return reply(ephemeral(`:hourglass_flowing_sand: Working on \`${USAGE[command.name].split(':')[0]}\`…`));
    }
    // 4. Run it, as the Slack user.
    try {
      return reply(
        await runChatCommand(await chat().dependencies(), {
          command,
          requester,
          principal,
          now,
          ...(requestToken ? { requestToken } : {}),
        }),
      );
    } catch (error) {
      return reply(failureReply(error, requestId));
    }
  };

  const dispatch = async (event: APIGatewayProxyEventV2 | DeferredChatCommand, context: Context) => {
    if ((event as DeferredChatCommand).kind === 'deferred-chat-command') {
      // Only an Invoke with the function's own permission can get here: a URL request is always an HTTP event.
      await runDeferred(event as DeferredChatCommand, context.awsRequestId);
      return undefined;
    }
    return handleRequest(event as APIGatewayProxyEventV2, context);
  };
  return middy<APIGatewayProxyEventV2 | DeferredChatCommand, APIGatewayProxyStructuredResultV2 | undefined>()
    .use(root.observability.middlewares())
    .handler(dispatch);
}
