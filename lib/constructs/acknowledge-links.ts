/**
 * Acknowledge links of email pages, in AWS: `GET /ack` (a confirmation page) and `POST /ack` (the acknowledgement) on
 * the API's own endpoint, the only routes without SigV4, because a responder's browser cannot sign. The signed token
 * in the link is the only credential (lambdas/core/contacts/engagements/ack-links.ts):
 *
 * - an AWS KMS HMAC key (HMAC_256, GENERATE_VERIFY_MAC) signs and verifies; it never leaves KMS. The engagement worker
 *   may only GenerateMac (`grantSigningTo`), the link function may only VerifyMac;
 * - the link function has its own role: the table (to read the page and record the acknowledgement) and
 *   StopExecution (an essential acknowledgement stops the incident's other paging), nothing else; it cannot sign;
 * - its concurrency is capped, so a flood of requests to the public route can cost neither money nor the account's
 *   concurrency; the API's stage throttling applies as to every route;
 * - the stage's access log records the path, never the query string, so tokens stay out of logs.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ACKNOWLEDGE_LINK_PATH } from '#core/contacts/engagements/ack-links.ts';
import type { LogLevel } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';
import type { DataTable } from './data-table.ts';
import type { EngagementWorkflow } from './engagement-workflow.ts';
import { NodeFunction } from './node-function.ts';

export interface AcknowledgeLinksProps {
  readonly data: DataTable;
  readonly engagements: EngagementWorkflow;
  /** The API the routes are added to. */
  readonly httpApi: HttpApi;
  /** The API's endpoint (links point there). */
  readonly apiUrl: string;
  /** The web console's base URL, for the links on the confirmation pages and in emails. */
  readonly consoleUrl?: string;
  /** @default 10 */
  readonly maxConcurrency?: number;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
}

export class AcknowledgeLinks extends Construct {
  public readonly key: Key;
  public readonly handler: NodeFunction;
  public readonly routes: readonly HttpRoute[];
  private readonly apiUrl: string;
  private readonly consoleUrl?: string;

  constructor(scope: Construct, id: string, props: AcknowledgeLinksProps) {
    super(scope, id);
    this.apiUrl = props.apiUrl;
    if (props.consoleUrl) this.consoleUrl = props.consoleUrl;

    this.key = new Key(this, 'Key', {
      description: 'Signs the acknowledge links of email pages (HMAC-SHA-256)',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      // Links live an hour: a key deleted with the stack breaks nothing that matters.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.handler = new NodeFunction(this, 'Function', {
      entry: 'lambdas/functions/page-links.ts',
      description: 'Acknowledge links of email pages (GET confirms, POST acknowledges once)',
      logLevel: props.logLevel,
      reservedConcurrentExecutions: props.maxConcurrency ?? 10,
    });
    const fn = this.handler.function;
    props.data.bindTo(fn);
    props.engagements.bindTo(fn, { stopOnly: true });
    this.key.grant(fn, 'kms:VerifyMac');
    this.tellLinks(fn);

    const integration = new HttpLambdaIntegration('Lambda', fn, { scopePermissionToRoute: false });
    const none = new HttpNoneAuthorizer();
    this.routes = [HttpMethod.GET, HttpMethod.POST].map(
      (method) =>
        new HttpRoute(this, `${method}Route`, {
          httpApi: props.httpApi,
          routeKey: HttpRouteKey.with(ACKNOWLEDGE_LINK_PATH, method),
          integration,
          authorizer: none,
        }),
    );
    for (const route of this.routes)
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          "Acknowledge links are opened by a responder's browser, which cannot sign SigV4: the route is public by " +
          "design and the link's HMAC-signed, page-bound, expiring token (verified in KMS) is the credential. GET " +
          'changes nothing; the POST acknowledges one page once. Every other route of the API keeps IAM authorization.',
      });
  }

  private tellLinks(fn: LambdaFunction) {
    fn.addEnvironment(ENV.acknowledgeLinkUrl, this.apiUrl);
    fn.addEnvironment(ENV.acknowledgeLinkKeyArn, this.key.keyArn);
    if (this.consoleUrl) fn.addEnvironment(ENV.consoleUrl, this.consoleUrl);
  }

  /** Lets a function put acknowledge links into email pages: the link settings and kms:GenerateMac on the key. */
  grantSigningTo(fn: LambdaFunction): void {
    this.tellLinks(fn);
    this.key.grant(fn, 'kms:GenerateMac');
  }
}
