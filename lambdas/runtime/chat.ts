/**
 * The chat capability of the composition root (root.ts): what the Slack slash command's function needs besides the
 * operations (signing secrets, the replay guard, deferred work and follow-ups to response_url).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { lambdaChatDeferrer } from '#adapters/chat/lambda-deferrer.ts';
import { fetchResponsePoster } from '#adapters/chat/response-url.ts';
import { fixedSigningSecrets, secretsManagerSigningSecrets } from '#adapters/chat/signing-secrets.ts';
import { createDynamoDbReplayGuard } from '#adapters/dynamodb/notification-ledger.ts';
import type { ChatDeferrer, ReplayGuard, ResponsePoster, SigningSecrets } from '#core/chat/ports.ts';
import type { ChatDependencies } from '#core/chat/run-command.ts';
import { contactsOf } from './paging.ts';
import type { CompositionRoot } from './root.ts';

/** What the chat commands' handler needs besides the operations. */
export interface ChatServices {
  signingSecrets: SigningSecrets;
  replayGuard: ReplayGuard;
  deferrer: ChatDeferrer;
  responses: ResponsePoster;
  /** The commands' dependencies (the console URL is read per call). */
  dependencies(): ChatDependencies;
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
      deferrer:
        local?.deferrer ??
        lambdaChatDeferrer(root.observability.traceClient(new LambdaClient({ region: root.config.region }))),
      responses: local?.responses ?? fetchResponsePoster(),
      dependencies: () => ({
        incidents: root.incidents,
        contacts: contactsOf(root),
        service: root.service,
        authorization: root.config.chat.authorization,
        chatCommand: root.config.notifications.chatCommand,
        ...(root.consoleUrl ? { consoleUrl: root.consoleUrl } : {}),
      }),
    };
  });
