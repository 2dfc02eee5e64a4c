/**
 * CloudWatch alarm state changes arrive in three shapes: the EventBridge "CloudWatch Alarm State Change" event, the
 * SNS alarm notification (PascalCase, metric in `Trigger`), and the payload of an alarm's direct Lambda action
 * (`alarmData`). This module reads all three into one AlarmStateChange. Single-metric, metric-math,
 * anomaly-detection and composite alarms are all covered: they differ only in their metric queries / alarm rule.
 */

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

/** One metric query of an alarm, in CloudWatch's own (camelCase) form. */
export interface AlarmMetricQuery {
  id?: string;
  metricStat?: {
    metric: { namespace?: string; name?: string; dimensions: Record<string, string> };
    period?: number;
    stat?: string;
    unit?: string;
  };
  expression?: string;
  label?: string;
  returnData?: boolean;
}

export interface AlarmStateChange {
  alarmArn: string;
  alarmName: string;
  region: string;
  accountId: string;
  state: AlarmState;
  previousState?: AlarmState;
  /** When the alarm changed state, epoch milliseconds. */
  stateTimestamp: number;
  reason?: string;
  description?: string;
  metrics: AlarmMetricQuery[];
  /** Composite alarms: the rule over child alarms. */
  alarmRule?: string;
  /** Propagated alarm tags, when the alarm has tag propagation on. */
  tags: Record<string, string>;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** CloudWatch writes `2019-10-02T17:04:40.985+0000`; ISO-8601 parsers want `+00:00`. */
export const parseCloudWatchTime = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const millis = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(millis) ? millis : undefined;
};

const asState = (value: unknown): AlarmState | undefined =>
  value === 'ALARM' || value === 'OK' || value === 'INSUFFICIENT_DATA' ? value : undefined;

/** `arn:aws:cloudwatch:us-east-1:123456789012:alarm:name` → region, account, name. */
export const parseAlarmArn = (arn: unknown) => {
  const match = typeof arn === 'string' ? /^arn:[\w-]+:cloudwatch:([\w-]+):(\d{12}):alarm:(.+)$/.exec(arn) : null;
  return match
    ? { region: match[1] as string, accountId: match[2] as string, alarmName: match[3] as string }
    : undefined;
};

/** Tags and dimensions come as a map, or as a list of {key, value} / {name, value} pairs. */
const readTags = (value: unknown): Record<string, string> => {
  const tags: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (!isObject(entry)) continue;
      // Tags come as {key, value}; SNS alarm notifications list dimensions as {name, value}.
      const key = str(entry.key ?? entry.Key ?? entry.name ?? entry.Name);
      const val = entry.value ?? entry.Value;
      if (key && typeof val === 'string') tags[key] = val;
    }
  } else if (isObject(value)) {
    for (const [key, val] of Object.entries(value)) if (typeof val === 'string') tags[key] = val;
  }
  return tags;
};

/** The camelCase metric queries of EventBridge events and Lambda action payloads. */
const readCamelMetrics = (value: unknown): AlarmMetricQuery[] =>
  (Array.isArray(value) ? value : []).filter(isObject).map((query) => {
    const stat = isObject(query.metricStat) ? query.metricStat : undefined;
    const metric = stat && isObject(stat.metric) ? stat.metric : undefined;
    return {
      id: str(query.id),
      expression: str(query.expression),
      label: str(query.label),
      returnData: typeof query.returnData === 'boolean' ? query.returnData : undefined,
      metricStat: metric
        ? {
            metric: {
              namespace: str(metric.namespace),
              name: str(metric.name),
              dimensions: readTags(metric.dimensions),
            },
            period: num(stat?.period),
            stat: str(stat?.stat),
            unit: str(stat?.unit),
          }
        : undefined,
    };
  });

