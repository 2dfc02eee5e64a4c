/**
 * The one way this project deploys a Lambda: Node.js 24 on ARM64, an ESM bundle with code splitting built by the
 * local esbuild (no Docker; lambda-bundle.ts), its own role (no AWS managed policy) and its own log group with a
 * retention period. Source maps ride along only when asked for (`-c sourceMaps=true`), with
 * `NODE_OPTIONS=--enable-source-maps`; otherwise stack traces point into minified code and cost nothing.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LogLevel } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';
import { buildLambdaBundle } from './lambda-bundle.ts';

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
  public readonly function: LambdaFunction;
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

    const sourceMap =
      this.node.tryGetContext('sourceMaps') === true || this.node.tryGetContext('sourceMaps') === 'true';
    const entry = join(PROJECT_ROOT, props.entry);
    const detailedTracing = [true, 'true'].includes(this.node.tryGetContext('detailedTracing'));
    this.function = new LambdaFunction(this, 'Handler', {
      code: Code.fromAsset(PROJECT_ROOT, {
        // Hash what was built, not the project folder.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: local bundling always succeeds (esbuild is a devDependency).
          image: DockerImage.fromRegistry('public.ecr.aws/lambda/nodejs:24'),
          // CDK caches staged assets by source path and bundling options, and the local bundler (a function) is not
          // part of that key: without the entry here, every function would get the first one's bundle.
          environment: { ENTRY: props.entry, SOURCE_MAPS: String(sourceMap) },
          local: {
            tryBundle(outputDir) {
              buildLambdaBundle({ entry, outdir: outputDir, sourceMap });
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
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
        ...(sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...(detailedTracing ? { [ENV.detailedTracing]: 'true' } : {}),
        ...props.environment,
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
