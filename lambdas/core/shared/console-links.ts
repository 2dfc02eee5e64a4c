/**
 * Links into the web console, shared by every message that points a person at an incident (notifications, chat
 * replies, pages, the acknowledge page).
 */

/**
 * The incident page of the web console, relative to the console URL (which the console serves at its root; its
 * routes: console/src/router.ts). `{incidentArn}` is replaced by the incident's ARN. This is the one place to change
 * when the console's routes change.
 */
export const INCIDENT_PAGE_PATH = 'incident?arn={incidentArn}';

/** The link to an incident in the console, or undefined when no console URL is configured. */
export const incidentPageUrl = (consoleUrl: string | undefined, incident: { arn: string }): string | undefined => {
  if (!consoleUrl) return undefined;
  const base = consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`;
  return `${base}${INCIDENT_PAGE_PATH.replace('{incidentArn}', encodeURIComponent(incident.arn))}`;
};