/** SNS notifications use PascalCase and list dimensions as [{name, value}]. */
const readSnsMetrics = (trigger: Json): AlarmMetricQuery[] => {
  if (Array.isArray(trigger.Metrics)) {
    return trigger.Metrics.filter(isObject).map((query) => {
      const stat = isObject(query.MetricStat) ? query.MetricStat : undefined;
      const metric = stat && isObject(stat.Metric) ? stat.Metric : undefined;
      return {
        id: str(query.Id),
        expression: str(query.Expression),
        label: str(query.Label),
        returnData: typeof query.ReturnData === 'boolean' ? query.ReturnData : undefined,
        metricStat: metric
          ? {
              metric: {
                namespace: str(metric.Namespace),
                name: str(metric.MetricName),
                dimensions: readTags(metric.Dimensions),
              },
              period: num(stat?.Period),
              stat: str(stat?.Stat),
              unit: str(stat?.Unit),
            }
          : undefined,
      };
    });
  }
  if (!str(trigger.MetricName)) return [];
  return [
    {
      metricStat: {
        metric: {
          namespace: str(trigger.Namespace),
          name: str(trigger.MetricName),
          dimensions: readTags(trigger.Dimensions),
        },
        period: num(trigger.Period),
        stat: str(trigger.ExtendedStatistic) ?? titleCase(str(trigger.Statistic)),
        unit: str(trigger.Unit),
      },
      returnData: true,
    },
  ];
};

/** SNS writes statistics upper-case (`AVERAGE`); the metrics APIs want `Average`. */
const titleCase = (value: string | undefined) =>
  value ? (value === 'SAMPLE_COUNT' ? 'SampleCount' : value.charAt(0) + value.slice(1).toLowerCase()) : undefined;

/** `detail` of an EventBridge alarm event, or `alarmData` of a Lambda action: the same camelCase shape. */
function fromCamelDetail(detail: Json, alarmArn: unknown, fallbackTime: unknown): AlarmStateChange | undefined {
  const arn = parseAlarmArn(alarmArn);
  const state = isObject(detail.state) ? detail.state : undefined;
  const value = asState(state?.value);
  if (!arn || !value) return undefined;
  const previous = isObject(detail.previousState) ? detail.previousState : undefined;
  const configuration = isObject(detail.configuration) ? detail.configuration : {};
  return {
    alarmArn: String(alarmArn),
    ...arn,
    alarmName: str(detail.alarmName) ?? arn.alarmName,
    state: value,
    previousState: asState(previous?.value),
    stateTimestamp: parseCloudWatchTime(state?.timestamp) ?? parseCloudWatchTime(fallbackTime) ?? Date.now(),
    reason: str(state?.reason),
    description: str(configuration.description),
    metrics: readCamelMetrics(configuration.metrics),
    alarmRule: str(configuration.alarmRule),
    tags: readTags(detail.alarmTags),
  };
}

/** An EventBridge "CloudWatch Alarm State Change" event. */
export function fromEventBridgeAlarmEvent(event: Json): AlarmStateChange | undefined {
  if (event.source !== 'aws.cloudwatch' || event['detail-type'] !== 'CloudWatch Alarm State Change') return undefined;
  if (!isObject(event.detail)) return undefined;
  const resources = Array.isArray(event.resources) ? event.resources : [];
  return fromCamelDetail(event.detail, resources[0], event.time);
}

/** The payload CloudWatch sends when an alarm's action is a Lambda function. */
export function fromLambdaAlarmAction(payload: Json): AlarmStateChange | undefined {
  if (payload.source !== 'aws.cloudwatch' || !isObject(payload.alarmData)) return undefined;
  return fromCamelDetail(payload.alarmData, payload.alarmArn, payload.time);
}

/** The JSON message of an SNS alarm notification. */
export function fromSnsAlarmMessage(message: Json): AlarmStateChange | undefined {
  const arn = parseAlarmArn(message.AlarmArn);
  const value = asState(message.NewStateValue);
  if (!arn || !value) return undefined;
  const trigger = isObject(message.Trigger) ? message.Trigger : {};
  return {
    alarmArn: String(message.AlarmArn),
    ...arn,
    alarmName: str(message.AlarmName) ?? arn.alarmName,
    state: value,
    previousState: asState(message.OldStateValue),
    stateTimestamp: parseCloudWatchTime(message.StateChangeTime) ?? Date.now(),
    reason: str(message.NewStateReason),
    description: str(message.AlarmDescription),
    metrics: readSnsMetrics(trigger),
    alarmRule: str(message.AlarmRule),
    tags: readTags(message.AlarmTags),
  };
}

/** Child alarm names a composite alarm's rule refers to: `ALARM("name")`, `OK(name)`, `ALARM(arn:...)`. */
export const childAlarmsOf = (rule: string | undefined): string[] => {
  if (!rule) return [];
  const names = new Set<string>();
  for (const match of rule.matchAll(
    /\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:"([^"]+)"|'([^']+)'|([^)\s]+))\s*\)/g,
  )) {
    const name = match[1] ?? match[2] ?? match[3];
    if (name) names.add(name);
  }
  return [...names];
};
