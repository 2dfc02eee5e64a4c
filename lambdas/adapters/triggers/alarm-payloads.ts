/**
 * CloudWatch alarm state changes arrive in three shapes: the EventBridge "CloudWatch Alarm State Change" event, the
 * SNS alarm notification (PascalCase, metric in `Trigger`), and the payload of an alarm's direct Lambda action
 * (`alarmData`). This edge module reads all three into the core's one AlarmStateChange.
 */
import { type AlarmMetricQuery, type AlarmState, type AlarmStateChange, parseAlarmArn } from '#core/alerting/alarm.ts';

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

/** The member names of a metric query: camelCase in EventBridge events and Lambda payloads, PascalCase in SNS. */
const CAMEL = {
  id: 'id',
  expression: 'expression',
  label: 'label',
  returnData: 'returnData',
  metricStat: 'metricStat',
  metric: 'metric',
  namespace: 'namespace',
  name: 'name',
  dimensions: 'dimensions',
  period: 'period',
  stat: 'stat',
  unit: 'unit',
} as const;
const PASCAL = {
  id: 'Id',
  expression: 'Expression',
  label: 'Label',
  returnData: 'ReturnData',
  metricStat: 'MetricStat',
  metric: 'Metric',
  namespace: 'Namespace',
  name: 'MetricName',
  dimensions: 'Dimensions',
  period: 'Period',
  stat: 'Stat',
  unit: 'Unit',
} as const;
type QueryNames = { readonly [K in keyof typeof CAMEL]: string };

/** Metric queries in either naming (one reader, so the two forms cannot drift apart). */
const readMetricQueries = (value: unknown, names: QueryNames): AlarmMetricQuery[] =>
  (Array.isArray(value) ? value : []).filter(isObject).map((query) => {
    const stat = isObject(query[names.metricStat]) ? (query[names.metricStat] as Json) : undefined;
    const metric = stat && isObject(stat[names.metric]) ? (stat[names.metric] as Json) : undefined;
    return {
      id: str(query[names.id]),
      expression: str(query[names.expression]),
      label: str(query[names.label]),
      returnData: typeof query[names.returnData] === 'boolean' ? (query[names.returnData] as boolean) : undefined,
      metricStat: metric
        ? {
            metric: {
              namespace: str(metric[names.namespace]),
              name: str(metric[names.name]),
              dimensions: readTags(metric[names.dimensions]),
            },
            period: num(stat?.[names.period]),
            stat: str(stat?.[names.stat]),
            unit: str(stat?.[names.unit]),
          }
        : undefined,
    };
  });

/** SNS notifications use PascalCase queries, or (single-metric alarms) the metric's members on `Trigger` itself. */
const readSnsMetrics = (trigger: Json): AlarmMetricQuery[] => {
  if (Array.isArray(trigger.Metrics)) return readMetricQueries(trigger.Metrics, PASCAL);
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
    metrics: readMetricQueries(configuration.metrics, CAMEL),
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
