/**
 * Contacts: each person with their channels and whether each is activated (pages go to activated channels only),
 * and their engagement plan; escalation plans and on-call schedules as readable stages.
 */
import {
  type ContactChannel,
  GetContactCommand,
  type GetContactCommandOutput,
  ListContactChannelsCommand,
  ListContactsCommand,
  type Stage,
} from '@aws-sdk/client-ssm-contacts';
import { useSession } from '../../session.tsx';
import { ErrorNote, Loading, useAsync } from '../../ui/components.tsx';
import { lastSegment } from '../../ui/format.ts';

interface ContactView {
  contact: GetContactCommandOutput;
  channels: ContactChannel[];
}

const TYPE_WORDS: Record<string, string> = {
  PERSONAL: 'Person',
  ESCALATION: 'Escalation plan',
  ONCALL_SCHEDULE: 'On-call schedule',
};

export function ContactsPage() {
  const { clients } = useSession();
  const contacts = useAsync(async (): Promise<ContactView[]> => {
    const { Contacts = [] } = await clients.contacts.send(new ListContactsCommand({ MaxResults: 100 }));
    return Promise.all(
      Contacts.map(async (summary) => {
        const contact = await clients.contacts.send(new GetContactCommand({ ContactId: summary.ContactArn }));
        const channels =
          summary.Type === 'PERSONAL'
            ? ((
                await clients.contacts.send(
                  new ListContactChannelsCommand({ ContactId: summary.ContactArn, MaxResults: 100 }),
                )
              ).ContactChannels ?? [])
            : [];
        return { contact, channels };
      }),
    );
  }, [clients]);
  const channelNames = new Map(
    (contacts.data ?? []).flatMap((c) =>
      c.channels.map((ch) => [ch.ContactChannelArn ?? '', `${ch.Name} (${ch.Type?.toLowerCase()})`] as const),
    ),
  );
  const groups = ['PERSONAL', 'ESCALATION', 'ONCALL_SCHEDULE'] as const;
  return (
    <section aria-labelledby="contacts-heading">
      <h1 id="contacts-heading">Contacts and escalation plans</h1>
      <ErrorNote error={contacts.error} context="Could not list contacts" />
      {!contacts.data && contacts.loading ? <Loading what="contacts" /> : null}
      {contacts.data?.length === 0 ? <p class="empty">No contacts yet.</p> : null}
      {groups.map((type) => {
        const members = (contacts.data ?? []).filter((c) => c.contact.Type === type);
        if (!members.length) return null;
        return (
          <section key={type} aria-labelledby={`contacts-${type}`}>
            <h2 id={`contacts-${type}`}>
              {type === 'PERSONAL' ? 'People' : type === 'ESCALATION' ? 'Escalation plans' : 'On-call schedules'}
            </h2>
            {members.map(({ contact, channels }) => (
              <article class="panel contact" key={contact.ContactArn} aria-label={contact.DisplayName || contact.Alias}>
                <h3>
                  {contact.DisplayName || contact.Alias}{' '}
                  <span class="meta">
                    ({contact.Alias}, {TYPE_WORDS[contact.Type ?? '']})
                  </span>
                </h3>
                {type === 'PERSONAL' ? (
                  <>
                    <h4>Channels</h4>
                    {channels.length === 0 ? <p class="empty">No channels: this person cannot be paged.</p> : null}
                    <ul class="channels">
                      {channels.map((channel) => (
                        <li key={channel.ContactChannelArn}>
                          {channel.Name} · {channel.Type} · {channel.DeliveryAddress?.SimpleAddress}{' '}
                          <span class={channel.ActivationStatus === 'ACTIVATED' ? 'ok' : 'warn'}>
                            {channel.ActivationStatus === 'ACTIVATED'
                              ? 'activated'
                              : 'not activated (pages are not sent to it)'}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                <h4>{type === 'ONCALL_SCHEDULE' ? 'Rotations' : 'Stages'}</h4>
                <PlanStages contact={contact} channelNames={channelNames} />
              </article>
            ))}
          </section>
        );
      })}
    </section>
  );
}

function PlanStages({
  contact,
  channelNames,
}: {
  contact: GetContactCommandOutput;
  channelNames: Map<string, string>;
}) {
  const plan = contact.Plan;
  if (contact.Type === 'ONCALL_SCHEDULE')
    return plan?.RotationIds?.length ? (
      <ul>
        {plan.RotationIds.map((id) => (
          <li key={id}>{lastSegment(id)}</li>
        ))}
      </ul>
    ) : (
      <p class="empty">No rotations.</p>
    );
  const stages = plan?.Stages ?? [];
  if (!stages.length) return <p class="empty">No stages: engaging this contact pages nobody.</p>;
  let startsAt = 0;
  return (
    <ol class="stages">
      {stages.map((stage: Stage, index) => {
        const from = startsAt;
        startsAt += stage.DurationInMinutes ?? 0;
        return (
          <li key={index}>
            <strong>Stage {index + 1}</strong> — from minute {from}, lasts {stage.DurationInMinutes ?? 0} min:{' '}
            {(stage.Targets ?? [])
              .map((target) => {
                if (target.ContactTargetInfo)
                  return `engage ${lastSegment(target.ContactTargetInfo.ContactId ?? '')}${target.ContactTargetInfo.IsEssential ? ' (essential: must acknowledge)' : ''}`;
                if (target.ChannelTargetInfo) {
                  const id = target.ChannelTargetInfo.ContactChannelId ?? '';
                  const retry = target.ChannelTargetInfo.RetryIntervalInMinutes;
                  return `page on ${channelNames.get(id) ?? lastSegment(id)}${retry ? `, again every ${retry} min` : ''}`;
                }
                return 'unknown target';
              })
              .join('; ') || 'nobody'}
          </li>
        );
      })}
    </ol>
  );
}
