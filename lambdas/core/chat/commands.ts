/**
 * The chat commands' grammar: what follows `/incident` in Slack, parsed into a command.
 *
 * An incident is named by its id, its ARN, or the first 8 characters of its id (as notifications and `list` show
 * it). The name may be left out when exactly one incident is open. A word is read as an incident reference only
 * when it looks like one (8+ hex digits and dashes, or an ARN), so `title Database down` is never misread.
 */
import type { ChatCommandName } from './authorization.ts';

export type ChatCommand =
  | { name: 'help' }
  | { name: 'list' }
  | { name: 'show'; ref?: string }
  | { name: 'ack'; ref?: string }
  | { name: 'resolve'; ref?: string }
  | { name: 'impact'; ref?: string; impact: number }
  | { name: 'title' | 'summary' | 'note'; ref?: string; text: string }
  | { name: 'start'; plan: string; title?: string };

/** The request cannot be understood: the reply is this message and the usage. */
export class ChatUsageError extends Error {
  override readonly name = 'ChatUsageError';
}

export const USAGE: Record<ChatCommandName, string> = {
  help: 'help: this list',
  list: 'list: open incidents',
  show: 'show [incident]: details and the latest timeline events',
  ack: 'ack [incident]: acknowledge your page for the incident',
  impact: 'impact [incident] <1-5>: set the impact (1 critical … 5 no impact)',
  title: 'title [incident] <text>: set the title',
  summary: 'summary [incident] <text>: set the summary',
  note: 'note [incident] <text>: add a note to the timeline',
  resolve: 'resolve [incident]: resolve the incident (paging stops)',
  start: 'start <response plan> [title]: open an incident with a response plan',
};

const INCIDENT_REF = /^(arn:\S+|[0-9a-f]{8}[0-9a-f-]{0,28})$/i;

export const looksLikeIncidentRef = (word: string) => INCIDENT_REF.test(word);

/** Splits off a leading incident reference, when the first word is one. */
const withRef = (words: string[]): { ref?: string; rest: string[] } =>
  words[0] !== undefined && looksLikeIncidentRef(words[0]) ? { ref: words[0], rest: words.slice(1) } : { rest: words };

export function parseChatCommand(text: string): ChatCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb = 'help', ...args] = words;
  const name = verb.toLowerCase();
  const usage = (key: ChatCommandName, problem: string) => new ChatUsageError(`${problem}. Usage: ${USAGE[key]}`);
  // Free text keeps the user's own spacing after the verb (and the reference).
  const textAfter = (count: number) => {
    let rest = text.trim();
    for (let i = 0; i < count; i++) rest = rest.replace(/^\S+\s*/, '');
    return rest.trim();
  };
  switch (name) {
    case 'help':
    case 'list':
      return { name };
    case 'show':
    case 'ack':
    case 'resolve': {
      const { ref, rest } = withRef(args);
      if (rest.length) throw usage(name, `\`${rest[0]}\` is not an incident id`);
      return { name, ...(ref ? { ref } : {}) };
    }
    case 'impact': {
      const { ref, rest } = withRef(args);
      const impact = Number(rest[0]);
      if (rest.length !== 1 || !Number.isInteger(impact) || impact < 1 || impact > 5)
        throw usage('impact', 'The impact must be a number from 1 to 5');
      return { name, impact, ...(ref ? { ref } : {}) };
    }
    case 'title':
    case 'summary':
    case 'note': {
      const { ref } = withRef(args);
      const body = textAfter(ref ? 2 : 1);
      if (!body) throw usage(name, `The ${name} text is missing`);
      return { name, text: body, ...(ref ? { ref } : {}) };
    }
    case 'start': {
      const [plan] = args;
      if (!plan) throw usage('start', 'The response plan is missing');
      const title = textAfter(2);
      return { name, plan, ...(title ? { title } : {}) };
    }
    default:
      throw new ChatUsageError(`Unknown command \`${verb}\`.`);
  }
}
