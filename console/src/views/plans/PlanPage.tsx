/**
 * One response plan, viewed and edited in a form (or created). The API's validation messages appear next to the
 * field they name; other errors above the buttons.
 */
import { ListContactsCommand } from '@aws-sdk/client-ssm-contacts';
import {
  CreateResponsePlanCommand,
  DeleteResponsePlanCommand,
  GetResponsePlanCommand,
  UpdateResponsePlanCommand,
} from '@aws-sdk/client-ssm-incidents';
import { useEffect, useState } from 'preact/hooks';
import { fieldMessage, fieldOf } from '../../api/errors.ts';
import { navigate, paths } from '../../router.ts';
import { useSession } from '../../session.tsx';
import { ActionButton, ErrorNote, Field, Link, Loading, useAsync } from '../../ui/components.tsx';
import { IMPACT_WORDS, lastSegment } from '../../ui/format.ts';
import { createInput, EMPTY_PLAN, formFieldOf, formOfPlan, type PlanForm, updateInput } from './plan-form.ts';

export function PlanPage({ query }: { query: URLSearchParams }) {
  const { clients, user } = useSession();
  const arn = query.get('arn') ?? undefined;
  const plan = useAsync(
    async () => (arn ? formOfPlan(await clients.incidents.send(new GetResponsePlanCommand({ arn }))) : EMPTY_PLAN),
    [clients, arn],
  );
  const contacts = useAsync(
    async () => (await clients.contacts.send(new ListContactsCommand({ MaxResults: 100 }))).Contacts ?? [],
    [clients],
  );
  const [form, setForm] = useState<PlanForm>(EMPTY_PLAN);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (plan.data) setForm(plan.data);
  }, [plan.data]);

  const readOnly = user.readOnly;
  const errorField = formFieldOf(fieldOf(error));
  const errorFor = (key: keyof PlanForm) => (errorField === key ? fieldMessage(error) : undefined);
  const set = (key: keyof PlanForm) => (event: Event) => {
    setSaved(false);
    setForm({ ...form, [key]: (event.currentTarget as HTMLInputElement).value });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      if (arn) {
        await clients.incidents.send(new UpdateResponsePlanCommand(updateInput(arn, form, crypto.randomUUID())));
        await plan.reload();
        setSaved(true);
      } else {
        const created = await clients.incidents.send(
          new CreateResponsePlanCommand(createInput(form, crypto.randomUUID())),
        );
        if (created.arn) navigate(paths.plan(created.arn), { replace: true });
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (plan.error) return <ErrorNote error={plan.error} context="Could not load the response plan" />;
  if (!plan.data) return <Loading what="the response plan" />;
  return (
    <section aria-labelledby="plan-heading">
      <p class="breadcrumb">
        <Link href={paths.plans()}>Response plans</Link> /
      </p>
      <h1 id="plan-heading">{arn ? form.displayName || form.name : 'Create a response plan'}</h1>
      <form class="stacked plan-form" onSubmit={submit} noValidate>
        <fieldset disabled={readOnly}>
          <legend>Plan</legend>
          <Field
            id="plan-name"
            label="Name"
            hint="Letters, digits, - and _. Cannot be changed later."
            error={errorFor('name')}
          >
            {(attrs) => <input {...attrs} value={form.name} onInput={set('name')} readOnly={Boolean(arn)} />}
          </Field>
          <Field id="plan-display-name" label="Display name (optional)" error={errorFor('displayName')}>
            {(attrs) => <input {...attrs} value={form.displayName} onInput={set('displayName')} />}
          </Field>
        </fieldset>
        <fieldset disabled={readOnly}>
          <legend>Incident template</legend>
          <Field id="plan-title" label="Incident title" error={errorFor('title')}>
            {(attrs) => <input {...attrs} value={form.title} onInput={set('title')} />}
          </Field>
          <Field id="plan-impact" label="Impact" error={errorFor('impact')}>
            {(attrs) => (
              <select {...attrs} value={form.impact} onChange={set('impact')}>
                {[1, 2, 3, 4, 5].map((i) => (
                  <option value={i} key={i}>
                    {i} {IMPACT_WORDS[i]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="plan-summary" label="Summary (optional)" error={errorFor('summary')}>
            {(attrs) => <textarea {...attrs} rows={3} value={form.summary} onInput={set('summary')} />}
          </Field>
          <Field
            id="plan-dedupe"
            label="Dedupe string (optional)"
            hint="Incidents started from this plan with an open incident of the same dedupe string join it."
            error={errorFor('dedupeString')}
          >
            {(attrs) => <input {...attrs} value={form.dedupeString} onInput={set('dedupeString')} />}
          </Field>
          <Field
            id="plan-targets"
            label="Notification targets (SNS topic ARNs, one per line)"
            error={errorFor('notificationTargets')}
          >
            {(attrs) => (
              <textarea {...attrs} rows={2} value={form.notificationTargets} onInput={set('notificationTargets')} />
            )}
          </Field>
        </fieldset>
        <fieldset disabled={readOnly} aria-describedby={errorFor('engagements') ? 'plan-engagements-error' : undefined}>
          <legend>Engagements</legend>
          <p class="hint">Contacts, escalation plans and on-call schedules paged when an incident starts (up to 5).</p>
          <ErrorNote error={contacts.error} context="Could not list contacts" />
          {contacts.data?.length === 0 ? <p class="empty">No contacts yet.</p> : null}
          <ul class="checks">
            {contacts.data?.map((contact) => (
              <li key={contact.ContactArn}>
                <label>
                  <input
                    type="checkbox"
                    checked={form.engagements.includes(contact.ContactArn ?? '')}
                    onChange={(e) => {
                      setSaved(false);
                      const checked = e.currentTarget.checked;
                      setForm({
                        ...form,
                        engagements: checked
                          ? [...form.engagements, contact.ContactArn ?? '']
                          : form.engagements.filter((c) => c !== contact.ContactArn),
                      });
                    }}
                  />
                  {contact.DisplayName || contact.Alias}{' '}
                  <span class="meta">({contact.Type?.toLowerCase().replace('_', ' ')})</span>
                </label>
              </li>
            ))}
            {form.engagements
              .filter((c) => !contacts.data?.some((known) => known.ContactArn === c))
              .map((c) => (
                <li key={c} class="meta">
                  {lastSegment(c)} (not found among the contacts)
                </li>
              ))}
          </ul>
          {errorFor('engagements') ? (
            <p class="field-error" id="plan-engagements-error" role="alert">
              {errorFor('engagements')}
            </p>
          ) : null}
        </fieldset>
        <fieldset disabled={readOnly}>
          <legend>Chat channel</legend>
          <Field id="plan-chat" label="SNS topics of the chat channel (one per line)" error={errorFor('chatTopics')}>
            {(attrs) => <textarea {...attrs} rows={2} value={form.chatTopics} onInput={set('chatTopics')} />}
          </Field>
        </fieldset>
        <fieldset disabled={readOnly}>
          <legend>Runbook</legend>
          <p class="hint">The Systems Manager Automation document an incident from this plan starts.</p>
          <Field id="plan-runbook" label="Document name" error={errorFor('runbookDocument')}>
            {(attrs) => <input {...attrs} value={form.runbookDocument} onInput={set('runbookDocument')} />}
          </Field>
          <Field id="plan-runbook-version" label="Document version (optional)" error={errorFor('runbookVersion')}>
            {(attrs) => <input {...attrs} value={form.runbookVersion} onInput={set('runbookVersion')} />}
          </Field>
          <Field id="plan-runbook-role" label="Role ARN" error={errorFor('runbookRole')}>
            {(attrs) => <input {...attrs} value={form.runbookRole} onInput={set('runbookRole')} />}
          </Field>
        </fieldset>
        {error && !errorField ? <ErrorNote error={error} context="The plan was not saved" /> : null}
        {error && errorField ? (
          <p class="error" role="status">
            The plan was not saved: see the field marked in red.
          </p>
        ) : null}
        {saved ? (
          <p class="ok" role="status">
            Saved.
          </p>
        ) : null}
        {readOnly ? null : (
          <div class="buttons">
            <button type="submit" class="primary" disabled={busy}>
              {arn ? 'Save changes' : 'Create plan'}
            </button>
            {arn ? (
              <ActionButton
                class="danger"
                confirm="Delete this response plan? Incidents already started from it are kept."
                onAction={async () => {
                  await clients.incidents.send(new DeleteResponsePlanCommand({ arn }));
                  navigate(paths.plans());
                }}
              >
                Delete plan
              </ActionButton>
            ) : null}
          </div>
        )}
      </form>
    </section>
  );
}
