/**
 * The management API: an API Gateway HTTP API with one route per entry of the shared route table
 * (lambdas/http/routes.ts), every route IAM-authorized (SigV4, signing name `execute-api`). One Lambda per API
 * surface: the ssm-incidents operations (one route each, plus `$default`), ssm-contacts (`POST /`, dispatched by
 * `X-Amz-Target` inside its function) and the post-incident analysis extension (one route per operation).
 */
import { Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_ROUTES, type ApiFunction, apiGatewayPath } from '#http/routes.ts';
import type { LogLevel } from '#runtime/config.ts';
import type { DataTable } from './data-table.ts';
import { NodeFunction } from './node-function.ts';

export interface IncidentsApiProps {
  readonly data: DataTable;
  /** Default route throttling of the stage. @default { burstLimit: 200, rateLimit: 100 } */
  readonly throttle?: { readonly burstLimit: number; readonly rateLimit: number };
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
}

/** One JSON object per request: who called (IAM identity), which route, and how it ended. */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationErrorMessage: '$context.integrationErrorMessage',
};

export class IncidentsApi extends Construct {
  /** The ssm-incidents function (also behind `$default`, so unknown paths get its ValidationException). */
  public readonly handler: NodeFunction;
  /** The ssm-contacts function, behind `POST /`. */
  public readonly contactsHandler: NodeFunction;
  /** The post-incident analysis function (templates, analyses, action items, key figures, response metrics). */
  public readonly analysisHandler: NodeFunction;
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  public readonly accessLogs: LogGroup;
  /** Routes by operation name, `SSMContacts` for `POST /` (the `$default` route is `httpApi`'s `DefaultRoute` child). */
  public readonly routes: Readonly<Record<string, HttpRoute>>;

  constructor(scope: Construct, id: string, props: IncidentsApiProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.handler = new NodeFunction(this, 'Function', {
      entry: 'lambdas/functions/incidents-api.ts',
      description: 'ssm-incidents API operations',
      logLevel: props.logLevel,
    });
    props.data.bindTo(this.handler.function);
    this.contactsHandler = new NodeFunction(this, 'ContactsFunction', {
      entry: 'lambdas/functions/contacts-api.ts',
      description: 'ssm-contacts API operations (contacts, channels, rotations)',
      logLevel: props.logLevel,
    });
    props.data.bindTo(this.contactsHandler.function);
    this.analysisHandler = new NodeFunction(this, 'AnalysisFunction', {
      entry: 'lambdas/functions/analysis-api.ts',
      description: 'Post-incident analysis API (templates, analyses, action items, response metrics)',
      logLevel: props.logLevel,
    });
    props.data.bindTo(this.analysisHandler.function);
    // CreateAnalysis copies the incident's timeline with BatchWriteItem; DeleteAnalysis and DeleteAnalysisTemplate
    // remove items with it.
    props.data.grantBulkWrites(this.analysisHandler.function);

    // One API-scoped invoke permission per function instead of one per route (33 statements would crowd the 20 KB
    // policy limit).
    const integration = new HttpLambdaIntegration('Lambda', this.handler.function, { scopePermissionToRoute: false });
    const integrations: Record<ApiFunction, HttpLambdaIntegration> = {
      incidentsApi: integration,
      contactsApi: new HttpLambdaIntegration('ContactsLambda', this.contactsHandler.function, {
        scopePermissionToRoute: false,
      }),
      analysisApi: new HttpLambdaIntegration('AnalysisLambda', this.analysisHandler.function, {
        scopePermissionToRoute: false,
      }),
    };
    // IAM on every route: the API's default authorizer (which the `$default` route takes) and named on each route too.
    const iam = new HttpIamAuthorizer();

    this.httpApi = new HttpApi(this, 'HttpApi', {
      // Derived from the stack name (not hard-coded) so side-by-side copies are told apart in the console.
      apiName: `${stack.stackName}-ssm-incidents`,
      description: 'AWS Systems Manager Incident Manager (ssm-incidents and ssm-contacts) compatible API',
      defaultAuthorizer: iam,
      // Unknown paths reach the service too, so callers get its own ValidationException rather than a bare 404.
      defaultIntegration: integration,
      // The stage is declared below, with access logging and throttling that HttpApi's default stage cannot take.
      createDefaultStage: false,
    });

    const routes: Record<string, HttpRoute> = {};
    for (const spec of API_ROUTES) {
      routes[spec.operation] = new HttpRoute(this.httpApi, spec.operation, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(apiGatewayPath(spec), HttpMethod[spec.method]),
        integration: integrations[spec.function],
        authorizer: iam,
      });
    }
    this.routes = routes;

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const throttle = props.throttle ?? { burstLimit: 200, rateLimit: 100 };
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      // `$default`: the SDK's endpoint is then the bare API URL, with no stage prefix in its paths.
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
  }

  /** The endpoint an SDK client is configured with (`endpoint`), e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/ */
  get url(): string {
    return this.stage.url;
  }
}
