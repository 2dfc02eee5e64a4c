/**
 * A CloudWatch alarm state change, as the alerting core sees it, whatever delivered it (EventBridge, SNS, the
 * alarm's Lambda action: their payloads are read at the edge, lambdas/adapters/triggers/alarm-payloads.ts).
 * Single-metric, metric-math, anomaly-detection and composite alarms all fit: they differ only in their metric
 * queries / alarm rule.
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

/** `arn:aws:cloudwatch:us-east-1:123456789012:alarm:name` → region, account, name. */
export const parseAlarmArn = (arn: unknown) => {
  const match = typeof arn === 'string' ? /^arn:[\w-]+:cloudwatch:([\w-]+):(\d{12}):alarm:(.+)$/.exec(arn) : null;
  return match
    ? { region: match[1] as string, accountId: match[2] as string, alarmName: match[3] as string }
    : undefined;
};

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
