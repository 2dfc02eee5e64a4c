/**
 * API errors in words, and which form field they are about. The services name the offending member the way AWS
 * does ("Value at 'incidentTemplate.title' failed to satisfy constraint: ..."; ssm-contacts also lists `Fields`),
 * so a form can show the message next to the field that caused it.
 */
interface ServiceErrorLike {
  name?: string;
  message?: string;
  Fields?: { Name?: string; Message?: string }[];
  $metadata?: { httpStatusCode?: number };
}

export function errorText(error: unknown): string {
  const e = (error ?? {}) as ServiceErrorLike;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'TypeError' && /fetch|network/i.test(e.message ?? ''))
    return 'The API could not be reached: check that the local Incident Manager (npm start) or your network is up.';
  if (status === 403 || e.name === 'AccessDeniedException' || e.name === 'ForbiddenException')
    return `Not allowed: ${e.message || 'your role does not permit this action'}`;
  const message = e.message || String(error);
  return e.name && e.name !== 'Error' && !message.startsWith(e.name) ? `${message} (${e.name})` : message;
}

/** The dotted input path an API validation error names, e.g. `incidentTemplate.title`, or undefined. */
export function fieldOf(error: unknown): string | undefined {
  const e = (error ?? {}) as ServiceErrorLike;
  const field = e.Fields?.find((f) => f.Name)?.Name;
  if (field) return field;
  return /Value(?: null)? at '([^']+)'/.exec(e.message ?? '')?.[1];
}

/** A readable version of an AWS validation message: the constraint, without the "1 validation error" preamble. */
export function fieldMessage(error: unknown): string {
  const message = ((error ?? {}) as ServiceErrorLike).message ?? String(error);
  const constraint = /failed to satisfy constraint: (.*)$/s.exec(message)?.[1];
  return constraint ?? message;
}
