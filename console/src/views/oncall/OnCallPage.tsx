/**
 * On-call: who is on call now for each on-call schedule, and per rotation a calendar of the coming weeks' shifts
 * (ListRotationShifts, computed by the service's DST-safe engine) in the viewer's time zone, with the rotation's own
 * zone shown beside each hand-off; overrides are created and deleted here.
 */
import {
  type Contact,
  type SSMContactsClient as ContactsClient,
  CreateRotationOverrideCommand,
  DeleteRotationOverrideCommand,
  GetContactCommand,
  GetRotationCommand,
  type GetRotationCommandOutput,
  ListContactsCommand,
  ListRotationOverridesCommand,
  ListRotationShiftsCommand,
  ListRotationsCommand,
  type Rotation,
  type RotationOverride,
  type RotationShift,
} from '@aws-sdk/client-ssm-contacts';
import { useMemo, useState } from 'preact/hooks';
import type { Sender } from '../../api/clients.ts';
import { fieldMessage, fieldOf } from '../../api/errors.ts';
import { useSession } from '../../session.tsx';
import { ActionButton, ErrorNote, Field, Loading, useAsync } from '../../ui/components.tsx';
import { lastSegment } from '../../ui/format.ts';
import { clockTime, dayKey, dayLabel, fromLocalInput, toLocalInput, viewerZone, zoneAbbreviation } from './time.ts';

const WEEK = 7 * 24 * 3_600_000;

