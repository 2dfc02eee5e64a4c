/**
 * The one way this project deploys a Lambda: Node.js 24 on ARM64, an ESM bundle built by the local esbuild (no
 * Docker), its own role (no AWS managed policy) and its own log group with a retention period.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LogLevel } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';

/** The repository root: esbuild resolves package.json `imports` (`#core/*`, ...) and the lock file from here. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeFunctionProps {
  /** Entry file, relative to the repository root (e.g. `lambdas/functions/incidents-api.ts`). */
  readonly entry: string;
  readonly description?: string;
  /** Variables besides the base ones every function gets (account, partition, log level). */
  readonly environment?: Record<string, string>;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default 512 (MB): more memory also buys CPU, which shortens cold starts of the bundled SDK. */
  readonly memorySize?: number;
  /** @default 15 seconds: under the HTTP API's 30-second integration limit, above DynamoDB retries. */
  readonly timeout?: Duration;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** Caps (and reserves) concurrent executions, for functions anyone on the internet can invoke. @default none */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Why other statements of this function's role need Resource "*" besides X-Ray's (only for actions that support no
   * resource-level permissions); added to the role's one acknowledgement of that finding.
   */
  readonly otherWildcardResources?: string;
}

export class NodeFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);

    // An explicit log group (rather than Lambda's implicit one) so retention is set and the group is in the stack.
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });

    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Handler', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(15),
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      // The base configuration every handler's loadConfig() needs; the rest is bound by the constructs that grant
      // what it names (DataTable.bindTo sets TABLE_NAME, EngagementWorkflow.bindTo STATE_MACHINE_ARN, ...).
      environment: {
        // The ARNs the services mint carry this account and partition (ssm-contacts ARNs also the Region, which
        // Lambda sets).
        [ENV.accountId]: Stack.of(this).account,
        [ENV.partition]: Stack.of(this).partition,
        [ENV.logLevel]: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // Bundled CommonJS dependencies still call require(); ESM has none, so give them one.
        banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
        target: 'node24',
        minify: true,
        // Source maps ship in the asset for debugging; NODE_OPTIONS=--enable-source-maps is deliberately not set
        // because it slows every stack trace (and so every error response) at run time.
        sourceMap: true,
        // Bundle the SDK versions pinned in package-lock.json instead of the runtime's (unpinned) copy, so the
        // deployed code runs exactly the SDK the tests ran.
        externalModules: [],
      },
    });

    // Tracing.ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*" to this role's default policy.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource "*" only where no resource-level permission exists: the X-Ray statement that Tracing.ACTIVE adds ' +
        '(xray:PutTraceSegments, xray:PutTelemetryRecords)' +
        (props.otherWildcardResources ? `, and ${props.otherWildcardResources}` : '') +
        '. Table and log permissions name their ARNs.',
    });
  }
}
