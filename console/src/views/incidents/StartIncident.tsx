/** Starts an incident from a response plan (StartIncident), optionally overriding the plan's title and impact. */
import {
  ListResponsePlansCommand,
  type ResponsePlanSummary,
  StartIncidentCommand,
} from '@aws-sdk/client-ssm-incidents';
import { useState } from 'preact/hooks';
import { fieldMessage, fieldOf } from '../../api/errors.ts';
import { navigate, paths } from '../../router.ts';
import { useSession } from '../../session.tsx';
import { ErrorNote, Field, Link, Loading, useAsync } from '../../ui/components.tsx';
import { IMPACT_WORDS } from '../../ui/format.ts';

export function StartIncident({ onClose }: { onClose: () => void }) {
  const { clients } = useSession();
  const plans = useAsync(async () => {
    const found: ResponsePlanSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await clients.incidents.send(new ListResponsePlansCommand({ maxResults: 100, nextToken }));
      found.push(...(page.responsePlanSummaries ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return found.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  }, [clients]);
  const [plan, setPlan] = useState('');
  const [title, setTitle] = useState('');
  const [impact, setImpact] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const field = fieldOf(error);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await clients.incidents.send(
        new StartIncidentCommand({
          responsePlanArn: plan || (plans.data?.[0]?.arn ?? ''),
          ...(title.trim() ? { title: title.trim() } : {}),
          ...(impact ? { impact: Number(impact) } : {}),
          clientToken: crypto.randomUUID(),
        }),
      );
      if (result.incidentRecordArn) navigate(paths.incident(result.incidentRecordArn));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel" aria-labelledby="start-heading" onSubmit={submit}>
      <h2 id="start-heading">Start an incident</h2>
      <ErrorNote error={plans.error} context="Could not list response plans" />
      {plans.loading && !plans.data ? <Loading what="response plans" /> : null}
      {plans.data && plans.data.length === 0 ? (
        <p>
          An incident starts from a response plan, and there is none yet.{' '}
          <Link href={paths.plan()}>Create a response plan</Link>.
        </p>
      ) : null}
      {plans.data && plans.data.length > 0 ? (
        <>
          <Field
            id="start-plan"
            label="Response plan"
            error={field === 'responsePlanArn' ? fieldMessage(error) : undefined}
          >
            {(attrs) => (
              <select {...attrs} value={plan} onChange={(e) => setPlan(e.currentTarget.value)}>
                {plans.data?.map((p) => (
                  <option value={p.arn} key={p.arn}>
                    {p.displayName || p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id="start-title"
            label="Title (optional)"
            hint="Leave empty to use the plan's title."
            error={field === 'title' ? fieldMessage(error) : undefined}
          >
            {(attrs) => <input {...attrs} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />}
          </Field>
          <Field
            id="start-impact"
            label="Impact (optional)"
            error={field === 'impact' ? fieldMessage(error) : undefined}
          >
            {(attrs) => (
              <select {...attrs} value={impact} onChange={(e) => setImpact(e.currentTarget.value)}>
                <option value="">The plan's impact</option>
                {[1, 2, 3, 4, 5].map((i) => (
                  <option value={i} key={i}>
                    {i} {IMPACT_WORDS[i]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {error && !field ? <ErrorNote error={error} context="The incident was not started" /> : null}
          <div class="buttons">
            <button type="submit" class="primary" disabled={busy}>
              Start
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
    </form>
  );
}
