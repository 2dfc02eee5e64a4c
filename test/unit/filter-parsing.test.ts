/** The words of the filter errors of ListIncidentRecords and ListTimelineEvents, read by one parser (filters.ts). */
import { describe, expect, it } from 'vitest';
import { incidentQueryOf } from '#core/incidents/incidents.ts';
import type { Filter } from '#core/incidents/shapes.ts';
import { timelineQueryOf } from '#core/incidents/timeline.ts';
import { ValidationError } from '#core/shared/errors.ts';

const errorOf = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return { message: error.message, field: error.field };
    throw error;
  }
  throw new Error('no ValidationError');
};

describe('filter errors', () => {
  it('list the keys each list takes, naming the filter', () => {
    const owner: Filter[] = [
      { key: 'impact', condition: { equals: { integerValues: [1] } } },
      { key: 'owner', condition: { after: 1 } },
    ];
    expect(errorOf(() => incidentQueryOf(owner))).toEqual({
      message: "Unsupported filter key 'owner' at 'filters.2.key'; use one of creationTime, impact, status, createdBy.",
      field: 'filters.2.key',
    });
    expect(errorOf(() => timelineQueryOf([{ key: 'constructor', condition: { after: 1 } }], false))).toEqual({
      message:
        "Unsupported filter key 'constructor' at 'filters.1.key'; use one of eventTime, eventType, eventReference.",
      field: 'filters.1.key',
    });
  });

  it('say which condition a key takes', () => {
    const cases: [() => unknown, string, string][] = [
      [() => incidentQueryOf([{ key: 'status', condition: { after: 1 } }]), 'status', 'equals.stringValues'],
      [
        () => incidentQueryOf([{ key: 'createdBy', condition: { equals: { integerValues: [1] } } }]),
        'createdBy',
        'equals.stringValues',
      ],
      [
        () => incidentQueryOf([{ key: 'impact', condition: { equals: { stringValues: ['1'] } } }]),
        'impact',
        'equals.integerValues',
      ],
      [
        () => incidentQueryOf([{ key: 'creationTime', condition: { equals: { stringValues: [] } } }]),
        'creationTime',
        'before or after',
      ],
      [
        () => timelineQueryOf([{ key: 'eventTime', condition: { equals: { stringValues: [] } } }], true),
        'eventTime',
        'before or after',
      ],
      [
        () => timelineQueryOf([{ key: 'eventType', condition: { before: 1 } }], true),
        'eventType',
        'equals.stringValues',
      ],
      [
        () => timelineQueryOf([{ key: 'eventReference', condition: { after: 1 } }], true),
        'eventReference',
        'equals.stringValues',
      ],
    ];
    for (const [parse, key, expected] of cases)
      expect(errorOf(parse)).toEqual({
        message: `Filter '${key}' at 'filters.1.condition' takes ${expected}.`,
        field: 'filters.1.condition',
      });
  });

  it('name the value a status or impact filter does not allow', () => {
    const impact: Filter[] = [{ key: 'impact', condition: { equals: { integerValues: [1, 7] } } }];
    expect(errorOf(() => incidentQueryOf(impact)).field).toBe('filters.1.condition.equals.integerValues.2');
  });
});
