import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  ConflictError,
  ResourceNotFoundError,
  ServiceQuotaExceededError,
  ThrottlingError,
  ValidationError,
} from '#core/shared/errors.ts';
import { errorResponse } from '#http/aws-errors.ts';
import { contactsErrorResponse } from '#http/contacts-protocol.ts';
import { callerOf, operationInput } from '#http/request.ts';
import { matchRoute } from '#http/routes.ts';
import { accessKeyOf } from '../../local/server.ts';

const event = (overrides: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: '/' }, requestId: 'r1' },
    ...overrides,
  }) as APIGatewayProxyEventV2;

describe('reading requests', () => {
  it('merges the body, the bound query members and the decoded path label', () => {
    const arn = 'arn:aws:ssm-incidents::111122223333:incident-record/p/1';
    const path = `/tags/${encodeURIComponent(arn)}`;
    const route = matchRoute('DELETE', path);
    if (!route) throw new Error('no route');
    const input = operationInput(event({ rawPath: path, rawQueryString: 'tagKeys=a&tagKeys=b%20c&other=x' }), route);
    expect(input).toEqual({ resourceArn: arn, tagKeys: ['a', 'b c'] });
  });

  it('reads base64-encoded bodies, as API Gateway may deliver them', () => {
    const route = matchRoute('POST', '/startIncident');
    if (!route) throw new Error('no route');
    const body = Buffer.from('{"responsePlanArn":"x"}').toString('base64');
    expect(operationInput(event({ body, isBase64Encoded: true }), route)).toEqual({ responsePlanArn: 'x' });
  });

  it('rejects malformed JSON and non-object bodies as ValidationException', () => {
    const route = matchRoute('POST', '/startIncident');
    if (!route) throw new Error('no route');
    expect(() => operationInput(event({ body: '{"a":' }), route)).toThrow(ValidationError);
    expect(() => operationInput(event({ body: '[1,2]' }), route)).toThrow(/JSON object/);
  });

  it('takes the caller from the IAM authorizer context and refuses a request without one', () => {
    const signed = event({
      requestContext: { authorizer: { iam: { userArn: 'arn:aws:sts::1:assumed-role/Ops/alice' } } },
    } as unknown as Partial<APIGatewayProxyEventV2>);
    expect(callerOf(signed).principalArn).toBe('arn:aws:sts::1:assumed-role/Ops/alice');
    expect(() => callerOf(event({}))).toThrow(/principal/);
  });

  it('finds the access key in a SigV4 Authorization header', () => {
    expect(
      accessKeyOf(
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/ssm-incidents/aws4_request, SignedHeaders=host',
      ),
    ).toBe('AKIDEXAMPLE');
    expect(accessKeyOf(undefined)).toBeUndefined();
  });
});

describe('error responses', () => {
  it('carry the modelled status, x-amzn-errortype, __type, message and modelled members', () => {
    const response = errorResponse(new ResourceNotFoundError('gone', 'INCIDENT_RECORD', 'arn:x'), 'req-1');
    expect(response.statusCode).toBe(404);
    expect(response.headers).toMatchObject({
      'x-amzn-errortype': 'ResourceNotFoundException',
      'x-amzn-requestid': 'req-1',
    });
    expect(JSON.parse(String(response.body))).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'gone',
      resourceType: 'INCIDENT_RECORD',
      resourceIdentifier: 'arn:x',
    });
    expect(errorResponse(new ConflictError('busy'), 'r').statusCode).toBe(409);
  });

  it('turns DynamoDB throttling into a retryable ThrottlingException and hides internal errors', () => {
    const throttled = errorResponse(
      Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
      'r',
    );
    expect(throttled.statusCode).toBe(429);
    const internal = errorResponse(new TypeError('secret detail'), 'r');
    expect(internal.statusCode).toBe(500);
    expect(String(internal.body)).not.toContain('secret detail');
  });
});

describe('ssm-contacts error responses (awsJson1_1, no @httpError in the model)', () => {
  it('answer every client error with 400 and the one server fault with 500', () => {
    const clientErrors = [
      new ValidationError('bad', 'Alias'),
      new ResourceNotFoundError('gone', 'CONTACT', 'arn:x'),
      new ConflictError('in use', 'CONTACT', 'arn:x'),
      new ServiceQuotaExceededError('too many', 'quota'),
      new AccessDeniedError('no'),
      new ThrottlingError('slow down'),
      Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
    ];
    for (const error of clientErrors) expect(contactsErrorResponse(error, 'r').statusCode).toBe(400);
    const internal = contactsErrorResponse(new TypeError('secret detail'), 'r');
    expect(internal.statusCode).toBe(500);
    expect(internal.headers?.['x-amzn-errortype']).toBe('InternalServerException');
  });
});
