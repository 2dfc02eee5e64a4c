/**
 * Metrics: each METRIC related item as a chart. In AWS the data comes from CloudWatch (GetMetricData, with the
 * signed-in user's credentials) over the incident's time span. Locally there is no CloudWatch: the chart shows the
 * datapoints the alarm event itself carried (its recent datapoints and threshold), and says so.
 */
import { GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { type RelatedItem, UpdateRelatedItemsCommand } from '@aws-sdk/client-ssm-incidents';
import { useMemo, useState } from 'preact/hooks';
import { fieldMessage, fieldOf } from '../../../api/errors.ts';
import { type AlarmDatapoints, alarmDatapointsOf } from '../../../metrics/alarm-datapoints.ts';
import { Chart, type ChartSeries } from '../../../metrics/Chart.tsx';
import { type MetricWidget, metricDefinitionOf, parseMetricDefinition } from '../../../metrics/metric-definition.ts';
import { useSession } from '../../../session.tsx';
import { ErrorNote, Field, Folded, Loading, useAsync } from '../../../ui/components.tsx';
import type { IncidentData } from '../incident-data.ts';
import { EVENT_TYPES, parseJson } from '../timeline-text.ts';
import type { IncidentTabProps } from './registry.ts';

export function MetricsTab({ data }: IncidentTabProps) {
  const { user } = useSession();
  const metrics = (data.relatedItems.data ?? []).filter((item) => item.identifier?.type === 'METRIC');
  /** Every alarm that triggered this incident, with the datapoints its event carried. */
  const alarms = useMemo(
    () =>
      (data.timeline.data ?? [])
        .filter((event) => event.eventType === EVENT_TYPES.trigger)
        .map((event) => alarmDatapointsOf((parseJson(event.eventData) as { rawData?: string } | undefined)?.rawData))
        .filter((alarm): alarm is AlarmDatapoints => alarm !== undefined),
    [data.timeline.data],
  );
  return (
    <div>
      <ErrorNote error={data.relatedItems.error} context="Could not load the related items" />
      {!data.relatedItems.data && data.relatedItems.loading ? <Loading what="metrics" /> : null}
      {data.relatedItems.data && metrics.length === 0 ? (
        <p class="empty">No metrics yet. Alarms that open an incident add theirs; you can add one below.</p>
      ) : null}
      {metrics.map((item) => (
        <MetricCard key={item.generatedId ?? item.title} item={item} alarms={alarms} data={data} />
      ))}
      {user.readOnly ? null : <AddMetric data={data} />}
    </div>
  );
}

function MetricCard({ item, alarms, data }: { item: RelatedItem; alarms: AlarmDatapoints[]; data: IncidentData }) {
  const { mode } = useSession();
  const definition = item.identifier?.value?.metricDefinition;
  const widget = parseMetricDefinition(definition);
  const alarm = alarms.find(
    (a) => (a.alarmArn && widget?.alarmArns.includes(a.alarmArn)) || widget?.title === a.alarmName,
  );
  const title = item.title || widget?.title || 'Metric';
  return (
    <section class="panel metric" aria-label={title}>
      <h2>{title}</h2>
      {mode === 'aws' && widget ? (
        <CloudWatchChart widget={widget} title={title} threshold={alarm?.threshold} data={data} />
      ) : alarm && alarm.values.length > 0 ? (
        <>
          <p class="source-note">
            Datapoints carried by the alarm event ({alarm.statistic ?? 'statistic'} per {alarm.periodSeconds ?? '?'} s),
            not live CloudWatch data: locally there is no CloudWatch.
          </p>
          <Chart
            label={`${title}: ${alarm.values.length} datapoint(s) from the alarm event${alarm.threshold !== undefined ? `, threshold ${alarm.threshold}` : ''}`}
            times={alarm.times}
            series={[
              { label: widget?.queries[0]?.MetricStat?.Metric?.MetricName ?? alarm.alarmName, values: alarm.values },
            ]}
            threshold={alarm.threshold}
          />
        </>
      ) : (
        <p class="source-note">
          {alarm?.threshold !== undefined ? `Threshold ${alarm.threshold}. ` : ''}
          No datapoints to draw here: locally there is no CloudWatch, and no alarm event carried datapoints for this
          metric. Deployed, it is drawn from CloudWatch.
        </p>
      )}
      {widget ? null : (
        <p class="error">This metric definition is not a CloudWatch metric widget the console can read.</p>
      )}
      {definition ? <Folded summary="Metric definition" text={definition} /> : null}
    </section>
  );
}

function CloudWatchChart(props: {
  widget: MetricWidget;
  title: string;
  threshold?: number | undefined;
  data: IncidentData;
}) {
  const { clients } = useSession();
  const incident = props.data.incident.data!;
  const result = useAsync(async () => {
    if (!clients.cloudwatch) throw new Error('CloudWatch is not available');
    const start = new Date((incident.creationTime?.getTime() ?? Date.now()) - 3_600_000);
    const end = incident.resolvedTime ? new Date(incident.resolvedTime.getTime() + 900_000) : new Date();
    const results: MetricDataResult[] = [];
    let nextToken: string | undefined;
    do {
      const page = await clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: props.widget.queries,
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
      );
      results.push(...(page.MetricDataResults ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return mergeSeries(results);
  }, [clients, props.widget, incident.creationTime?.getTime(), incident.resolvedTime?.getTime()]);
  if (result.error) return <ErrorNote error={result.error} context="CloudWatch did not return the metric" />;
  if (!result.data) return <Loading what="the metric from CloudWatch" />;
  if (result.data.times.length === 0)
    return <p class="empty">CloudWatch has no datapoints for this metric in the incident's time span.</p>;
  return (
    <Chart
      label={`${props.title} from CloudWatch`}
      times={result.data.times}
      series={result.data.series}
      threshold={props.threshold}
    />
  );
}

/** GetMetricData returns one (timestamps, values) list per query; a chart wants one time axis. */
function mergeSeries(results: MetricDataResult[]): { times: number[]; series: ChartSeries[] } {
  const times = [...new Set(results.flatMap((r) => (r.Timestamps ?? []).map((t) => t.getTime() / 1000)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(times.map((t, i) => [t, i]));
  const series = results.map((r) => {
    const values: (number | null)[] = times.map(() => null);
    (r.Timestamps ?? []).forEach((t, i) => {
      values[index.get(t.getTime() / 1000)!] = r.Values?.[i] ?? null;
    });
    return { label: r.Label ?? r.Id ?? 'value', values };
  });
  return { times, series };
}

function AddMetric({ data }: IncidentTabProps) {
  const { clients, region } = useSession();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    title: '',
    namespace: '',
    metricName: '',
    dimensions: '',
    stat: 'Average',
    period: 60,
    region,
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: Event) =>
    setForm({
      ...form,
      [key]:
        key === 'period'
          ? Number((e.currentTarget as HTMLInputElement).value)
          : (e.currentTarget as HTMLInputElement).value,
    });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await clients.incidents.send(
        new UpdateRelatedItemsCommand({
          incidentRecordArn: data.arn,
          clientToken: crypto.randomUUID(),
          relatedItemsUpdate: {
            itemToAdd: {
              title: form.title || `${form.namespace} ${form.metricName}`,
              identifier: { type: 'METRIC', value: { metricDefinition: metricDefinitionOf(form) } },
            },
          },
        }),
      );
      setOpen(false);
      await data.relatedItems.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Add a metric
      </button>
    );
  const field = fieldOf(error);
  return (
    <form class="panel stacked" onSubmit={submit} aria-label="Add a metric">
      <h2>Add a metric</h2>
      <div class="row">
        <Field id="metric-namespace" label="Namespace" hint="For example AWS/EC2">
          {(attrs) => <input {...attrs} required value={form.namespace} onInput={set('namespace')} />}
        </Field>
        <Field id="metric-name" label="Metric name" hint="For example CPUUtilization">
          {(attrs) => <input {...attrs} required value={form.metricName} onInput={set('metricName')} />}
        </Field>
      </div>
      <Field id="metric-dimensions" label="Dimensions" hint="Name=Value, separated by commas (InstanceId=i-0abc…)">
        {(attrs) => <input {...attrs} value={form.dimensions} onInput={set('dimensions')} />}
      </Field>
      <div class="row">
        <Field id="metric-stat" label="Statistic">
          {(attrs) => (
            <select {...attrs} value={form.stat} onChange={set('stat')}>
              {['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p99'].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
        <Field id="metric-period" label="Period (seconds)">
          {(attrs) => <input {...attrs} type="number" min={1} step={1} value={form.period} onInput={set('period')} />}
        </Field>
        <Field id="metric-title" label="Title (optional)">
          {(attrs) => <input {...attrs} value={form.title} onInput={set('title')} />}
        </Field>
      </div>
      {error ? <ErrorNote error={field ? fieldMessage(error) : error} context="The metric was not added" /> : null}
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          Add metric
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
