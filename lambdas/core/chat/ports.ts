/** What the chat commands need from the outside world (adapters in lambdas/adapters/chat and the local runtime). */

import type { ChatRequester } from './authorization.ts';
import type { ChatCommand } from './commands.ts';
import type { ChatReply } from './replies.ts';

/** The Slack signing secrets currently valid (two while a secret is being rotated). */
export interface SigningSecrets {
  current(): Promise<string[]>;
  /** Reads the secrets again (after a mismatch, in case the secret was rotated since they were cached). */
  refresh(): Promise<string[]>;
}

/** Remembers request signatures; `firstUse` is false for a signature seen before (a replay). */
export interface ReplayGuard {
  firstUse(signature: string, now: number): Promise<boolean>;
}

/** A command whose work continues after the immediate reply; its result goes to the request's response_url. */
export interface DeferredChatCommand {
  kind: 'deferred-chat-command';
  command: ChatCommand;
  requester: ChatRequester & { userName?: string };
  principal: string;
  responseUrl: string;
  requestToken?: string;
  receivedAt: number;
}

/** Runs deferred commands elsewhere: the same function invoked asynchronously (in AWS), or in the background. */
export interface ChatDeferrer {
  defer(work: DeferredChatCommand, self: { functionArn: string }): Promise<void>;
}

/** Posts a follow-up message to a slash command's response_url. */
export interface ResponsePoster {
  post(responseUrl: string, reply: ChatReply): Promise<void>;
}
