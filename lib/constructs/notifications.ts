/**
 * Telling people and systems what happened, and letting responders act from Slack:
 *
 * - the NOTIFIER, the table stream's second reader (a ChangeStreamConsumer: batch item failures, bisection, retries,
 *   a dead-letter queue with an alarm): SNS notifications to the incident's targets and chat channel, and an
 *   integration event per change on EventBridge. It may publish only to the topics the operator allows
 *   (`notificationTopicArns`, see README) and put events only on its bus;
 * - the BUS: the account's default bus, one the stack creates, or an existing one (`eventBus`);
 * - the SLACK COMMAND (only when `slackCommands` is configured): a function behind a function URL (Slack cannot sign
 *   with SigV4; every request is verified with the signing secret instead), which reads the signing secret from
 *   Secrets Manager (created here, or an existing one) and may invoke itself asynchronously for deferred commands.
 *
 * Each grant is made together with the environment variable that names what it grants (as DataTable.bindTo does).
 */
import { Annotations, CfnOutput, Duration, Token, Validations } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { parseChatAuthorization } from '#core/chat/authorization.ts';
import type { LogLevel } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';
import { STREAM_CONSUMERS } from '#runtime/stream-consumers.ts';
import { ChangeStreamConsumer } from './change-stream-consumer.ts';
import type { DataTable } from './data-table.ts';
import type { EngagementWorkflow } from './engagement-workflow.ts';
import { NodeFunction } from './node-function.ts';

export interface SlackCommandsProps {
  /** Who may run which command, as JSON (lambdas/core/chat/authorization.ts; docs/chat.md). */
  readonly config: string;
  /** An existing secret holding the signing secret. @default a secret created here (put the value after deploying) */
  readonly signingSecret?: ISecret;
  /** The slash command's name, as registered in the Slack app. @default '/incident' */
  readonly command?: string;
}

export interface NotificationsProps {
  readonly data: DataTable;
  /** Paging: `ack` from Slack acknowledges pages, which stops paging workflows. */
  readonly engagements: EngagementWorkflow;
  /**
   * The SNS topics the notifier may publish to: ARNs, IAM wildcards allowed in the Region, account and name
   * (`arn:aws:sns:*:111122223333:incident-*`). Topics of the incidents' notification targets and chat channels that
   * are not covered here are refused by IAM (logged, retried, dead-lettered). @default none
   */
  readonly topicArns?: string[];
  /** Where integration events go: a bus, or 'create' for one of the stack's own. @default the default bus */
  readonly eventBus?: IEventBus | 'create';
  /** The web console's URL (its root), linked from notifications and chat replies. */
  readonly consoleUrl?: string;
  /** The Slack slash command. @default none (no public endpoint) */
  readonly slack?: SlackCommandsProps;
  readonly logLevel?: LogLevel;
}

/** The cdk context keys of the settings (`npx cdk deploy -c notificationTopicArns=...`). */
export const NOTIFICATIONS_CONTEXT_KEYS = {
  topicArns: 'notificationTopicArns',
  eventBus: 'eventBus',
  consoleUrl: 'consoleUrl',
  slackCommands: 'slackCommands',
  slackSigningSecretArn: 'slackSigningSecretArn',
  chatCommand: 'chatCommand',
} as const;

const SNS_TOPIC_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):sns:([a-z0-9-]+|\*):(\d{12}|\*):[\w*-]+(\.fifo)?$/;

/** `a,b` or `["a","b"]` (a context value given on the command line or in cdk.json). */
const listOf = (value: unknown): string[] => {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  if (text.startsWith('[')) return (JSON.parse(text) as unknown[]).map(String);
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
};

/** The props given as cdk context (see the README: "Notifications, events and chat"). */
export function notificationsPropsFromContext(
  scope: Construct,
): Omit<NotificationsProps, 'data' | 'engagements'> & { eventBusName?: string } {
  const get = (key: string): unknown => scope.node.tryGetContext(key);
  const bus = get(NOTIFICATIONS_CONTEXT_KEYS.eventBus);
  const slack = get(NOTIFICATIONS_CONTEXT_KEYS.slackCommands);
  const consoleUrl = get(NOTIFICATIONS_CONTEXT_KEYS.consoleUrl);
  const command = get(NOTIFICATIONS_CONTEXT_KEYS.chatCommand);
  const secretArn = get(NOTIFICATIONS_CONTEXT_KEYS.slackSigningSecretArn);
  return {
    topicArns: listOf(get(NOTIFICATIONS_CONTEXT_KEYS.topicArns)),
    ...(bus === 'create'
      ? { eventBus: 'create' as const }
      : bus && bus !== 'default'
        ? { eventBusName: String(bus) }
        : {}),
    ...(consoleUrl ? { consoleUrl: String(consoleUrl) } : {}),
    ...(slack
      ? {
          slack: {
            config: typeof slack === 'string' ? slack : JSON.stringify(slack),
            ...(command ? { command: String(command) } : {}),
            ...(secretArn
              ? {
                  signingSecret: Secret.fromSecretCompleteArn(
                    scope,
                    'SlackSigningSecretFromContext',
                    String(secretArn),
                  ),
                }
              : {}),
          },
        }
      : {}),
  };
}

