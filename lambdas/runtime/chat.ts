/**
 * The chat capability of the composition root (root.ts): what the Slack slash command's function needs besides the
 * operations (signing secrets, the replay guard, deferred work and follow-ups to response_url).
 *
 * What a request needs before it is known to be a genuine, allowed command (the signing secrets, the replay guard,
 * the authorization rules) is loaded at init; the commands' dependencies (incidents and contacts stores) and the
 * Lambda client that defers work are loaded on first use, as separate chunks: a refused request, or the immediate
 * reply of a deferred one, never reads them.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { fetchResponsePoster } from '#adapters/chat/response-url.ts';
import { fixedSigningSecrets, secretsManagerSigningSecrets } from '#adapters/chat/signing-secrets.ts';
import { createDynamoDbReplayGuard } from '#adapters/dynamodb/notification-ledger.ts';
import type { ChatAuthorization } from '#core/chat/authorization.ts';
import type { ChatDeferrer, ReplayGuard, ResponsePoster, SigningSecrets } from '#core/chat/ports.ts';
import type { ChatDependencies } from '#core/chat/run-command.ts';
import type { CompositionRoot } from './root.ts';

/** What the chat commands' handler needs besides the operations. */
export interface ChatServices {
  signingSecrets: SigningSecrets;
  replayGuard: ReplayGuard;
  deferrer: ChatDeferrer;
  responses: ResponsePoster;
  /** Who may run which command (from the configuration). */
  authorization: ChatAuthorization;
  /** The commands' dependencies, loaded on the first command run (the console URL is read per call). */
  dependencies(): Promise<ChatDependencies>;
}

/** How long a Slack request signature is remembered: longer than the five minutes a timestamp is accepted. */
const REPLAY_WINDOW_SECONDS = 600;

/** The Slack slash command's secrets, replay guard and follow-ups. */
export const chatOf = (root: CompositionRoot): ChatServices =>
  root.memo('chat.services', () => {
    const local = root.options.chat;
    const arn = root.config.chat.signingSecretArn;
    const signingSecrets = local?.signingSecrets
      ? fixedSigningSecrets(local.signingSecrets)
      : arn
        ? secretsManagerSigningSecrets(
            root.observability.traceClient(new SecretsManagerClient({ region: root.config.region })),
            arn,
          )
        : fixedSigningSecrets([]);
    return {
      signingSecrets,
      replayGuard: createDynamoDbReplayGuard(root.storeOptions, REPLAY_WINDOW_SECONDS),
      deferrer: local?.deferrer ?? lazyLambdaDeferrer(root),
      responses: local?.responses ?? fetchResponsePoster(),
      authorization: root.config.chat.authorization,
      dependencies: async () => {
        const { contactsOf } = await import('./paging.ts');
        return {
          incidents: root.incidents,
          contacts: contactsOf(root),
          service: root.service,
          authorization: root.config.chat.authorization,
          chatCommand: root.config.notifications.chatCommand,
          ...(root.consoleUrl ? { consoleUrl: root.consoleUrl } : {}),
        };
      },
    };
  });

/** Defers through Lambda's Invoke; the Lambda client (about 70 KB of code) is loaded by the first deferred command. */
function lazyLambdaDeferrer(root: CompositionRoot): ChatDeferrer {
  let loaded: Promise<ChatDeferrer> | undefined;
  const load = async () => {
    const [{ LambdaClient }, { lambdaChatDeferrer }] = await Promise.all([
      import('@aws-sdk/client-lambda'),
      import('#adapters/chat/lambda-deferrer.ts'),
    ]);
    const client: LambdaClient = new LambdaClient({ region: root.config.region });
    return lambdaChatDeferrer(root.observability.traceClient(client));
  };
  return {
    defer: async (work, self) => {
      loaded ??= load();
      return (await loaded).defer(work, self);
    },
  };
}
