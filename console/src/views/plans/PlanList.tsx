/** Response plans: the list, with a link to create one. */
import { ListResponsePlansCommand, type ResponsePlanSummary } from '@aws-sdk/client-ssm-incidents';
import { paths } from '../../router.ts';
import { useSession } from '../../session.tsx';
import { ErrorNote, Link, Loading, useAsync } from '../../ui/components.tsx';

export function PlanList() {
  const { clients, user } = useSession();
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
  return (
    <section aria-labelledby="plans-heading">
      <div class="page-head">
        <h1 id="plans-heading">Response plans</h1>
        {user.readOnly ? null : (
          <Link class="button primary" href={paths.plan()}>
            Create response plan
          </Link>
        )}
      </div>
      <ErrorNote error={plans.error} context="Could not list response plans" />
      {!plans.data && plans.loading ? <Loading what="response plans" /> : null}
      {plans.data?.length === 0 ? <p class="empty">No response plans yet. An incident starts from one.</p> : null}
      {plans.data?.length ? (
        <ul class="cards">
          {plans.data.map((plan) => (
            <li key={plan.arn}>
              <Link href={paths.plan(plan.arn)}>{plan.displayName || plan.name}</Link>
              {plan.displayName ? <span class="meta"> ({plan.name})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
