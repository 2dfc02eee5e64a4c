/** Related items: list, add (URL or ARN), remove. */
import { type ItemType, type RelatedItem, UpdateRelatedItemsCommand } from '@aws-sdk/client-ssm-incidents';
import { useState } from 'preact/hooks';
import { fieldMessage, fieldOf } from '../../../api/errors.ts';
import { useSession } from '../../../session.tsx';
import { ActionButton, ErrorNote, Field, Loading } from '../../../ui/components.tsx';
import type { IncidentTabProps } from './registry.ts';

const TYPE_WORDS: Record<string, string> = {
  METRIC: 'Metric',
  INVOLVED_RESOURCE: 'Involved resource',
  ATTACHMENT: 'Attachment',
  INCIDENT: 'Incident',
  PARENT: 'Parent OpsItem',
  AUTOMATION: 'Automation',
  ANALYSIS: 'Analysis',
  TASK: 'Task',
  OTHER: 'Other',
};

const valueText = (item: RelatedItem) => {
  const value = item.identifier?.value;
  return (
    value?.url ??
    value?.arn ??
    (value?.metricDefinition ? 'CloudWatch metric (see Metrics)' : (value?.pagerDutyIncidentDetail?.id ?? ''))
  );
};

export function RelatedItemsTab({ data }: IncidentTabProps) {
  const { clients, user } = useSession();
  const items = data.relatedItems.data;
  return (
    <div>
      <ErrorNote error={data.relatedItems.error} context="Could not load the related items" />
      {!items && data.relatedItems.loading ? <Loading what="related items" /> : null}
      {items && items.length === 0 ? <p class="empty">No related items.</p> : null}
      {items && items.length > 0 ? (
        <table class="related">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              {user.readOnly ? null : <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.generatedId ?? valueText(item)}>
                <td data-label="Title">{item.title || '—'}</td>
                <td data-label="Type">{TYPE_WORDS[item.identifier?.type ?? ''] ?? item.identifier?.type}</td>
                <td data-label="Value" class="arn">
                  {item.identifier?.value?.url && /^https?:\/\//.test(item.identifier.value.url) ? (
                    <a href={item.identifier.value.url} rel="noopener noreferrer" target="_blank">
                      {item.identifier.value.url}
                    </a>
                  ) : (
                    valueText(item)
                  )}
                </td>
                {user.readOnly ? null : (
                  <td data-label="Actions">
                    <ActionButton
                      confirm={`Remove “${item.title || valueText(item)}” from the incident?`}
                      onAction={async () => {
                        await clients.incidents.send(
                          new UpdateRelatedItemsCommand({
                            incidentRecordArn: data.arn,
                            clientToken: crypto.randomUUID(),
                            relatedItemsUpdate: {
                              itemToRemove: { type: item.identifier?.type, value: item.identifier?.value },
                            },
                          }),
                        );
                        await data.relatedItems.reload();
                      }}
                    >
                      Remove
                    </ActionButton>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {user.readOnly ? null : <AddRelatedItem data={data} />}
    </div>
  );
}

function AddRelatedItem({ data }: IncidentTabProps) {
  const { clients } = useSession();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<ItemType>('OTHER');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const isArn = value.trim().startsWith('arn:');
      await clients.incidents.send(
        new UpdateRelatedItemsCommand({
          incidentRecordArn: data.arn,
          clientToken: crypto.randomUUID(),
          relatedItemsUpdate: {
            itemToAdd: {
              ...(title.trim() ? { title: title.trim() } : {}),
              identifier: { type, value: isArn ? { arn: value.trim() } : { url: value.trim() } },
            },
          },
        }),
      );
      setTitle('');
      setValue('');
      await data.relatedItems.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = fieldOf(error);
  return (
    <form class="panel stacked" onSubmit={submit} aria-labelledby="add-related-heading">
      <h2 id="add-related-heading">Add a related item</h2>
      <div class="row">
        <Field id="related-title" label="Title" error={field?.endsWith('title') ? fieldMessage(error) : undefined}>
          {(attrs) => <input {...attrs} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
        </Field>
        <Field id="related-type" label="Type">
          {(attrs) => (
            <select {...attrs} value={type} onChange={(e) => setType(e.currentTarget.value as ItemType)}>
              {['OTHER', 'INVOLVED_RESOURCE', 'ATTACHMENT', 'INCIDENT', 'PARENT', 'TASK'].map((t) => (
                <option value={t} key={t}>
                  {TYPE_WORDS[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        id="related-value"
        label="URL or ARN"
        hint="A link (https://…) or an AWS resource ARN (arn:aws:…)."
        error={field?.includes('value') ? fieldMessage(error) : undefined}
      >
        {(attrs) => <input {...attrs} required value={value} onInput={(e) => setValue(e.currentTarget.value)} />}
      </Field>
      {error && !field?.includes('value') && !field?.endsWith('title') ? (
        <ErrorNote error={error} context="Not added" />
      ) : null}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy || !value.trim()}>
          Add item
        </button>
      </div>
    </form>
  );
}
