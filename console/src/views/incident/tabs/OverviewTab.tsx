/**
 * Overview: what the incident is and where it came from, and the triage actions: change impact, edit title and
 * summary, resolve or reopen, add a note.
 */
import { UpdateIncidentRecordCommand } from '@aws-sdk/client-ssm-incidents';
import { useState } from 'preact/hooks';
import { fieldMessage, fieldOf } from '../../../api/errors.ts';
import { paths } from '../../../router.ts';
import { useSession } from '../../../session.tsx';
import { ActionButton, ErrorNote, Field, Folded, Link, Time } from '../../../ui/components.tsx';
import { IMPACT_WORDS, planNameOfIncident, principalName } from '../../../ui/format.ts';
import { EVENT_TYPES, eventText, parseJson } from '../timeline-text.ts';
import type { IncidentTabProps } from './registry.ts';
import { AddTimelineEvent } from './TimelineTab.tsx';

export function OverviewTab({ data }: IncidentTabProps) {
  const { clients, user, accountId, region } = useSession();
  const incident = data.incident.data!;
  const arn = data.arn;
  const [impact, setImpact] = useState(String(incident.impact ?? ''));
  const [editing, setEditing] = useState(false);
  const update = async (input: Omit<ConstructorParameters<typeof UpdateIncidentRecordCommand>[0], 'arn'>) => {
    await clients.incidents.send(new UpdateIncidentRecordCommand({ arn, clientToken: crypto.randomUUID(), ...input }));
    await data.refresh();
  };
  const trigger = data.timeline.data?.find((e) => e.eventType === EVENT_TYPES.trigger);
  const triggerData = parseJson(trigger?.eventData) as { rawData?: string } | undefined;
  const recent = (data.timeline.data ?? []).slice(-5).reverse();
  const source = incident.incidentRecordSource;
  const planName = planNameOfIncident(arn);
  const planArn = `arn:aws:ssm-incidents::${accountId ?? arn.split(':')[4]}:response-plan/${planName}`;

  return (
    <div class="overview">
      <section aria-labelledby="triage-heading" class="panel">
        <h2 id="triage-heading">Triage</h2>
        {user.readOnly ? (
          <p class="hint">You are signed in with the read-only viewer role.</p>
        ) : (
          <div class="triage">
            <div class="inline-form">
              <label for="impact-select">Impact</label>
              <select id="impact-select" value={impact} onChange={(e) => setImpact(e.currentTarget.value)}>
                {[1, 2, 3, 4, 5].map((i) => (
                  <option value={i} key={i}>
                    {i} {IMPACT_WORDS[i]}
                  </option>
                ))}
              </select>
              <ActionButton
                onAction={() => update({ impact: Number(impact) })}
                disabled={impact === String(incident.impact)}
              >
                Change impact
              </ActionButton>
            </div>
            <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
              Edit title and summary
            </button>
            {incident.status === 'OPEN' ? (
              <ActionButton
                class="danger"
                onAction={() => update({ status: 'RESOLVED' })}
                confirm="Resolve this incident? Paging for it stops."
              >
                Resolve
              </ActionButton>
            ) : (
              <ActionButton onAction={() => update({ status: 'OPEN' })}>Reopen</ActionButton>
            )}
          </div>
        )}
        {editing ? <EditTitleSummary data={data} onDone={() => setEditing(false)} /> : null}
      </section>

      <section aria-labelledby="summary-heading" class="panel">
        <h2 id="summary-heading">Summary</h2>
        {incident.summary ? <p class="summary">{incident.summary}</p> : <p class="empty">No summary yet.</p>}
      </section>

      <section aria-labelledby="details-heading" class="panel">
        <h2 id="details-heading">Details</h2>
        <dl class="facts">
          <dt>Status</dt>
          <dd>{incident.status === 'OPEN' ? 'Open' : 'Resolved'}</dd>
          <dt>Started</dt>
          <dd>
            <Time date={incident.creationTime} seconds />
          </dd>
          <dt>Resolved</dt>
          <dd>{incident.resolvedTime ? <Time date={incident.resolvedTime} seconds /> : 'Not yet'}</dd>
          <dt>Response plan</dt>
          <dd>
            <Link href={paths.plan(planArn)}>{planName}</Link>
          </dd>
          <dt>Created by</dt>
          <dd>{principalName(source?.createdBy)}</dd>
          <dt>Source</dt>
          <dd>
            {source?.source ?? '—'}
            {source?.invokedBy ? ` (invoked by ${source.invokedBy})` : ''}
          </dd>
          {source?.resourceArn ? (
            <>
              <dt>Trigger resource</dt>
              <dd class="arn">{source.resourceArn}</dd>
            </>
          ) : null}
          <dt>Last modified</dt>
          <dd>
            <Time date={incident.lastModifiedTime} /> by {principalName(incident.lastModifiedBy)}
          </dd>
          <dt>Chat channel</dt>
          <dd>
            {incident.chatChannel?.chatbotSns?.length ? (
              <ul class="plain">
                {incident.chatChannel.chatbotSns.map((topic) => (
                  <li class="arn" key={topic}>
                    {topic}
                  </li>
                ))}
              </ul>
            ) : (
              'None'
            )}
          </dd>
          <dt>Notification targets</dt>
          <dd>
            {incident.notificationTargets?.length ? (
              <ul class="plain">
                {incident.notificationTargets.map((target) => (
                  <li class="arn" key={target.snsTopicArn}>
                    {target.snsTopicArn}
                  </li>
                ))}
              </ul>
            ) : (
              'None'
            )}
          </dd>
          {incident.dedupeString ? (
            <>
              <dt>Dedupe string</dt>
              <dd class="arn">{incident.dedupeString}</dd>
            </>
          ) : null}
          <dt>ARN</dt>
          <dd class="arn">{arn}</dd>
          <dt>Region</dt>
          <dd>{region}</dd>
        </dl>
      </section>

      <section aria-labelledby="trigger-heading" class="panel">
        <h2 id="trigger-heading">Trigger</h2>
        <ErrorNote error={data.timeline.error} context="Could not load the timeline" />
        {trigger ? (
          <>
            <p>{eventText(trigger.eventType, trigger.eventData)}</p>
            <p class="meta">
              <Time date={trigger.eventTime} seconds />
            </p>
            {triggerData?.rawData ? <Folded summary="Raw data of the trigger" text={triggerData.rawData} /> : null}
          </>
        ) : (
          <p class="empty">{data.timeline.loading ? 'Loading…' : 'Started by hand (no alarm or event).'}</p>
        )}
      </section>

      <section aria-labelledby="recent-heading" class="panel">
        <h2 id="recent-heading">Recent activity</h2>
        <ol class="recent">
          {recent.map((event) => (
            <li key={event.eventId}>
              <Time date={event.eventTime} /> — {eventText(event.eventType, event.eventData)}
            </li>
          ))}
        </ol>
        {user.readOnly ? null : <AddTimelineEvent data={data} compact />}
      </section>
    </div>
  );
}

function EditTitleSummary({ data, onDone }: IncidentTabProps & { onDone: () => void }) {
  const { clients } = useSession();
  const incident = data.incident.data!;
  const [title, setTitle] = useState(incident.title ?? '');
  const [summary, setSummary] = useState(incident.summary ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const field = fieldOf(error);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await clients.incidents.send(
        new UpdateIncidentRecordCommand({ arn: data.arn, title, summary, clientToken: crypto.randomUUID() }),
      );
      await data.refresh();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Edit title and summary" class="stacked">
      <Field id="edit-title" label="Title" error={field === 'title' ? fieldMessage(error) : undefined}>
        {(attrs) => <input {...attrs} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
      </Field>
      <Field id="edit-summary" label="Summary" error={field === 'summary' ? fieldMessage(error) : undefined}>
        {(attrs) => <textarea {...attrs} rows={5} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />}
      </Field>
      {error && field !== 'title' && field !== 'summary' ? <ErrorNote error={error} context="Not saved" /> : null}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
