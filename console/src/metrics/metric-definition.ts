/**
 * METRIC related items hold a CloudWatch metric-widget definition (what dashboards and the alarm intake write:
 * `{"metrics": [["AWS/EC2", "CPUUtilization", "InstanceId", "i-1", {"stat": "Average"}], [{"expression": ...}]]}`).
 * This reads one into GetMetricData queries, and builds one from a form.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';

export interface MetricWidget {
  title?: string;
  region?: string;
  period?: number;
  stat?: string;
  alarmArns: string[];
  queries: MetricDataQuery[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseMetricDefinition(text: string | undefined): MetricWidget | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
  if (!isObject(json) || !Array.isArray(json.metrics)) return undefined;
  const period = typeof json.period === 'number' ? json.period : 60;
  const defaultStat = typeof json.stat === 'string' ? json.stat : 'Average';
  const queries: MetricDataQuery[] = [];
  let previous: string[] = [];
  json.metrics.forEach((line: unknown, index: number) => {
    if (!Array.isArray(line)) return;
    const last = line.at(-1);
    const options: Json = isObject(last) ? last : {};
    const parts = (isObject(last) ? line.slice(0, -1) : line).map(String);
    const id = typeof options.id === 'string' ? options.id : `m${index}`;
    const common = {
      Id: id.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([^a-z])/, 'm$1'),
      ...(typeof options.label === 'string' ? { Label: options.label } : {}),
      ReturnData: options.visible !== false,
    };
    if (typeof options.expression === 'string') {
      queries.push({ ...common, Expression: options.expression, Period: Number(options.period ?? period) });
      return;
    }
    // Dashboards abbreviate a line that repeats the previous one's leading parts with "...".
    const full =
      parts[0] === '...' ? [...previous.slice(0, previous.length - (parts.length - 1)), ...parts.slice(1)] : parts;
    previous = full;
    const [namespace, metricName, ...dimensionParts] = full;
    if (!namespace || !metricName) return;
    const dimensions = [];
    for (let i = 0; i + 1 < dimensionParts.length; i += 2)
      dimensions.push({ Name: dimensionParts[i], Value: dimensionParts[i + 1] });
    queries.push({
      ...common,
      MetricStat: {
        Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
        Period: Number(options.period ?? period),
        Stat: typeof options.stat === 'string' ? options.stat : defaultStat,
      },
    });
  });
  const annotations = isObject(json.annotations) ? json.annotations : {};
  return {
    ...(typeof json.title === 'string' ? { title: json.title } : {}),
    ...(typeof json.region === 'string' ? { region: json.region } : {}),
    period,
    stat: defaultStat,
    alarmArns: Array.isArray(annotations.alarms)
      ? annotations.alarms.filter((a): a is string => typeof a === 'string')
      : [],
    queries,
  };
}

export interface MetricForm {
  namespace: string;
  metricName: string;
  /** `Name=Value` pairs, one per line or comma-separated. */
  dimensions: string;
  stat: string;
  period: number;
  region: string;
  title: string;
}

export function metricDefinitionOf(form: MetricForm): string {
  const dimensions = form.dimensions
    .split(/[\n,]/)
    .map((pair) => pair.trim())
    .filter(Boolean)
    .flatMap((pair) => {
      const at = pair.indexOf('=');
      return at === -1 ? [pair, ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    });
  return JSON.stringify({
    title: form.title,
    region: form.region,
    view: 'timeSeries',
    metrics: [[form.namespace, form.metricName, ...dimensions, { stat: form.stat, period: form.period }]],
  });
}
