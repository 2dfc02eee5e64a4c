import { describe, expect, it } from 'vitest';
import { decodeNextToken, encodeNextToken } from '#adapters/dynamodb/table.ts';
import { dedupeKeyFor, incidentQueryOf } from '#core/incidents/incidents.ts';
import { timelineQueryOf } from '#core/incidents/timeline.ts';
import { ValidationError } from '#core/shared/errors.ts';

describe('ListIncidentRecords filters', () => {
  it('ANDs filters across keys and ORs values within one', () => {
    const query = incidentQueryOf([
      { key: 'status', condition: { equals: { stringValues: ['OPEN', 'RESOLVED'] } } },
      { key: 'status', condition: { equals: { stringValues: ['OPEN'] } } },
      { key: 'impact', condition: { equals: { integerValues: [1, 2] } } },
      { key: 'creationTime', condition: { after: 1000 } },
      { key: 'creationTime', condition: { after: 5000 } },
    ]);
    expect(query).toEqual({ statuses: ['OPEN'], impacts: [1, 2], createdAfter: 5000 });
  });

  it('names the filter that uses an unknown key or the wrong condition', () => {
    expect(() => incidentQueryOf([{ key: 'owner', condition: { after: 1 } }])).toThrow(/filters\.1\.key/);
    expect(() => incidentQueryOf([{ key: 'impact', condition: { after: 1 } }])).toThrow(ValidationError);
    expect(() => incidentQueryOf([{ key: 'status', condition: { equals: { stringValues: ['CLOSED'] } } }])).toThrow(
      /filters\.1\.condition\.equals\.stringValues\.1/,
    );
  });
});

describe('ListTimelineEvents filters', () => {
  it('keeps each eventReference filter as its own set of alternatives', () => {
    const query = timelineQueryOf(
      [
        { key: 'eventReference', condition: { equals: { stringValues: ['a', 'b'] } } },
        { key: 'eventReference', condition: { equals: { stringValues: ['c'] } } },
        { key: 'eventType', condition: { equals: { stringValues: ['Note'] } } },
      ],
      true,
    );
    expect(query).toEqual({ ascending: true, eventReferences: [['a', 'b'], ['c']], eventTypes: ['Note'] });
  });
});

describe('dedupe key', () => {
  it('prefers the template dedupe string, then the trigger ARN, else none', () => {
    expect(dedupeKeyFor('checkout', 'arn:aws:cloudwatch:us-east-1:1:alarm:a')).toBe('dedupe:checkout');
    expect(dedupeKeyFor(undefined, 'arn:aws:cloudwatch:us-east-1:1:alarm:a')).toBe(
      'trigger:arn:aws:cloudwatch:us-east-1:1:alarm:a',
    );
    expect(dedupeKeyFor('', undefined)).toBeUndefined();
  });
});

describe('nextToken', () => {
  const keys = ['pk', 'sk'] as const;
  it('round-trips the last key for the same query', () => {
    const token = encodeNextToken({ pk: 'INC#1', sk: 'INC' }, { statuses: ['OPEN'] });
    expect(decodeNextToken(token, { statuses: ['OPEN'] }, keys)).toEqual({ pk: 'INC#1', sk: 'INC' });
  });

  it('rejects a token issued for other filters, a forged key or garbage', () => {
    const token = encodeNextToken({ pk: 'INC#1', sk: 'INC' }, { statuses: ['OPEN'] });
    expect(() => decodeNextToken(token, { statuses: ['RESOLVED'] }, keys)).toThrow(ValidationError);
    const forged = Buffer.from(JSON.stringify({ k: { pk: { S: 'x' } }, q: 'x' })).toString('base64url');
    expect(() => decodeNextToken(forged, {}, keys)).toThrow(ValidationError);
    expect(() => decodeNextToken('%%%not-base64', {}, keys)).toThrow(ValidationError);
  });
});
