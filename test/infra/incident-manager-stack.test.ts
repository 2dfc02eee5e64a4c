/**
 * What a deployer of the stack relies on, read from the synthesized template: every API route IAM-authorized, the
 * table durable and shaped like table-schema.ts, the Lambda on Node 24/ARM64 with least-privilege access.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ANALYSIS_ROUTES,
  API_ROUTES,
  apiGatewayPath,
  CONTACTS_OPERATION_NAMES,
  EXTENSION_ROUTES,
  INCIDENTS_ROUTES,
} from '../../lambdas/http/routes.ts';
import {
  INDEXES,
  KEY_ATTRIBUTES,
  LOCAL_INDEXES,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '../../lambdas/runtime/table-schema.ts';
import { SKIP_TABLE_INDEXES_CONTEXT_KEY, TABLE_LOGICAL_ID } from '../../lib/constructs/data-table.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';
import { defaultStack } from '../support/default-stack.ts';

type Resource = {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, Resource] => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
/** The API's functions by the route table's name (the stack also holds the trigger intake's, tested elsewhere). */
const FUNCTION_ID_PREFIX = {
  incidentsApi: 'IncidentsApiFunction',
  contactsApi: 'IncidentsApiContactsFunction',
  analysisApi: 'IncidentsApiAnalysisFunction',
} as const;
const apiFunction = (name: keyof typeof FUNCTION_ID_PREFIX = 'incidentsApi'): [string, Resource] => {
  const found = ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith(FUNCTION_ID_PREFIX[name]));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const API_FUNCTIONS = Object.keys(FUNCTION_ID_PREFIX) as (keyof typeof FUNCTION_ID_PREFIX)[];
/** The acknowledge links' routes: outside the route table, public by design (test/infra/acknowledging-pages.test.ts). */
const ACKNOWLEDGE_LINK_ROUTES = ['GET /ack', 'POST /ack'];

/** Every statement of every identity policy in the stack (managed, inline on roles, AWS::IAM::Policy). */
const identityStatements = (): Statement[] => [
  ...ofType('AWS::IAM::Policy').flatMap(([, r]) => r.Properties!.PolicyDocument.Statement as Statement[]),
  ...ofType('AWS::IAM::ManagedPolicy').flatMap(([, r]) => r.Properties!.PolicyDocument.Statement as Statement[]),
  ...ofType('AWS::IAM::Role').flatMap(([, r]) =>
    ((r.Properties!.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
      (p) => p.PolicyDocument.Statement,
    ),
  ),
];

beforeAll(() => {
  ({ template, resources } = defaultStack());
});

describe('HTTP API', () => {
  const routeKeys = () => ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!.RouteKey as string);

  it('declares one route per entry of the shared route table (each ssm-incidents and analysis operation, ssm-contacts POST / and one route per ssm-contacts operation), and a $default route', () => {
    const expected = API_ROUTES.map((spec) => `${spec.method} ${apiGatewayPath(spec)}`);
    expect(routeKeys().sort()).toEqual([...expected, '$default', ...ACKNOWLEDGE_LINK_ROUTES].sort());
    expect(expected).toContain('GET /tags/{resourceArn+}');
    expect(expected).toContain('POST /');
    expect(expected).toContain('POST /createAnalysis');
    expect(expected).toContain('GET /getAnalysis');
    expect(expected).toContain('POST /getIncidentRunbooks');
    expect(expected).toContain('POST /ssm-contacts/DeleteContact');
    expect(expected).toHaveLength(
      INCIDENTS_ROUTES.length + EXTENSION_ROUTES.length + ANALYSIS_ROUTES.length + 1 + CONTACTS_OPERATION_NAMES.length,
    );
  });

  it('requires IAM (SigV4) authorization on every route, $default included', () => {
    for (const [id, route] of ofType('AWS::ApiGatewayV2::Route')) {
      if (ACKNOWLEDGE_LINK_ROUTES.includes(route.Properties!.RouteKey)) continue;
      expect(route.Properties!.AuthorizationType, `${id} ${route.Properties!.RouteKey}`).toBe('AWS_IAM');
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'AWS_IAM' });
  });

  it('sends each route to the Lambda the route table names, with the v2 payload ($default to the ssm-incidents one)', () => {
    const integrations = ofType('AWS::ApiGatewayV2::Integration');
    expect(integrations).toHaveLength(API_FUNCTIONS.length + 1); // + the acknowledge links' function
    const integrationOf = (name: keyof typeof FUNCTION_ID_PREFIX) => {
      const [functionId] = apiFunction(name);
      const found = integrations.filter(([, r]) => JSON.stringify(r.Properties!.IntegrationUri).includes(functionId));
      expect(found, name).toHaveLength(1);
      expect(found[0]![1].Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      return found[0]![0];
    };
    const routeKeyOf = (spec: (typeof API_ROUTES)[number]) => `${spec.method} ${apiGatewayPath(spec)}`;
    const expected = new Map<string, string>([
      ...API_ROUTES.map((spec) => [routeKeyOf(spec), integrationOf(spec.function)] as [string, string]),
      ['$default', integrationOf('incidentsApi')],
    ]);
    for (const [, route] of ofType('AWS::ApiGatewayV2::Route')) {
      const key = route.Properties!.RouteKey as string;
      if (ACKNOWLEDGE_LINK_ROUTES.includes(key)) continue;
      expect(JSON.stringify(route.Properties!.Target), key).toContain(expected.get(key));
    }
    expect(expected.get('POST /')).toBe(integrationOf('contactsApi'));
  });

  it('lets only this API invoke each API Lambda', () => {
    const [apiId] = only('AWS::ApiGatewayV2::Api');
    for (const name of API_FUNCTIONS) {
      const [functionId] = apiFunction(name);
      const permissions = ofType('AWS::Lambda::Permission').filter(([, r]) =>
        JSON.stringify(r.Properties!.FunctionName).includes(functionId),
      );
      expect(permissions, name).toHaveLength(1);
      const [, permission] = permissions[0]!;
      expect(permission.Properties!.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties!.SourceArn)).toContain(apiId);
    }
  });

  it('serves a $default stage that deploys itself, throttles by default and writes JSON access logs', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties!.StageName).toBe('$default');
    expect(stage.Properties!.AutoDeploy).toBe(true);
    expect(stage.Properties!.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });

    const [logGroupId] = ofType('AWS::Logs::LogGroup').find(
      ([id]) => stage.Properties!.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] === id,
    )!;
    expect(logGroupId).toBeDefined();
    const format = JSON.parse(stage.Properties!.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      caller: '$context.identity.caller',
      userArn: '$context.identity.userArn',
      httpMethod: '$context.httpMethod',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLength: '$context.responseLength',
      integrationErrorMessage: '$context.integrationErrorMessage',
    });
  });

  it('outputs the endpoint an SDK client is pointed at, the ARN callers are granted execute-api:Invoke on, and the table name', () => {
    const [apiId] = only('AWS::ApiGatewayV2::Api');
    const outputs = template.toJSON().Outputs;
    expect(JSON.stringify(outputs.ApiEndpoint.Value)).toContain(apiId);
    expect(JSON.stringify(outputs.ExecuteApiArn.Value)).toContain(apiId);
    expect(outputs.TableName.Value).toEqual({ Ref: TABLE_LOGICAL_ID });
  });
});