async function allRotations(client: Sender<ContactsClient>): Promise<Rotation[]> {
  const rotations: Rotation[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListRotationsCommand({ MaxResults: 100, NextToken }));
    rotations.push(...(page.Rotations ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rotations;
}

async function shiftsOf(
  client: Sender<ContactsClient>,
  RotationId: string,
  StartTime: Date,
  EndTime: Date,
): Promise<RotationShift[]> {
  const shifts: RotationShift[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListRotationShiftsCommand({ RotationId, StartTime, EndTime, MaxResults: 1024, NextToken }),
    );
    shifts.push(...(page.RotationShifts ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return shifts;
}

export function OnCallPage() {
  const { clients } = useSession();
  const [weeks, setWeeks] = useState(2);
  const rotations = useAsync(() => allRotations(clients.contacts), [clients]);
  const schedules = useAsync(async () => {
    const { Contacts = [] } = await clients.contacts.send(
      new ListContactsCommand({ Type: 'ONCALL_SCHEDULE', MaxResults: 100 }),
    );
    return Promise.all(Contacts.map((c) => clients.contacts.send(new GetContactCommand({ ContactId: c.ContactArn }))));
  }, [clients]);
  const now = useMemo(() => new Date(), [rotations.data]);
  const current = useAsync(async () => {
    const result = new Map<string, string[]>();
    for (const rotation of rotations.data ?? []) {
      const shifts = await shiftsOf(clients.contacts, rotation.RotationArn!, now, new Date(now.getTime() + 60_000));
      const shift = shifts.find((s) => s.StartTime! <= now && now < s.EndTime!);
      result.set(rotation.RotationArn!, shift?.ContactIds ?? []);
    }
    return result;
  }, [clients, rotations.data]);

  const onCallFor = (schedule: Contact & { Plan?: { RotationIds?: string[] } }) => [
    ...new Set((schedule.Plan?.RotationIds ?? []).flatMap((id) => current.data?.get(id) ?? [])),
  ];

  return (
    <section aria-labelledby="oncall-heading">
      <h1 id="oncall-heading">On-call</h1>
      <p class="meta">Times are shown in your time zone, {viewerZone()}.</p>

      <section class="panel" aria-labelledby="now-heading">
        <h2 id="now-heading">On call now</h2>
        <ErrorNote error={schedules.error ?? current.error} context="Could not work out who is on call" />
        {!schedules.data ? <Loading what="on-call schedules" /> : null}
        {schedules.data?.length === 0 ? <p class="empty">No on-call schedules yet.</p> : null}
        <ul class="now">
          {schedules.data?.map((schedule) => {
            const people = onCallFor(schedule as never);
            return (
              <li key={schedule.ContactArn}>
                <strong>{schedule.DisplayName || schedule.Alias}</strong>:{' '}
                {current.data
                  ? people.length
                    ? people.map(lastSegment).join(', ')
                    : 'nobody (no shift covers now)'
                  : '…'}
              </li>
            );
          })}
        </ul>
      </section>

      <div class="page-head">
        <h2>Rotations</h2>
        <label>
          Show{' '}
          <select value={weeks} onChange={(e) => setWeeks(Number(e.currentTarget.value))}>
            {[1, 2, 3, 4].map((n) => (
              <option value={n} key={n}>
                {n} week{n === 1 ? '' : 's'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={rotations.error} context="Could not list rotations" />
      {!rotations.data && rotations.loading ? <Loading what="rotations" /> : null}
      {rotations.data?.length === 0 ? <p class="empty">No rotations yet.</p> : null}
      {rotations.data?.map((rotation) => (
        <RotationCalendar key={rotation.RotationArn} rotation={rotation} weeks={weeks} onChange={current.reload} />
      ))}
    </section>
  );
}

function RotationCalendar({
  rotation,
  weeks,
  onChange,
}: {
  rotation: Rotation;
  weeks: number;
  onChange: () => Promise<void>;
}) {
  const { clients, user } = useSession();
  const zone = rotation.TimeZoneId ?? 'UTC';
  const range = useMemo(() => {
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    return { start, end: new Date(start.getTime() + weeks * WEEK) };
  }, [weeks]);
  const details = useAsync(
    () => clients.contacts.send(new GetRotationCommand({ RotationId: rotation.RotationArn })),
    [clients, rotation.RotationArn],
  );
  const shifts = useAsync(
    () => shiftsOf(clients.contacts, rotation.RotationArn!, range.start, range.end),
    [clients, rotation.RotationArn, range],
  );
  const overrides = useAsync(async () => {
    const { RotationOverrides = [] } = await clients.contacts.send(
      new ListRotationOverridesCommand({
        RotationId: rotation.RotationArn,
        StartTime: range.start,
        EndTime: range.end,
        MaxResults: 100,
      }),
    );
    return RotationOverrides;
  }, [clients, rotation.RotationArn, range]);
  const reload = async () => {
    await Promise.all([shifts.reload(), overrides.reload(), onChange()]);
  };

  const days = useMemo(() => {
    const byDay = new Map<string, RotationShift[]>();
    for (const shift of shifts.data ?? []) {
      const key = dayKey(shift.StartTime!);
      byDay.set(key, [...(byDay.get(key) ?? []), shift]);
    }
    return [...byDay.entries()];
  }, [shifts.data]);
  const headingId = `rotation-${lastSegment(rotation.RotationArn ?? '')}`;
  const now = new Date();

  return (
    <section class="panel rotation" aria-labelledby={headingId}>
      <h3 id={headingId}>{rotation.Name}</h3>
      <p class="meta">
        Rotation time zone: <strong>{zone}</strong>
        {details.data ? ` · ${recurrenceText(details.data)}` : ''}
      </p>
      <ErrorNote error={shifts.error} context="Could not list the shifts" />
      {!shifts.data && shifts.loading ? <Loading what="shifts" /> : null}
      {shifts.data?.length === 0 ? <p class="empty">No shifts in this period.</p> : null}
      <ol class="calendar" aria-label={`Shifts of ${rotation.Name}`}>
        {days.map(([key, dayShifts]) => (
          <li key={key} class="day">
            <span class="day-label">{dayLabel(dayShifts[0]!.StartTime!)}</span>
            <ul>
              {dayShifts.map((shift) => (
                <ShiftItem key={shift.StartTime!.toISOString()} shift={shift} day={key} zone={zone} now={now} />
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <h4>Overrides</h4>
      <ErrorNote error={overrides.error} context="Could not list the overrides" />
      {overrides.data?.length === 0 ? <p class="empty">No overrides in this period.</p> : null}
      <ul class="overrides">
        {overrides.data?.map((override: RotationOverride) => (
          <li key={override.RotationOverrideId}>
            {dayLabel(override.StartTime!)} {clockTime(override.StartTime!)} – {dayLabel(override.EndTime!)}{' '}
            {clockTime(override.EndTime!)}: {(override.NewContactIds ?? []).map(lastSegment).join(', ')}
            {user.readOnly ? null : (
              <ActionButton
                confirm="Delete this override?"
                onAction={async () => {
                  await clients.contacts.send(
                    new DeleteRotationOverrideCommand({
                      RotationId: rotation.RotationArn,
                      RotationOverrideId: override.RotationOverrideId,
                    }),
                  );
                  await reload();
                }}
              >
                Delete override
              </ActionButton>
            )}
          </li>
        ))}
      </ul>
      {user.readOnly || !details.data ? null : <AddOverride rotation={details.data} onAdded={reload} />}
    </section>
  );
}

function ShiftItem({ shift, day, zone, now }: { shift: RotationShift; day: string; zone: string; now: Date }) {
  const isNow = shift.StartTime! <= now && now < shift.EndTime!;
  return (
    <li
      class={`shift shift-${(shift.Type ?? 'REGULAR').toLowerCase()}${isNow ? ' shift-now' : ''}`}
      aria-current={isNow ? 'time' : undefined}
    >
      <span class="shift-time">
        {clockTime(shift.StartTime!)}–{clockTime(shift.EndTime!)}
        {dayKey(shift.EndTime!) !== day ? ` (${dayLabel(shift.EndTime!)})` : ''}
      </span>{' '}
      <span class="shift-who">{(shift.ContactIds ?? []).map(lastSegment).join(', ') || 'nobody'}</span>
      {shift.Type === 'OVERRIDDEN' ? <span class="tag">override</span> : null}
      {isNow ? <span class="tag">now</span> : null}
      <span class="shift-zone">
        {' '}
        ({clockTime(shift.StartTime!, zone)} {zoneAbbreviation(shift.StartTime!, zone)} in the rotation's zone)
      </span>
    </li>
  );
}

function recurrenceText(rotation: GetRotationCommandOutput): string {
  const r = rotation.Recurrence;
  if (!r) return '';
  const every = r.RecurrenceMultiplier && r.RecurrenceMultiplier > 1 ? `every ${r.RecurrenceMultiplier} ` : '';
  const handOff = (t?: { HourOfDay?: number; MinuteOfHour?: number }) =>
    t ? `${String(t.HourOfDay ?? 0).padStart(2, '0')}:${String(t.MinuteOfHour ?? 0).padStart(2, '0')}` : '';
  let cadence = '';
  if (r.DailySettings?.length)
    cadence = `${every || 'daily '}${every ? 'days ' : ''}at ${r.DailySettings.map(handOff).join(', ')}`;
  else if (r.WeeklySettings?.length)
    cadence = `${every || 'weekly '}${every ? 'weeks ' : ''}on ${r.WeeklySettings.map((w) => `${w.DayOfWeek} ${handOff(w.HandOffTime)}`).join(', ')}`;
  else if (r.MonthlySettings?.length)
    cadence = `${every || 'monthly '}${every ? 'months ' : ''}on day ${r.MonthlySettings.map((m) => `${m.DayOfMonth} ${handOff(m.HandOffTime)}`).join(', ')}`;
  const people = (rotation.ContactIds ?? []).map(lastSegment).join(' → ');
  return `hand-off ${cadence} (rotation's time), ${r.NumberOfOnCalls ?? 1} on call at a time: ${people}`;
}

function AddOverride({ rotation, onAdded }: { rotation: GetRotationCommandOutput; onAdded: () => Promise<void> }) {
  const { clients } = useSession();
  const [contact, setContact] = useState(rotation.ContactIds?.[0] ?? '');
  const [start, setStart] = useState(() => toLocalInput(new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000)));
  const [end, setEnd] = useState(() =>
    toLocalInput(new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 8 * 3_600_000)),
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = lastSegment(rotation.RotationArn ?? '');
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await clients.contacts.send(
        new CreateRotationOverrideCommand({
          RotationId: rotation.RotationArn,
          NewContactIds: [contact],
          StartTime: fromLocalInput(start),
          EndTime: fromLocalInput(end),
          IdempotencyToken: crypto.randomUUID(),
        }),
      );
      await onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = fieldOf(error);
  return (
    <form class="stacked override-form" onSubmit={submit} aria-label={`Add an override to ${rotation.Name}`}>
      <div class="row">
        <Field
          id={`override-contact-${id}`}
          label="Who"
          error={field === 'NewContactIds' ? fieldMessage(error) : undefined}
        >
          {(attrs) => (
            <select {...attrs} value={contact} onChange={(e) => setContact(e.currentTarget.value)}>
              {(rotation.ContactIds ?? []).map((c) => (
                <option value={c} key={c}>
                  {lastSegment(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={`override-start-${id}`}
          label="From (your time)"
          error={field === 'StartTime' ? fieldMessage(error) : undefined}
        >
          {(attrs) => (
            <input {...attrs} type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          )}
        </Field>
        <Field
          id={`override-end-${id}`}
          label="Until (your time)"
          error={field === 'EndTime' ? fieldMessage(error) : undefined}
        >
          {(attrs) => (
            <input {...attrs} type="datetime-local" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          )}
        </Field>
      </div>
      {error && !['NewContactIds', 'StartTime', 'EndTime'].includes(field ?? '') ? (
        <ErrorNote error={error} context="The override was not created" />
      ) : null}
      <div class="buttons">
        <button type="submit" disabled={busy || !contact}>
          Add override
        </button>
      </div>
    </form>
  );
}
