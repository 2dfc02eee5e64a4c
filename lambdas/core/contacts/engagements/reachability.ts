/**
 * Who can be paged, and in words why not: "nobody is ever silently unpaged" (issue 13). The engine asks before it
 * engages a person for an escalation stage (a person who cannot be paged at all gets no engagement; the stage records
 * them as unreachable instead) and for each stage of a person's own plan (which channels it cannot use).
 *
 * Reasons are written for the responder who reads the timeline at 3 a.m.: which contact, which channel, what to fix.
 */
import type { ContactsDependencies } from '../operation.ts';
import type { ContactChannelRecord, ContactRecord, PlanStage } from '../ports.ts';

/** The last segment of a contacts ARN (contact alias, channel id...): the name people know. */
export const nameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

const channelWords = (c: ContactChannelRecord) => `${c.type} channel "${c.name}"`;

/** Why a channel a plan targets cannot be paged, or undefined when it can. */
export const channelProblem = (channelArn: string, channel: ContactChannelRecord | undefined): string | undefined => {
  if (!channel) return `contact channel ${nameOf(channelArn)} no longer exists`;
  if (channel.activationStatus !== 'ACTIVATED') return `${channelWords(channel)} is not activated`;
  return undefined;
};

/** The channel ARNs a plan's stages target (a plan that targets none pages every channel: engine.personalStages). */
const targetedChannels = (stages: readonly PlanStage[]) =>
  stages.flatMap((s) => s.targets.flatMap((t) => (t.channelTargetInfo ? [t.channelTargetInfo.contactChannelId] : [])));

/**
 * Whether any stage of a person's engagement plan can page them now (an ACTIVATED channel it targets, or any
 * ACTIVATED channel when the plan targets none), with the reason when not. One Query of the person's channels.
 */
export async function personReach(
  deps: ContactsDependencies,
  contact: ContactRecord,
): Promise<{ reachable: true } | { reachable: false; reason: string }> {
  const channels = (await deps.store.listContactChannels(contact.alias, 100, undefined)).items;
  const name = contact.alias;
  if (channels.length === 0) return { reachable: false, reason: `${name} has no contact channel` };
  const targeted = targetedChannels(contact.plan.stages);
  const usable = (c: ContactChannelRecord) => c.activationStatus === 'ACTIVATED';
  if (targeted.length === 0) {
    if (channels.some(usable)) return { reachable: true };
    return {
      reachable: false,
      reason: `${name} has no activated contact channel (${channels.map(channelWords).join(', ')} not activated)`,
    };
  }
  const byArn = new Map(channels.map((c) => [c.arn, c]));
  if (targeted.some((arn) => byArn.get(arn) && usable(byArn.get(arn)!))) return { reachable: true };
  const problems = [...new Set(targeted)].map((arn) => channelProblem(arn, byArn.get(arn))!);
  return { reachable: false, reason: `${name}'s engagement plan pages no usable channel: ${problems.join('; ')}` };
}
