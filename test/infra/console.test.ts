/**
 * The console's hosting and sign-in as a deployer relies on them, read from the synthesized template: the bucket is
 * private and reachable only through CloudFront's origin access control; CloudFront serves HTTPS only with a strict
 * CSP and the other security headers, and logs access; signed-in users get roles limited to execute-api:Invoke on
 * this API (the viewer role: read routes only); the API allows the console's origin and no other.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { iamPatternMatches, invokeResourcePath, routesOf } from '../../lambdas/http/access-roles.ts';
import { API_ROUTES } from '../../lambdas/http/routes.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';
import { defaultStack } from '../support/default-stack.ts';

type Resource = { Type: string; Properties?: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: any; Condition?: any };

let template: Template;
let resources: Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const text = (value: unknown) => JSON.stringify(value);
const policiesOf = (roleId: string): Statement[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => text(p.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as Statement[]);
const roleId = (prefix: string) => ofType('AWS::IAM::Role').find(([id]) => id.startsWith(prefix))![0];
/** The logical ids of the managed policies of this stack a role has. */
const managedPoliciesOf = (roleId: string): string[] =>
  (resources[roleId]!.Properties?.ManagedPolicyArns ?? []).map((arn: { Ref: string }) => arn.Ref);
/** `arn:…:execute-api:…:<api>/$default/GET/get*` → `$default/GET/get*`. */
const invokePathOf = (resource: unknown) => {
  const joined = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return String(joined.at(-1)).replace(/^\//, '');
};
const invokePathsOfPolicy = (policyId: string) =>
  (resources[policyId]!.Properties!.PolicyDocument.Statement as Statement[]).flatMap((s) =>
    asList(s.Resource).map(invokePathOf),
  );

beforeAll(() => {
  ({ template, resources } = defaultStack());
});

describe('console hosting', () => {
  it('keeps the files bucket private, TLS-only and reachable only by this distribution through OAC', () => {
    // Act
    const files = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('ConsoleFiles'))!;
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => text(p.Properties?.Bucket).includes(files[0]))!;
    const statements = policy[1].Properties!.PolicyDocument.Statement as Statement[];
    const [, oac] = only('AWS::CloudFront::OriginAccessControl');
    const [distributionId, distribution] = only('AWS::CloudFront::Distribution');

    // Assess
    expect(files[1].Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(files[1].Properties?.LoggingConfiguration?.LogFilePrefix).toBe('s3/');
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Principal)).toEqual([{ Service: 'cloudfront.amazonaws.com' }]);
    expect(text(allows[0]!.Condition)).toContain(distributionId);
    expect(statements.some((s) => s.Effect === 'Deny' && text(s.Condition).includes('aws:SecureTransport'))).toBe(true);
    expect(oac.Properties?.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const config = distribution.Properties!.DistributionConfig;
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  it('serves HTTPS only, with a strict CSP and the security headers, answers console routes with index.html and logs access', () => {
    // Act
    const config = only('AWS::CloudFront::Distribution')[1].Properties!.DistributionConfig;
    const headers = only('AWS::CloudFront::ResponseHeadersPolicy')[1].Properties!.ResponseHeadersPolicyConfig;
    const csp = text(headers.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);

    // Assess
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
    expect(config.Logging.Prefix).toBe('cloudfront/');
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses).toEqual([
      { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
      { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
    ]);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self';",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
    });
  });
});

