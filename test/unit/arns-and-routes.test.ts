import { describe, expect, it } from 'vitest';
import { INCIDENTS_OPERATIONS } from '#core/incidents/api.ts';
import { incidentRecordArn, parseIncidentsArn, responsePlanArn } from '#core/incidents/arns.ts';
import { generatedIdOf } from '#core/incidents/related-item-ids.ts';
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { apiGatewayPath, INCIDENTS_ROUTES, matchRoute } from '#http/routes.ts';

const ctx = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };

describe('ARNs', () => {
  it('uses the empty-region format of ssm-incidents and embeds the plan name in incident ARNs', () => {
    expect(responsePlanArn(ctx, 'checkout')).toBe('arn:aws:ssm-incidents::111122223333:response-plan/checkout');
    expect(incidentRecordArn(ctx, 'checkout', 'abc')).toBe(
      'arn:aws:ssm-incidents::111122223333:incident-record/checkout/abc',
    );
  });

  it('accepts the CloudWatch alarm-action form responseplan/<name>', () => {
    expect(parseIncidentsArn(ctx, 'arn:aws:ssm-incidents::111122223333:responseplan/checkout', 'arn')).toEqual({
      kind: 'response-plan',
      name: 'checkout',
    });
  });

  it('treats another account as not found and a non-ARN as invalid', () => {
    expect(() => parseIncidentsArn(ctx, 'arn:aws:ssm-incidents::999999999999:response-plan/x', 'arn')).toThrow(
      ResourceNotFoundError,
    );
    expect(() => parseIncidentsArn(ctx, 'response-plan/x', 'responsePlanArn')).toThrow(ValidationError);
  });
});

describe('related item ids', () => {
  it('derive from type and value, so the same item always gets the same id', () => {
    const id = generatedIdOf({ type: 'OTHER', value: { url: 'https://example.com' } });
    expect(id).toMatch(/^related-item\/OTHER\/[0-9A-F]{32}$/);
    expect(generatedIdOf({ type: 'OTHER', value: { url: 'https://example.com' } })).toBe(id);
    expect(generatedIdOf({ type: 'ATTACHMENT', value: { url: 'https://example.com' } })).not.toBe(id);
  });
});

describe('route table', () => {
  it('binds every one of the 31 ssm-incidents operations to exactly one route and an implementation', () => {
    expect(INCIDENTS_ROUTES).toHaveLength(31);
    const names = INCIDENTS_ROUTES.map((r) => r.operation);
    expect(new Set(names).size).toBe(31);
    expect(Object.keys(INCIDENTS_OPERATIONS).sort()).toEqual([...names].sort());
  });

  it('matches the tag routes by method with the encoded ARN as the label', () => {
    const encoded = encodeURIComponent('arn:aws:ssm-incidents::111122223333:response-plan/p');
    expect(matchRoute('DELETE', `/tags/${encoded}`)?.spec.operation).toBe('UntagResource');
    expect(matchRoute('GET', `/tags/${encoded}`)).toMatchObject({
      spec: { operation: 'ListTagsForResource' },
      label: encoded,
    });
    expect(matchRoute('PUT', `/tags/${encoded}`)).toBeUndefined();
    expect(matchRoute('GET', '/startIncident')).toBeUndefined();
  });

  it('declares the tag label greedy for API Gateway, whose router may decode %2F', () => {
    const tag = INCIDENTS_ROUTES.find((r) => r.operation === 'TagResource');
    expect(tag && apiGatewayPath(tag)).toBe('/tags/{resourceArn+}');
  });
});
