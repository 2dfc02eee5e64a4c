/** Environment variable names, shared by the CDK constructs that set them and the runtime that reads them. */
export const ENV = {
  tableName: 'TABLE_NAME',
  accountId: 'ACCOUNT_ID',
  /** Set by Lambda itself in AWS; set by the local runtime. */
  region: 'AWS_REGION',
  partition: 'AWS_PARTITION',
  /** Only set locally: DynamoDB Local's URL. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** How long a clientToken is remembered, in hours (default 24). */
  idempotencyWindowHours: 'IDEMPOTENCY_WINDOW_HOURS',
  logLevel: 'LOG_LEVEL',
  /**
   * Message delivery (lib/constructs/message-delivery.ts sets them; lambdas/adapters/messaging/create-sender.ts reads
   * them). A channel type whose variables are unset has its messages written to the function's log instead.
   * EMAIL via Amazon SES v2: the From address (a verified identity, or an address of a verified domain).
   */
  emailFromAddress: 'EMAIL_FROM_ADDRESS',
  /** Optional: the SES identity ARN to send as (FromEmailAddressIdentityArn; needed for an identity shared by another account). */
  emailIdentityArn: 'EMAIL_IDENTITY_ARN',
  /** Optional: the SES configuration set name (event publishing: deliveries, bounces, complaints). */
  emailConfigurationSet: 'EMAIL_CONFIGURATION_SET',
  /** SMS via AWS End User Messaging SMS and voice v2: the origination identity (phone number / pool / sender ID, ID or ARN). */
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
  /** VOICE via AWS End User Messaging SMS and voice v2: the voice-capable origination phone number (or pool), ID or ARN. */
  voiceOriginationNumber: 'VOICE_ORIGINATION_NUMBER',
  /** Optional: the End User Messaging configuration set (name or ARN) for SMS and VOICE. */
  messagingConfigurationSet: 'MESSAGING_CONFIGURATION_SET',
  /** The engagement state machine (paging workflow) that StartEngagement, StartIncident and StopEngagement drive. */
  engagementStateMachineArn: 'STATE_MACHINE_ARN',
  /** The CloudWatch namespace of Incident Manager's response metrics (default IncidentManager). */
  responseMetricsNamespace: 'RESPONSE_METRICS_NAMESPACE',
  /** `true`: Powertools Tracer adds X-Ray subsegments for handlers and AWS SDK calls (the detailedTracing context). */
  detailedTracing: 'DETAILED_TRACING',
  /** The runbook state machine that the runbook starter (a domain-event consumer) starts. */
  runbookStateMachineArn: 'RUNBOOK_STATE_MACHINE_ARN',
  /**
   * Notifications and chat (lib/constructs/notifications.ts sets them). The web console's URL (its root), linked from
   * notifications and chat replies; unset: no links.
   */
  consoleUrl: 'CONSOLE_URL',
  /** The EventBridge bus integration events go to (name or ARN); unset: none are put. */
  eventBusName: 'EVENT_BUS_NAME',
  /** The Slack slash command (default `/incident`), as named in help texts and notifications. */
  chatCommand: 'CHAT_COMMAND',
  /** The Secrets Manager secret holding the Slack signing secret (its ARN; never the secret itself). */
  slackSigningSecretArn: 'SLACK_SIGNING_SECRET_ARN',
  /** Who may run which chat command, as JSON (lambdas/core/chat/authorization.ts). */
  slackCommandsConfig: 'SLACK_COMMANDS_CONFIG',
  /** Local runtime only: how many times faster than real time paging runs (60 = a plan minute takes a second). */
  timeScale: 'LOCAL_TIME_SCALE',
  /** Where acknowledge links point (the API endpoint that serves `/ack`); set together with the key. */
  acknowledgeLinkUrl: 'ACKNOWLEDGE_LINK_URL',
  /** The KMS HMAC key that signs (worker) and verifies (link function) acknowledge links. */
  acknowledgeLinkKeyArn: 'ACKNOWLEDGE_LINK_KEY_ARN',
  /** `true` when two-way SMS delivers replies to this stack (SMS pages then say "reply with the code"). */
  smsReplies: 'SMS_REPLIES_ENABLED',
} as const;