describe('DynamoDB table', () => {
  const table = () => resources[TABLE_LOGICAL_ID]!;

  it('keeps a pinned logical id, so refactoring the constructs never replaces the table', () => {
    expect(table().Type).toBe('AWS::DynamoDB::Table');
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(1);
  });

  it('survives stack deletion and accidental deletes, and can be restored to any second of the last 35 days', () => {
    expect(table().DeletionPolicy).toBe('Retain');
    expect(table().UpdateReplacePolicy).toBe('Retain');
    expect(table().Properties).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has a generated name, so two copies of the stack can share an account', () => {
    expect(table().Properties!.TableName).toBeUndefined();
  });

  it('has the keys and indexes of table-schema.ts, all string attributes', () => {
    const props = table().Properties!;
    expect(props.KeySchema).toEqual([
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining(KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(props.AttributeDefinitions).toHaveLength(KEY_ATTRIBUTES.length);
    expect(props.GlobalSecondaryIndexes).toEqual(
      Object.values(INDEXES).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection:
          index.projection.type === 'INCLUDE'
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
            : { ProjectionType: index.projection.type },
      })),
    );
    expect(props.LocalSecondaryIndexes).toEqual(
      Object.values(LOCAL_INDEXES).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('leaves out the indexes named in skipTableIndexes, so an existing table gains one global index per deploy', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], [SKIP_TABLE_INDEXES_CONTEXT_KEY]: 'gsi4' } });
    const tables = Template.fromStack(new IncidentManagerStack(app, 'Upgrade')).findResources('AWS::DynamoDB::Table');
    const [upgraded] = Object.values(tables) as Resource[];
    const names = (upgraded!.Properties!.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName);
    expect(names).toEqual(
      Object.values(INDEXES)
        .map((index) => index.name)
        .filter((name) => name !== 'gsi4'),
    );
  });

  it('expires idempotency records through TTL on the shared attribute', () => {
    expect(table().Properties!.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });
});

