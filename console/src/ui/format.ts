/** Display formats shared by the views. Times are shown in the viewer's time zone, as Incident Manager does. */

/** Incident Manager's words for impact 1-5. */
export const IMPACT_WORDS: Record<number, string> = {
  1: 'Critical',
  2: 'High',
  3: 'Medium',
  4: 'Low',
  5: 'No impact',
};

export const impactLabel = (impact: number | undefined) =>
  impact === undefined ? 'Unknown impact' : `${impact} ${IMPACT_WORDS[impact] ?? ''}`.trim();

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const formatTime = (date: Date | undefined, withSeconds = false) =>
  date ? (withSeconds ? dateTimeSeconds : dateTime).format(date) : '—';

export function formatDuration(milliseconds: number): string {
  const minutes = Math.max(0, Math.floor(milliseconds / 60_000));
  if (minutes < 1) return 'under a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days && `${days} d`, hours && `${hours} h`, rest && `${rest} min`].filter(Boolean).join(' ');
}

/** `arn:...:incident-record/<plan>/<id>` → `<plan>`; `arn:...:response-plan/<name>` → `<name>`. */
export const planNameOfIncident = (arn: string) => arn.split('/').at(-2) ?? '';
export const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
/**
 * Who acted, in short: `arn:aws:iam::123:user/alice` → `alice`, an assumed-role session → its session name,
 * `arn:aws:lambda:…:function:trigger-intake` → `trigger-intake`. The full ARN stays available as a tooltip.
 */
export const principalName = (arn: string | undefined) => {
  if (!arn) return '—';
  const resource = arn.split(':').slice(5).join(':') || arn;
  return resource.includes('/') ? lastSegment(resource) : resource.slice(resource.lastIndexOf(':') + 1);
};
