/**
 * The analysis's action items: what the team will change so it does not happen again. Their status stays editable
 * after the analysis is published (the follow-up outlives the review).
 */

import { ListContactsCommand } from '@aws-sdk/client-ssm-contacts';
import { useState } from 'preact/hooks';
import type { ActionItem, ActionItemPriority, ActionItemStatus } from '../../../../../lib/client/analysis-types.ts';
import { fieldMessage, fieldOf } from '../../../api/errors.ts';
import { useSession } from '../../../session.tsx';
import { ErrorNote, Field, Time, useAsync } from '../../../ui/components.tsx';
import { principalName } from '../../../ui/format.ts';
import { ACTION_ITEM_STATUS_WORDS, ACTION_ITEM_STATUSES, PRIORITIES, PRIORITY_WORDS } from './analysis-data.ts';

interface ActionItemsProps {
  analysisArn: string;
  items: ActionItem[];
  onChange: () => Promise<void>;
}

export function ActionItems({ analysisArn, items, onChange }: ActionItemsProps) {
  const { user } = useSession();
  return (
    <section class="panel" aria-labelledby="action-items-heading">
      <h3 id="action-items-heading">Action items</h3>
      {items.length === 0 ? <p class="empty">No action items yet.</p> : null}
      {items.length ? (
        <table class="related">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Priority</th>
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <ActionItemRow key={item.arn} item={item} readOnly={user.readOnly} onChange={onChange} />
            ))}
          </tbody>
        </table>
      ) : null}
      {user.readOnly ? null : <NewActionItem analysisArn={analysisArn} onCreated={onChange} />}
    </section>
  );
}

function ActionItemRow({
  item,
  readOnly,
  onChange,
}: {
  item: ActionItem;
  readOnly: boolean;
  onChange: () => Promise<void>;
}) {
  const { clients } = useSession();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const setStatus = async (status: ActionItemStatus) => {
    setBusy(true);
    setError(undefined);
    try {
      const { analysis } = await clients.rest();
      await analysis.updateActionItem({ arn: item.arn, status });
      await onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const statusId = `status-${item.arn.slice(item.arn.lastIndexOf('/') + 1)}`;
  return (
    <tr>
      <td data-label="Title">
        {item.trackingLink && /^https?:\/\//.test(item.trackingLink) ? (
          <a href={item.trackingLink} rel="noopener noreferrer" target="_blank">
            {item.title}
          </a>
        ) : (
          item.title
        )}
        {item.description ? <p class="meta">{item.description}</p> : null}
      </td>
      <td data-label="Priority">{PRIORITY_WORDS[item.priority]}</td>
      <td data-label="Owner">{item.owner ? principalName(item.owner) : '—'}</td>
      <td data-label="Due">
        <Time date={item.dueDate} />
      </td>
      <td data-label="Status">
        {readOnly ? (
          ACTION_ITEM_STATUS_WORDS[item.status]
        ) : (
          <>
            <label class="visually-hidden" for={statusId}>
              Status of {item.title}
            </label>
            <select
              id={statusId}
              value={item.status}
              disabled={busy}
              onChange={(e) => void setStatus(e.currentTarget.value as ActionItemStatus)}
            >
              {ACTION_ITEM_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {ACTION_ITEM_STATUS_WORDS[status]}
                </option>
              ))}
            </select>
          </>
        )}
        <ErrorNote error={error} context="Status not changed" />
      </td>
    </tr>
  );
}

function NewActionItem({ analysisArn, onCreated }: { analysisArn: string; onCreated: () => Promise<void> }) {
  const { clients } = useSession();
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<ActionItemPriority>('MEDIUM');
  const [owner, setOwner] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [trackingLink, setTrackingLink] = useState('');
  // Owners are contacts (the API takes a contact ARN), so they can be found and paged like anyone on call.
  const contacts = useAsync(async () => {
    const { Contacts = [] } = await clients.contacts.send(new ListContactsCommand({ MaxResults: 100 }));
    return Contacts;
  }, [clients]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { analysis } = await clients.rest();
      await analysis.createActionItem({
        analysisArn,
        title: title.trim(),
        priority,
        ...(owner ? { owner } : {}),
        // A date input gives a calendar day: due at the end of that day in the viewer's time zone.
        ...(dueDate ? { dueDate: new Date(`${dueDate}T23:59:59`) } : {}),
        ...(trackingLink.trim() ? { trackingLink: trackingLink.trim() } : {}),
      });
      setTitle('');
      setOwner('');
      setDueDate('');
      setTrackingLink('');
      await onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const field = fieldOf(error);
  const errorFor = (name: string) => (field === name ? fieldMessage(error) : undefined);
  return (
    <form class="stacked" onSubmit={submit} aria-labelledby="new-action-item-heading">
      <h4 id="new-action-item-heading">Add an action item</h4>
      <div class="row">
        <Field id="action-title" label="Title" error={errorFor('title')}>
          {(attrs) => <input {...attrs} required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
        </Field>
        <Field id="action-priority" label="Priority">
          {(attrs) => (
            <select
              {...attrs}
              value={priority}
              onChange={(e) => setPriority(e.currentTarget.value as ActionItemPriority)}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_WORDS[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div class="row">
        <Field id="action-owner" label="Owner (optional)" error={errorFor('owner')}>
          {(attrs) => (
            <select {...attrs} value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
              <option value="">Nobody yet</option>
              {contacts.data?.map((c) => (
                <option value={c.ContactArn} key={c.ContactArn}>
                  {c.DisplayName ? `${c.DisplayName} (${c.Alias})` : c.Alias}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="action-due" label="Due date (optional)" error={errorFor('dueDate')}>
          {(attrs) => (
            <input {...attrs} type="date" value={dueDate} onInput={(e) => setDueDate(e.currentTarget.value)} />
          )}
        </Field>
        <Field id="action-link" label="Tracking link (optional)" error={errorFor('trackingLink')}>
          {(attrs) => (
            <input {...attrs} type="url" value={trackingLink} onInput={(e) => setTrackingLink(e.currentTarget.value)} />
          )}
        </Field>
      </div>
      {error && !['title', 'owner', 'dueDate', 'trackingLink'].includes(field ?? '') ? (
        <ErrorNote error={error} context="Not added" />
      ) : null}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy || !title.trim()}>
          Add action item
        </button>
      </div>
    </form>
  );
}
