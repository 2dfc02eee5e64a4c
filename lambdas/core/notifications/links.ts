/**
 * How notifications and chat replies point people at an incident: the web console's incident page, and the short
 * id the chat commands accept.
 */
import type { IncidentRecord } from '#core/incidents/ports.ts';

export { INCIDENT_PAGE_PATH, incidentPageUrl } from '#core/shared/console-links.ts';

/** Characters of an incident id shown in chat and accepted by the chat commands (like a short git hash). */
export const SHORT_ID_LENGTH = 8;

export const shortIdOf = (incident: Pick<IncidentRecord, 'id'>) => incident.id.slice(0, SHORT_ID_LENGTH);

/** The default slash command (the Slack app may register another name; the stack passes it on). */
export const DEFAULT_CHAT_COMMAND = '/incident';
