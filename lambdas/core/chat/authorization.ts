/**
 * Who may run which chat command, from the operator's configuration (`slackCommands` in the stack's context; a JSON
 * file locally). A signed request proves it came from Slack; this decides whether that Slack user, in that workspace
 * and channel, may do what they asked. Nothing is allowed unless configured: an empty configuration refuses everyone.
 *
 * ```json
 * { "apiAppId": "A0123456789",
 *   "workspaces": ["T0123456789"],
 *   "channels": ["C0123456789"],
 *   "users": ["U0AAAAAAA", "U0BBBBBBB"],
 *   "commands": { "resolve": { "users": ["U0AAAAAAA"] }, "start": { "channels": ["C0INCIDENTS"] } },
 *   "contacts": { "U0AAAAAAA": "alice", "U0BBBBBBB": "arn:aws:ssm-contacts:us-east-1:111122223333:contact/bob" } }
 * ```
 * - `workspaces` (required): the Slack team ids allowed at all. `apiAppId`: when set, requests for another app are
 *   refused (a signing secret shared between apps would otherwise let one app's commands through another's URL).
 * - `channels`, `users` (optional): when set, every command is limited to them.
 * - `commands.<name>.users / .channels` (optional): a further limit for one command.
 * - `contacts`: which ssm-contacts contact each Slack user is (alias or ARN), for `ack`.
 */

export const CHAT_COMMANDS = [
  'help',
  'list',
  'show',
  'ack',
  'impact',
  'title',
  'summary',
  'note',
  'resolve',
  'start',
] as const;
export type ChatCommandName = (typeof CHAT_COMMANDS)[number];

export interface CommandRule {
  users?: string[];
  channels?: string[];
}

export interface ChatAuthorization {
  apiAppId?: string;
  workspaces: string[];
  channels?: string[];
  users?: string[];
  commands?: Partial<Record<ChatCommandName, CommandRule>>;
  /** Slack user id -> contact alias or ARN. */
  contacts?: Record<string, string>;
}

/** Who is asking, from the (verified) request. */
export interface ChatRequester {
  apiAppId?: string;
  teamId: string;
  channelId: string;
  userId: string;
}

export type AuthorizationDecision = { allowed: true } | { allowed: false; reason: string };

export const NOTHING_ALLOWED: ChatAuthorization = { workspaces: [] };

const SLACK_ID = /^[A-Z0-9]{2,}$/;

const idList = (value: unknown, path: string): string[] | undefined => {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !SLACK_ID.test(v)))
    throw new Error(`${path} must be a list of Slack ids (like "T0123456789", "C0123456789", "U0123456789")`);
  return value as string[];
};

/** Parses and checks the configuration; a mistake is an error naming the field, not a silent "allow". */
export function parseChatAuthorization(text: string | undefined): ChatAuthorization {
  if (text === undefined || text.trim() === '') return NOTHING_ALLOWED;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the chat command configuration is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('the chat command configuration must be a JSON object');
  const raw = value as Record<string, unknown>;
  const known = ['apiAppId', 'workspaces', 'channels', 'users', 'commands', 'contacts'];
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`unknown chat configuration field(s): ${unknown.join(', ')}`);
  if (raw.apiAppId !== undefined && (typeof raw.apiAppId !== 'string' || !SLACK_ID.test(raw.apiAppId)))
    throw new Error('apiAppId must be a Slack app id (like "A0123456789")');
  const commands: Partial<Record<ChatCommandName, CommandRule>> = {};
  if (raw.commands !== undefined) {
    if (typeof raw.commands !== 'object' || raw.commands === null || Array.isArray(raw.commands))
      throw new Error('commands must be an object keyed by command name');
    for (const [name, rule] of Object.entries(raw.commands as Record<string, unknown>)) {
      if (!(CHAT_COMMANDS as readonly string[]).includes(name))
        throw new Error(`commands.${name}: unknown command (one of ${CHAT_COMMANDS.join(', ')})`);
      if (typeof rule !== 'object' || rule === null) throw new Error(`commands.${name} must be an object`);
      const { users, channels, ...rest } = rule as Record<string, unknown>;
      if (Object.keys(rest).length) throw new Error(`commands.${name}: only "users" and "channels" are allowed`);
      commands[name as ChatCommandName] = {
        ...(users !== undefined ? { users: idList(users, `commands.${name}.users`) } : {}),
        ...(channels !== undefined ? { channels: idList(channels, `commands.${name}.channels`) } : {}),
      };
    }
  }
  let contacts: Record<string, string> | undefined;
  if (raw.contacts !== undefined) {
    if (typeof raw.contacts !== 'object' || raw.contacts === null || Array.isArray(raw.contacts))
      throw new Error('contacts must map Slack user ids to contact aliases or ARNs');
    contacts = {};
    for (const [user, contact] of Object.entries(raw.contacts as Record<string, unknown>)) {
      if (!SLACK_ID.test(user) || typeof contact !== 'string' || contact === '')
        throw new Error(`contacts.${user} must map a Slack user id to a contact alias or ARN`);
      contacts[user] = contact;
    }
  }
  const workspaces = idList(raw.workspaces, 'workspaces');
  if (!workspaces?.length) throw new Error('workspaces must list at least one Slack team id');
  const channels = idList(raw.channels, 'channels');
  const users = idList(raw.users, 'users');
  return {
    ...(raw.apiAppId !== undefined ? { apiAppId: raw.apiAppId as string } : {}),
    workspaces,
    ...(channels ? { channels } : {}),
    ...(users ? { users } : {}),
    ...(Object.keys(commands).length ? { commands } : {}),
    ...(contacts ? { contacts } : {}),
  };
}

/** Whether the requester may run the command; the reason says what to change when not. */
export function authorize(
  config: ChatAuthorization,
  who: ChatRequester,
  command: ChatCommandName,
): AuthorizationDecision {
  const refuse = (reason: string): AuthorizationDecision => ({ allowed: false, reason });
  if (config.apiAppId && who.apiAppId !== config.apiAppId)
    return refuse(`this Slack app (${who.apiAppId}) is not the configured one`);
  if (!config.workspaces.includes(who.teamId)) return refuse(`this workspace (${who.teamId}) is not allowed`);
  if (config.channels && !config.channels.includes(who.channelId))
    return refuse(`commands are not allowed in this channel (${who.channelId})`);
  if (config.users && !config.users.includes(who.userId)) return refuse(`you (${who.userId}) may not run commands`);
  const rule = config.commands?.[command];
  if (rule?.channels && !rule.channels.includes(who.channelId))
    return refuse(`\`${command}\` is not allowed in this channel (${who.channelId})`);
  if (rule?.users && !rule.users.includes(who.userId)) return refuse(`you (${who.userId}) may not run \`${command}\``);
  return { allowed: true };
}
