/**
 * The datapoints a CloudWatch alarm event carries about itself. An alarm state change holds, in
 * `state.reasonData`, the evaluated datapoints (`recentDatapoints`, one per `period` from `startDate`) and the
 * `threshold`; SNS notifications carry the threshold only. Locally there is no CloudWatch, so this is what the
 * Metrics tab can draw, and it says so.
 */
import { parseJson } from '../views/incident/timeline-text.ts';

export interface AlarmDatapoints {
  alarmName: string;
  alarmArn?: string;
  /** Epoch seconds and values, oldest first. */
  times: number[];
  values: number[];
  threshold?: number;
  statistic?: string;
  periodSeconds?: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** CloudWatch writes `2026-11-21T16:59:00.000+0000`; Date.parse wants `+00:00`. */
const parseCloudWatchTime = (text: unknown): number | undefined => {
  if (typeof text !== 'string') return undefined;
  const millis = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(millis) ? undefined : millis;
};

/** From an incident trigger's rawData (EventBridge, Lambda alarm action or SNS form). */
export function alarmDatapointsOf(rawData: string | undefined): AlarmDatapoints | undefined {
  const raw = parseJson(rawData);
  if (!isObject(raw)) return undefined;
  // EventBridge: { resources: [alarmArn], detail: { alarmName, state } }; Lambda action: { alarmArn, alarmData }.
  const alarm = isObject(raw.detail) ? raw.detail : isObject(raw.alarmData) ? raw.alarmData : undefined;
  if (alarm && typeof alarm.alarmName === 'string') {
    const alarmArn =
      typeof raw.alarmArn === 'string'
        ? raw.alarmArn
        : Array.isArray(raw.resources) && typeof raw.resources[0] === 'string'
          ? raw.resources[0]
          : undefined;
    const state = isObject(alarm.state) ? alarm.state : {};
    const reason = parseJson(typeof state.reasonData === 'string' ? state.reasonData : undefined);
    const result: AlarmDatapoints = {
      alarmName: alarm.alarmName,
      times: [],
      values: [],
      ...(alarmArn ? { alarmArn } : {}),
    };
    if (isObject(reason)) {
      if (typeof reason.threshold === 'number') result.threshold = reason.threshold;
      if (typeof reason.statistic === 'string') result.statistic = reason.statistic;
      const period = typeof reason.period === 'number' ? reason.period : undefined;
      if (period) result.periodSeconds = period;
      const start = parseCloudWatchTime(reason.startDate);
      const values = Array.isArray(reason.recentDatapoints)
        ? reason.recentDatapoints.filter((v) => typeof v === 'number')
        : [];
      if (start !== undefined && period) {
        values.forEach((value, index) => {
          result.times.push(start / 1000 + index * period);
          result.values.push(value as number);
        });
      }
    }
    return result;
  }
  // SNS notification (the Message JSON): the threshold and period, no datapoints.
  if (typeof raw.AlarmName === 'string') {
    const trigger = isObject(raw.Trigger) ? raw.Trigger : {};
    return {
      alarmName: raw.AlarmName,
      ...(typeof raw.AlarmArn === 'string' ? { alarmArn: raw.AlarmArn } : {}),
      times: [],
      values: [],
      ...(typeof trigger.Threshold === 'number' ? { threshold: trigger.Threshold } : {}),
      ...(typeof trigger.Period === 'number' ? { periodSeconds: trigger.Period } : {}),
    };
  }
  return undefined;
}