export class Notifications extends Construct {
  public readonly notifier: ChangeStreamConsumer;
  public readonly eventBus: IEventBus;
  /** The Slack command's function, URL and signing secret (when configured). */
  public readonly slackCommands?: { handler: NodeFunction; url: FunctionUrl; signingSecret: ISecret };

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);

    this.notifier = new ChangeStreamConsumer(this, 'Notifier', {
      data: props.data,
      entry: 'lambdas/functions/notifier.ts',
      description:
        'Tells the world about committed incident changes: SNS notifications to targets and chat channels, integration events on EventBridge',
      spec: STREAM_CONSUMERS.notifier,
      logLevel: props.logLevel,
      // Records of one incident share a partition key and stay in order; different incidents are told in parallel.
      parallelizationFactor: 4,
      // Once created, the subscription resumes where it stopped; LATEST only keeps the first deploy from announcing
      // the last 24 hours of changes again.
      startingPosition: StartingPosition.LATEST,
    });
    const notifier = this.notifier.handler.function;

    // SNS: only the topics the operator allows.
    const topics = props.topicArns ?? [];
    for (const topic of topics)
      if (!Token.isUnresolved(topic) && !SNS_TOPIC_PATTERN.test(topic))
        throw new Error(`Notifications (${this.node.path}): not an SNS topic ARN (pattern): ${topic}`);
    if (topics.length) {
      notifier.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: topics }));
      for (const pattern of topics.filter((t) => t.includes('*')))
        Validations.of(this.notifier.handler.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${pattern}]`,
          reason: `sns:Publish on a topic pattern the operator allowed in the ${NOTIFICATIONS_CONTEXT_KEYS.topicArns} setting; the action itself is not a wildcard.`,
        });
    } else {
      Annotations.of(this).addWarningV2(
        'open-incident-manager:no-notification-topics',
        `No SNS topic may receive notifications: set -c ${NOTIFICATIONS_CONTEXT_KEYS.topicArns}=<topic ARN or pattern,...> (README: Notifications, events and chat).`,
      );
    }

    // EventBridge: one bus, PutEvents on it alone.
    this.eventBus =
      props.eventBus === 'create'
        ? new EventBus(this, 'Bus', {
            description: 'Open Incident Manager: incident, timeline, engagement and page events',
          })
        : (props.eventBus ?? EventBus.fromEventBusName(this, 'DefaultBus', 'default'));
    notifier.addToRolePolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
    );
    notifier.addEnvironment(ENV.eventBusName, this.eventBus.eventBusArn);
    if (props.consoleUrl) notifier.addEnvironment(ENV.consoleUrl, props.consoleUrl);
    if (props.slack?.command) notifier.addEnvironment(ENV.chatCommand, props.slack.command);

    if (props.slack) this.slackCommands = this.slackCommandsFunction(props, props.slack);

    new CfnOutput(this, 'EventBusArn', {
      description:
        'Integration events (source open-incident-manager) go to this bus: add rules for Jira, ServiceNow...',
      value: this.eventBus.eventBusArn,
    });
    new CfnOutput(this, 'NotifierRoleArn', {
      description:
        'The role that publishes notifications: allow it sns:Publish in the policy of topics in other accounts',
      value: this.notifier.handler.role.roleArn,
    });
    new CfnOutput(this, 'NotifierDeadLetterQueueUrl', {
      description:
        'Changes the notifier failed on after its retries (a refused topic or bus): see docs/notifications.md',
      value: this.notifier.deadLetterQueue.queueUrl,
    });
  }

  private slackCommandsFunction(props: NotificationsProps, slack: SlackCommandsProps) {
    // Fail synth on a configuration mistake rather than refuse every command at 3 a.m.
    try {
      parseChatAuthorization(slack.config);
    } catch (error) {
      throw new Error(
        `Notifications (${this.node.path}): ${NOTIFICATIONS_CONTEXT_KEYS.slackCommands}: ${(error as Error).message}`,
      );
    }
    const handler = new NodeFunction(this, 'SlackCommands', {
      entry: 'lambdas/functions/slack-commands.ts',
      description:
        'Slack slash command: verifies Slack signatures, authorizes, runs incident commands as the Slack user',
      logLevel: props.logLevel,
      // More memory is more CPU: a cold start must still answer within Slack's three seconds.
      memorySize: 1024,
      timeout: Duration.seconds(30),
      environment: {
        [ENV.slackCommandsConfig]: slack.config,
        ...(slack.command ? { [ENV.chatCommand]: slack.command } : {}),
        ...(props.consoleUrl ? { [ENV.consoleUrl]: props.consoleUrl } : {}),
      },
    });
    const fn = handler.function;
    props.data.bindTo(fn);
    props.engagements.bindTo(fn);

    const signingSecret =
      slack.signingSecret ??
      new Secret(this, 'SlackSigningSecret', {
        description:
          'The Slack app signing secret (Basic Information > App Credentials). Put the real value after deploying; ' +
          'JSON {"signingSecret","previousSigningSecret"} during a rotation.',
        generateSecretString: { passwordLength: 32, excludePunctuation: true },
      });
    if (!slack.signingSecret)
      Validations.of(signingSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The Slack signing secret is issued and rotated by Slack (app settings), not by a rotation Lambda; during a ' +
          'rotation the secret holds both values (docs/chat.md).',
      });
    signingSecret.grantRead(fn);
    fn.addEnvironment(ENV.slackSigningSecretArn, signingSecret.secretArn);

    // Deferred commands: the function invokes itself asynchronously (a separate policy: the function's own ARN in
    // its default policy would make the function depend on itself).
    new Policy(this, 'SlackCommandsSelfInvoke', {
      statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })],
    }).attachToRole(handler.role);

    // Slack cannot sign requests with SigV4: the URL is public and every request is verified with the signing
    // secret before anything else happens (handlers/slack-commands.ts).
    const url = fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    new CfnOutput(this, 'SlackCommandUrl', {
      description: 'Request URL of the Slack slash command (Slack app > Slash Commands)',
      value: url.url,
    });
    new CfnOutput(this, 'SlackSigningSecretArn', {
      description: 'Put the Slack app signing secret here (aws secretsmanager put-secret-value --secret-id <arn> ...)',
      value: signingSecret.secretArn,
    });
    return { handler, url, signingSecret };
  }
}