describe.each(API_FUNCTIONS)('API Lambda %s', (name) => {
  it('runs Node.js 24 on ARM64 with X-Ray tracing and its own log group', () => {
    const [, fn] = apiFunction(name);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
    });
    expect(resources[fn.Properties!.LoggingConfig.LogGroup.Ref]?.Type).toBe('AWS::Logs::LogGroup');
    expect(fn.Properties!.FunctionName).toBeUndefined();
  });

  it('is told the table, account and partition through the shared environment variable names', () => {
    const [, fn] = apiFunction(name);
    const variables = fn.Properties!.Environment.Variables;
    expect(variables).toMatchObject({
      TABLE_NAME: { Ref: TABLE_LOGICAL_ID },
      ACCOUNT_ID: { Ref: 'AWS::AccountId' },
      AWS_PARTITION: { Ref: 'AWS::Partition' },
    });
    // Source maps ship in the asset, but --enable-source-maps would slow every error path at run time.
    expect(variables.NODE_OPTIONS).toBeUndefined();
  });

  it('keeps every log group for a bounded time, under a generated name', () => {
    const logGroups = ofType('AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThanOrEqual(2);
    for (const [id, group] of logGroups) {
      expect(group.Properties?.RetentionInDays, id).toBeGreaterThan(0);
      // The one named group: Step Functions log delivery needs the /aws/vendedlogs/ prefix; the rest of its name is
      // generated from the construct path (with the stack's name), so two copies of the stack never share it.
      if (group.Properties?.LogGroupName !== undefined)
        expect(group.Properties.LogGroupName, id).toMatch(
          /^\/aws\/vendedlogs\/states\/Test-(Engagements|Runbooks)-[0-9A-F]{8}$/,
        );
    }
  });
});

describe('IAM', () => {
  const tableStatements = () =>
    identityStatements().filter((s) => JSON.stringify(s.Resource).includes(`"${TABLE_LOGICAL_ID}"`));

  const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
  const onStreamOnly = (s: Statement) =>
    JSON.stringify(s.Resource) === `{"Fn::GetAtt":["${TABLE_LOGICAL_ID}","StreamArn"]}`;

  it('grants the stream consumers reading the table stream, on the stream ARN only', () => {
    const streamStatements = tableStatements().filter((s) => asList(s.Action).some((a) => STREAM_READ.includes(a)));
    expect(streamStatements.length).toBeGreaterThan(0);
    for (const statement of streamStatements) {
      expect(onStreamOnly(statement)).toBe(true);
      expect(new Set(asList(statement.Action))).toEqual(new Set(STREAM_READ));
    }
  });

  it('grants the table only the item and query actions the adapter uses: no wildcard, no Scan', () => {
    const actions = tableStatements()
      .filter((s) => !onStreamOnly(s))
      .flatMap((s) => asList(s.Action));
    expect(new Set(actions)).toEqual(
      new Set([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:Query',
        'dynamodb:BatchWriteItem',
      ]),
    );
    for (const action of actions) expect(action).not.toContain('*');
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('grants BatchWriteItem to the analysis function alone (its timeline copy), on the table only', () => {
    const roleOf = (name: keyof typeof FUNCTION_ID_PREFIX) => apiFunction(name)[1].Properties!.Role['Fn::GetAtt'][0];
    const bulk = ofType('AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties!.PolicyDocument.Statement as Statement[]).some((s) =>
        asList(s.Action).includes('dynamodb:BatchWriteItem'),
      ),
    );
    expect(bulk.flatMap(([, p]) => p.Properties!.Roles.map((r: { Ref: string }) => r.Ref))).toEqual([
      roleOf('analysisApi'),
    ]);
    const statement = (bulk[0]![1].Properties!.PolicyDocument.Statement as Statement[]).find((s) =>
      asList(s.Action).includes('dynamodb:BatchWriteItem'),
    )!;
    expect(statement.Resource).toEqual({ 'Fn::GetAtt': [TABLE_LOGICAL_ID, 'Arn'] });
  });

  it("allows Query on each of the table's indexes by name, never index/*", () => {
    const resourcesText = JSON.stringify(tableStatements().map((s) => s.Resource));
    for (const index of [...Object.values(INDEXES), ...Object.values(LOCAL_INDEXES)]) {
      expect(resourcesText).toContain(`/index/${index.name}`);
    }
    expect(resourcesText).not.toContain('/index/*');
  });

  it('has no wildcard action anywhere, and Resource "*" only for X-Ray, log delivery, ListStreams and GetMetricData, which have no resource-level permissions', () => {
    // Step Functions' logging configuration needs these log-delivery actions on "*" (the engagement state machine).
    const logDelivery = new Set([
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    for (const statement of identityStatements()) {
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
      if (asList(statement.Resource).includes('*')) {
        expect(
          asList(statement.Action).every(
            // The console's roles draw metric graphs (lib/constructs/console.ts).
            (a) =>
              a.startsWith('xray:') ||
              logDelivery.has(a) ||
              a === 'dynamodb:ListStreams' ||
              a === 'cloudwatch:GetMetricData',
          ),
        ).toBe(true);
      }
    }
  });

  it("uses no AWS managed policies: a role's managed policies are only the stack's own access policies", () => {
    const ownPolicies = new Set(ofType('AWS::IAM::ManagedPolicy').map(([id]) => id));
    for (const [id, role] of ofType('AWS::IAM::Role'))
      for (const arn of role.Properties!.ManagedPolicyArns ?? []) expect(ownPolicies.has(arn.Ref), id).toBe(true);
  });
});
