import { ResourceNotFoundError } from '#core/shared/errors.ts';

/** The service's answer for an incident record that is not there (or whose ARN names another plan). */
export const incidentNotFound = (arn: string) =>
  new ResourceNotFoundError(`Incident record ${arn} does not exist.`, 'INCIDENT_RECORD', arn);
