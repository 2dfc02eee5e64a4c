/**
 * How notifications and chat replies point people at an incident: the web console's incident page, and the short
 * id the chat commands accept.
 */
import type { IncidentRecord } from '#core/incidents/ports.ts';

/**
 * The incident page of the web console, relative to the console URL (which the console serves at its root).
 * `{incidentId}` is replaced by the incident's id. This is the one place to change when the console's routes change.
 */
export const INCIDENT_PAGE_PATH = '#/incidents/{incidentId}';

/** The link to an incident in the console, or undefined when no console URL is configured. */
export const incidentPageUrl = (consoleUrl: string | undefined, incident: Pick<IncidentRecord, 'id'>) => {
  if (!consoleUrl) return undefined;
  const base = consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`;
  return `${base}${INCIDENT_PAGE_PATH.replace('{incidentId}', encodeURIComponent(incident.id))}`;
};

/** Characters of an incident id shown in chat and accepted by the chat commands (like a short git hash). */
export const SHORT_ID_LENGTH = 8;

export const shortIdOf = (incident: Pick<IncidentRecord, 'id'>) => incident.id.slice(0, SHORT_ID_LENGTH);

/** The default slash command (the Slack app may register another name; the stack passes it on). */
export const DEFAULT_CHAT_COMMAND = '/incident';
