/**
 * The principals recorded as createdBy / lastModifiedBy, and how people read them.
 *
 * API callers are IAM principals (`arn:aws:iam::111122223333:user/alice`, `arn:aws:sts::...:assumed-role/R/s`).
 * Chat commands act as the Slack user who typed them: `slack:<team id>:<user id>`, stable across renames (Slack's
 * user ids never change), so the createdBy filter of ListIncidentRecords finds everything one person did from Slack.
 */

const SLACK_PRINCIPAL = /^slack:([A-Z0-9]+):([A-Z0-9]+)$/;

export const slackPrincipal = (teamId: string, userId: string) => `slack:${teamId}:${userId}`;

/** The Slack user of a principal written by the chat commands, if it is one. */
export const slackUserOf = (principal: string): { teamId: string; userId: string } | undefined => {
  const match = SLACK_PRINCIPAL.exec(principal);
  return match ? { teamId: match[1]!, userId: match[2]! } : undefined;
};

/**
 * A short, readable name: the IAM user or role session name, a Slack mention (`<@U123>`, which Slack renders as the
 * person's current display name), or the principal as it is.
 */
export const displayPrincipal = (principal: string): string => {
  const slack = slackUserOf(principal);
  if (slack) return `<@${slack.userId}>`;
  const iam = /^arn:[^:]+:(?:iam|sts)::\d{12}:(user|assumed-role|role)\/(.+)$/.exec(principal);
  if (iam) return iam[1] === 'user' ? (iam[2]!.split('/').pop() ?? iam[2]!) : iam[2]!;
  return principal;
};
