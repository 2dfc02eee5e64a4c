/** Timeline: every event in time order, in words; custom events and notes can be added, edited and deleted. */
import {
  CreateTimelineEventCommand,
  DeleteTimelineEventCommand,
  type TimelineEvent,
  UpdateTimelineEventCommand,
} from '@aws-sdk/client-ssm-incidents';
import { useState } from 'preact/hooks';
import { fieldMessage, fieldOf } from '../../../api/errors.ts';
import { useSession } from '../../../session.tsx';
import { ActionButton, ErrorNote, Field, Folded, Loading, Time } from '../../../ui/components.tsx';
import { EDITABLE_TYPES, EVENT_TYPES, eventText, parseJson } from '../timeline-text.ts';
import type { IncidentTabProps } from './registry.ts';

const TYPE_LABELS: Record<string, string> = {
  [EVENT_TYPES.trigger]: 'Trigger',
  [EVENT_TYPES.start]: 'Started',
  [EVENT_TYPES.recordUpdate]: 'Update',
  [EVENT_TYPES.page]: 'Page',
  [EVENT_TYPES.acknowledgement]: 'Acknowledged',
  [EVENT_TYPES.custom]: 'Custom event',
  [EVENT_TYPES.note]: 'Note',
};

/** `<input type="datetime-local">` works in the viewer's zone without seconds. */
const toLocalInput = (date: Date) => {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
};

export function TimelineTab({ data }: IncidentTabProps) {
  const { user } = useSession();
  const events = data.timeline.data;
  return (
    <div>
      {user.readOnly ? null : <AddTimelineEvent data={data} />}
      <ErrorNote error={data.timeline.error} context="Could not load the timeline" />
      {!events && data.timeline.loading ? <Loading what="the timeline" /> : null}
      {events ? (
        <ol class="timeline" aria-label="Timeline events, oldest first">
          {events.map((event) => (
            <TimelineItem key={event.eventId} event={event} data={data} />
          ))}
        </ol>
      ) : null}
    </div>
  );
}

function TimelineItem({ event, data }: { event: TimelineEvent } & IncidentTabProps) {
  const { clients, user } = useSession();
  const [editing, setEditing] = useState(false);
  const editable = EDITABLE_TYPES.includes(event.eventType ?? '') && !user.readOnly;
  const raw =
    event.eventType === EVENT_TYPES.trigger ? (parseJson(event.eventData) as { rawData?: string })?.rawData : undefined;
  return (
    <li class={`event event-${(TYPE_LABELS[event.eventType ?? ''] ?? 'other').toLowerCase().replace(/\s+/g, '-')}`}>
      <div class="event-head">
        <Time date={event.eventTime} seconds />
        <span class="event-type">{TYPE_LABELS[event.eventType ?? ''] ?? event.eventType}</span>
      </div>
      {editing ? (
        <EditEvent event={event} data={data} onDone={() => setEditing(false)} />
      ) : (
        <p class="event-text">{eventText(event.eventType, event.eventData)}</p>
      )}
      {raw ? <Folded summary="Raw data" text={raw} /> : null}
      {editable && !editing ? (
        <div class="buttons">
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ActionButton
            confirm="Delete this timeline event?"
            onAction={async () => {
              await clients.incidents.send(
                new DeleteTimelineEventCommand({ incidentRecordArn: data.arn, eventId: event.eventId }),
              );
              await data.timeline.reload();
            }}
          >
            Delete
          </ActionButton>
        </div>
      ) : null}
    </li>
  );
}

function EditEvent({ event, data, onDone }: { event: TimelineEvent; onDone: () => void } & IncidentTabProps) {
  const { clients } = useSession();
  const [text, setText] = useState(event.eventData ?? '');
  const [error, setError] = useState<unknown>();
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await clients.incidents.send(
        new UpdateTimelineEventCommand({
          incidentRecordArn: data.arn,
          eventId: event.eventId,
          eventData: text,
          clientToken: crypto.randomUUID(),
        }),
      );
      await data.timeline.reload();
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={save} class="stacked" aria-label="Edit timeline event">
      <Field id={`edit-${event.eventId}`} label="Text" error={fieldOf(error) ? fieldMessage(error) : undefined}>
        {(attrs) => <textarea {...attrs} rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
      </Field>
      {error && !fieldOf(error) ? <ErrorNote error={error} context="Not saved" /> : null}
      <div class="buttons">
        <button type="submit" class="primary">
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Adds a note (or a custom event at a chosen time) to the timeline. */
export function AddTimelineEvent({ data, compact }: IncidentTabProps & { compact?: boolean }) {
  const { clients } = useSession();
  const [text, setText] = useState('');
  const [type, setType] = useState<string>(EVENT_TYPES.note);
  const [time, setTime] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const prefix = compact ? 'note' : 'event';
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await clients.incidents.send(
        new CreateTimelineEventCommand({
          incidentRecordArn: data.arn,
          eventType: type,
          eventTime: time ? new Date(time) : new Date(),
          eventData: text,
          clientToken: crypto.randomUUID(),
        }),
      );
      setText('');
      setTime('');
      await data.timeline.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = fieldOf(error);
  return (
    <form onSubmit={submit} class="stacked add-event" aria-label={compact ? 'Add a note' : 'Add to the timeline'}>
      {compact ? null : (
        <div class="row">
          <Field id={`${prefix}-type`} label="Kind">
            {(attrs) => (
              <select {...attrs} value={type} onChange={(e) => setType(e.currentTarget.value)}>
                <option value={EVENT_TYPES.note}>Note</option>
                <option value={EVENT_TYPES.custom}>Custom event</option>
              </select>
            )}
          </Field>
          <Field
            id={`${prefix}-time`}
            label="When (empty = now)"
            error={field === 'eventTime' ? fieldMessage(error) : undefined}
          >
            {(attrs) => (
              <input
                {...attrs}
                type="datetime-local"
                value={time}
                max={toLocalInput(new Date())}
                onInput={(e) => setTime(e.currentTarget.value)}
              />
            )}
          </Field>
        </div>
      )}
      <Field
        id={`${prefix}-text`}
        label={compact ? 'Add a note' : 'Text'}
        error={field === 'eventData' ? fieldMessage(error) : undefined}
      >
        {(attrs) => (
          <textarea {...attrs} rows={compact ? 2 : 3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        )}
      </Field>
      {error && field !== 'eventData' && field !== 'eventTime' ? <ErrorNote error={error} context="Not added" /> : null}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy || !text.trim()}>
          {compact || type === EVENT_TYPES.note ? 'Add note' : 'Add event'}
        </button>
      </div>
    </form>
  );
}