describe('console sign-in and credentials', () => {
  it('signs in through the user pool only: no self sign-up, MFA required, authorization code flow, no unauthenticated identities', () => {
    // Act
    const [, pool] = only('AWS::Cognito::UserPool');
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const [, identities] = only('AWS::Cognito::IdentityPool');

    // Assess
    expect(pool.Properties?.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties?.MfaConfiguration).toBe('ON');
    expect(client.Properties?.AllowedOAuthFlows).toEqual(['code']);
    expect(client.Properties?.GenerateSecret).toBe(false);
    expect(identities.Properties?.AllowUnauthenticatedIdentities).toBe(false);
  });

  it("gives the responder role the API's admin policy (every route of this API), GetMetricData and runbook signals only", () => {
    // Act
    const responder = roleId('ConsoleResponderRole');
    const managed = managedPoliciesOf(responder);
    const trust = (resources[responder]!.Properties!.AssumeRolePolicyDocument.Statement as Statement[])[0]!;

    // Assess
    expect(policiesOf(responder).flatMap((s) => asList(s.Action))).toEqual([
      'cloudwatch:GetMetricData',
      'ssm:SendAutomationSignal',
    ]);
    const signals = policiesOf(responder).find((s) => asList(s.Action).includes('ssm:SendAutomationSignal'))!;
    expect(text(signals.Resource)).toContain(':automation-execution/*');
    expect(managed).toHaveLength(1);
    expect(managed[0]).toMatch(/^AccessPoliciesAdmin/);
    expect(invokePathsOfPolicy(managed[0]!)).toEqual(['$default/*']);
    expect(text(resources[managed[0]!]!.Properties!.PolicyDocument)).toContain('IncidentsApiHttpApi');
    expect(trust.Principal).toEqual({ Federated: 'cognito-identity.amazonaws.com' });
    expect(trust.Condition.StringEquals['cognito-identity.amazonaws.com:aud']).toEqual({
      Ref: expect.stringMatching(/^ConsoleIdentities/),
    });
    expect(trust.Condition['ForAnyValue:StringLike']['cognito-identity.amazonaws.com:amr']).toBe('authenticated');
  });

  it("gives the viewer role (by group) the API's viewer policy: of every route, exactly the reads", () => {
    // Act
    const viewer = roleId('ConsoleViewerRole');
    const managed = managedPoliciesOf(viewer);
    const [, group] = only('AWS::Cognito::UserPoolGroup');
    const patterns = invokePathsOfPolicy(managed[0]!);
    const reachable = API_ROUTES.map(invokeResourcePath).filter((route) =>
      patterns.some((pattern) => iamPatternMatches(pattern, route)),
    );

    // Assess
    expect(policiesOf(viewer).flatMap((s) => asList(s.Action))).toEqual(['cloudwatch:GetMetricData']);
    expect(managed).toHaveLength(1);
    expect(managed[0]).toMatch(/^AccessPoliciesViewer/);
    expect(reachable.sort()).toEqual(routesOf('viewer').map(invokeResourcePath).sort());
    for (const write of ['startIncident', 'updateIncidentRecord', 'deleteIncidentRecord', 'createResponsePlan'])
      expect(reachable.some((route) => route.endsWith(`/${write}`))).toBe(false);
    expect(reachable).not.toContain('$default/POST/');
    expect(group.Properties?.GroupName).toBe('viewers');
    expect(group.Properties?.RoleArn).toEqual({ 'Fn::GetAtt': [viewer, 'Arn'] });
  });

  it('maps roles by the token (group role), responders by default', () => {
    // Act
    const [, attachment] = only('AWS::Cognito::IdentityPoolRoleAttachment');

    // Assess
    expect(attachment.Properties?.Roles.authenticated).toEqual({
      'Fn::GetAtt': [roleId('ConsoleResponderRole'), 'Arn'],
    });
    expect(Object.values(attachment.Properties?.RoleMappings as object)[0]).toMatchObject({
      Type: 'Token',
      AmbiguousRoleResolution: 'AuthenticatedRole',
    });
  });
});

describe('the API and the console origin', () => {
  it("allows CORS from the console's CloudFront origin only, and prints the console URL", () => {
    // Act
    const [, api] = only('AWS::ApiGatewayV2::Api');
    const cors = api.Properties!.CorsConfiguration;
    const outputs = template.toJSON().Outputs;

    // Assess
    expect(cors.AllowOrigins).toHaveLength(1);
    expect(text(cors.AllowOrigins[0])).toMatch(/ConsoleDistribution.*DomainName/);
    expect(cors.AllowHeaders).toEqual(
      expect.arrayContaining(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']),
    );
    expect(text(outputs.ConsoleUrl.Value)).toMatch(/https:\/\/.*ConsoleDistribution.*DomainName/);
  });

  it('builds no console at all with console: false', () => {
    // Act
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const plain = Template.fromStack(new IncidentManagerStack(app, 'NoConsole', { console: false })).toJSON();

    // Assess
    expect(
      Object.values(plain.Resources as Record<string, Resource>).some((r) => r.Type.startsWith('AWS::CloudFront')),
    ).toBe(false);
    expect(plain.Outputs.ConsoleUrl).toBeUndefined();
  });
});
