/**
 * What chat commands answer, and their user-facing failure: apart from the commands themselves (run-command.ts) so
 * that a reply can be written without loading the operations (the Slack function loads them on the first command it
 * runs, not at init).
 */

/** A Slack message (the slash command response, or a POST to its response_url). */
export interface ChatReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: Record<string, unknown>[];
}

/** Text typed by people, made safe inside Slack mrkdwn (Slack requires `&`, `<`, `>` escaped). */
export const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const ephemeral = (text: string, blocks?: Record<string, unknown>[]): ChatReply => ({
  response_type: 'ephemeral',
  text,
  ...(blocks ? { blocks } : {}),
});

/** Something the user asked for that cannot be done as asked (no such incident, several match...). */
export class ChatCommandError extends Error {
  override readonly name = 'ChatCommandError';
}
