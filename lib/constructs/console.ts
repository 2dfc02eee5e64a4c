/**
 * The web console in AWS: the built static files (console/dist) in a private S3 bucket behind CloudFront (origin
 * access control, HTTPS only, security headers with a strict Content-Security-Policy, access logs); sign-in with a
 * Cognito user pool (hosted sign-in page, authorization code + PKCE); and an identity pool that gives signed-in
 * users short-lived IAM credentials: the responder role (the API's admin policy), or the read-only viewer role for
 * members of the viewer group (the API's viewer policy). The console calls the API with SigV4 as `execute-api`, and the API
 * allows the console's origin (CORS) and no other.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, CustomResource, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  CfnIdentityPool,
  CfnIdentityPoolRoleAttachment,
  CfnUserPoolGroup,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Effect, FederatedPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import {
  CONSOLE_SECURITY_HEADERS,
  contentSecurityPolicy,
  STRICT_TRANSPORT_SECURITY,
} from '../../console/security-headers.ts';
import type { AccessPolicies } from './access-policies.ts';
import type { IncidentsApi } from './incidents-api.ts';
import { NodeFunction } from './node-function.ts';

export interface ConsoleProps {
  readonly api: IncidentsApi;
  /** The API's managed policies: viewers get `viewer`, everyone else `admin` (the console edits response plans). */
  readonly accessPolicies: AccessPolicies;
  /** The built console. @default console/dist (built by `npm run build:console`; the CDK app builds it when stale) */
  readonly directory: string;
  /**
   * Prefix of the Cognito sign-in domain (`https://<prefix>.auth.<region>.amazoncognito.com`), unique in the Region.
   * @default `<stack name, lower case>-<account id>`
   */
  readonly signInDomainPrefix?: string;
  /** Members of this Cognito group get the read-only viewer role. @default 'viewers' */
  readonly viewerGroupName?: string;
  /** Multi-factor authentication at sign-in. @default Mfa.REQUIRED (authenticator app) */
  readonly mfa?: Mfa;
  /** A custom domain for the console, with its certificate (us-east-1). @default the CloudFront domain */
  readonly domain?: { readonly names: string[]; readonly certificate: ICertificate };
}

/** Identity pools give role sessions this trust: web identities of this pool, signed in. */
const cognitoPrincipal = (identityPoolId: string) =>
  new FederatedPrincipal(
    'cognito-identity.amazonaws.com',
    {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    },
    'sts:AssumeRoleWithWebIdentity',
  );

/** index.html with a second, narrower CSP for connect-src (see the comment where it is built). */
const withConnectPolicy = (html: string, policy: string) =>
  html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}">`);

export class Console extends Construct {
  public readonly bucket: Bucket;
  /** The function behind `Custom::ConsoleFiles`, which copies the built console into `bucket`. */
  public readonly filesDeployer: NodeFunction;
  public readonly logBucket: Bucket;
  public readonly distribution: Distribution;
  public readonly userPool: UserPool;
  public readonly userPoolClient: UserPoolClient;
  public readonly signInDomain: UserPoolDomain;
  public readonly identityPool: CfnIdentityPool;
  public readonly responderRole: Role;
  public readonly viewerRole: Role;
  /** https://<distribution domain> (or the first custom domain name). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { api } = props;
    const viewerGroupName = props.viewerGroupName ?? 'viewers';

    // ---- hosting --------------------------------------------------------------------------------------------------
    // CloudFront standard logs are written with ACLs, so this bucket (and only this one) keeps them enabled.
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the console bucket and distribution; logging it into itself would loop.',
    });
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      // Only built files: a redeploy puts them back.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The API, the sign-in domain, Cognito Identity, CloudWatch and SSM (runbook signals) are all the console ever
    // calls. The header policy cannot name the API itself (the API's CORS names the distribution: a dependency cycle), so the header
    // allows this Region's execute-api hosts and index.html narrows connect-src to this API with a <meta> CSP of its
    // own (a browser enforces both policies).
    const apiOrigin = `https://${api.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const domainPrefix = props.signInDomainPrefix ?? Fn.join('-', [stack.stackName.toLowerCase(), Aws.ACCOUNT_ID]);
    const signInOrigin = `https://${domainPrefix}.auth.${Aws.REGION}.amazoncognito.com`;
    const awsSources = [
      signInOrigin,
      `https://cognito-identity.${Aws.REGION}.amazonaws.com`,
      `https://monitoring.${Aws.REGION}.amazonaws.com`,
      // The Runbook tab's Resume / Approve / Reject (SendAutomationSignal).
      `https://ssm.${Aws.REGION}.amazonaws.com`,
    ];
    const csp = contentSecurityPolicy({
      connectSources: [`https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, ...awsSources],
    });
    const narrowedConnect = `connect-src 'self' ${[apiOrigin, ...awsSources].join(' ')}`;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Incident console: strict CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(Number(/max-age=(\d+)/.exec(STRICT_TRANSPORT_SECURITY)![1])),
          includeSubdomains: true,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Cross-Origin-Opener-Policy',
            value: CONSOLE_SECURITY_HEADERS['cross-origin-opener-policy'],
            override: true,
          },
          { header: 'Permissions-Policy', value: CONSOLE_SECURITY_HEADERS['permissions-policy'], override: true },
        ],
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${stack.stackName} incident console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
        compress: true,
      },
      // The console's own routes (/incidents, /incident?arn=…) are not files: answer them with index.html. Without
      // s3:ListBucket, S3 reports a missing key as 403.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = props.domain
      ? `https://${props.domain.names[0]}`
      : `https://${this.distribution.distributionDomainName}`;
    if (!props.domain)
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose security policy ' +
          'cannot be chosen; pass `domain` (names and an ACM certificate) to enforce TLSv1.2_2021.',
      });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Responders are wherever they are on call; sign-in (Cognito) and IAM guard the data, not geography.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves only static files; every data request goes to the IAM-authorized API. Attach a ' +
        'WAF web ACL (webAclId) where organisation policy asks for one.',
    });

    // ---- sign-in --------------------------------------------------------------------------------------------------
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `${stack.stackName}-console`,
      // Administrators add responders (see the README); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: props.mfa ?? Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection (advanced security) needs the Cognito Plus feature plan, a per-user cost left to the ' +
        'operator; MFA is required by default and passwords are long.',
    });
    this.signInDomain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix } });
    this.userPoolClient = this.userPool.addClient('Console', {
      generateSecret: false,
      // The hosted sign-in page only: no password ever passes through the console's code.
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.url}/`],
        logoutUrls: [`${this.url}/`],
      },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // ---- credentials ----------------------------------------------------------------------------------------------
    this.identityPool = new CfnIdentityPool(this, 'Identities', {
      identityPoolName: `${stack.stackName}-console`.replace(/[^\w ]/g, '_'),
      allowUnauthenticatedIdentities: false,
      allowClassicFlow: false,
      cognitoIdentityProviders: [
        { clientId: this.userPoolClient.userPoolClientId, providerName: this.userPool.userPoolProviderName },
      ],
    });
    const principal = cognitoPrincipal(this.identityPool.ref);
    // The API's own managed policies (docs/security.md): responders in the console also edit response plans, so they
    // take admin's; viewers (by group) take the viewer policy, which names only reads and leaves out `POST /` (the
    // console's contacts client calls the per-operation routes for that reason: console/src/api/clients.ts).
    this.responderRole = new Role(this, 'ResponderRole', {
      assumedBy: principal,
      description: 'Incident console responders: every route of the incident manager API, and metric graphs',
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [props.accessPolicies.policies.admin],
    });
    this.viewerRole = new Role(this, 'ViewerRole', {
      assumedBy: principal,
      description: 'Incident console viewers: the read routes of the incident manager API, and metric graphs',
      maxSessionDuration: Duration.hours(1),
      managedPolicies: [props.accessPolicies.policies.viewer],
    });
    const metrics = new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['cloudwatch:GetMetricData'],
      resources: ['*'],
    });
    this.responderRole.addToPolicy(metrics);
    this.viewerRole.addToPolicy(metrics);
    for (const role of [this.responderRole, this.viewerRole])
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudwatch:GetMetricData supports no resource-level permissions (Resource must be "*"); the Metrics tab ' +
          "draws the incident's metrics with it.",
      });

    // The Runbook tab's Resume / Approve / Reject: SSM's own SendAutomationSignal (runbooks run in Systems Manager,
    // not behind the API). Responders only; viewers are shown the CLI command instead.
    const automationExecutions = stack.formatArn({
      service: 'ssm',
      resource: 'automation-execution',
      resourceName: '*',
    });
    this.responderRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ssm:SendAutomationSignal'],
        resources: [automationExecutions],
      }),
    );
    Validations.of(this.responderRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*]',
      reason:
        "Responders resume or approve the waiting steps of incidents' runbooks, whose execution ids are known only " +
        'at run time: ssm:SendAutomationSignal only, on automation executions of this account and Region.',
    });

    new CfnUserPoolGroup(this, 'ViewersGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: viewerGroupName,
      description: 'Read-only console users: they see incidents, plans and on-call, and change nothing',
      roleArn: this.viewerRole.roleArn,
      precedence: 1,
    });
    new CfnIdentityPoolRoleAttachment(this, 'Roles', {
      identityPoolId: this.identityPool.ref,
      roles: { authenticated: this.responderRole.roleArn },
      roleMappings: {
        users: {
          identityProvider: Fn.join(':', [this.userPool.userPoolProviderName, this.userPoolClient.userPoolClientId]),
          // The group's role travels in the ID token (cognito:preferred_role); users in no group are responders.
          type: 'Token',
          ambiguousRoleResolution: 'AuthenticatedRole',
        },
      },
    });

    // ---- the API answers this origin only ---------------------------------------------------------------------------
    api.allowBrowserOrigin(this.url);

    // ---- files ----------------------------------------------------------------------------------------------------
    // Copied by our own `Custom::ConsoleFiles` handler (lambdas/handlers/console-files.ts) rather than aws-cdk-lib's
    // BucketDeployment, whose handler takes wildcard actions: this one may read exactly the build's asset, write the
    // console bucket's objects and invalidate this distribution. Content-hashed bundles are cached for a year;
    // index.html and config.json are re-validated on every load and written after the bundles they reference.
    const files = new Asset(this, 'BuiltFiles', {
      path: props.directory,
      exclude: ['index.html', 'build-info.json', 'config.json'],
    });
    this.filesDeployer = new NodeFunction(this, 'FilesDeployer', {
      entry: 'lambdas/functions/console-files.ts',
      description: 'Copies the built web console into its bucket at deploy time (Custom::ConsoleFiles)',
      timeout: Duration.minutes(5),
    });
    const deployer = this.filesDeployer.function;
    deployer.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [files.bucket.arnForObjects(files.s3ObjectKey)] }),
    );
    deployer.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
    deployer.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudfront:CreateInvalidation'],
        resources: [
          stack.formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: this.distribution.distributionId,
          }),
        ],
      }),
    );
    Validations.of(this.filesDeployer.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as never)}.Arn>/*]`,
      reason:
        "s3:PutObject on the console bucket's objects: their keys are the content-hashed file names of each build, " +
        'known only when the console is built. Nothing else may be written, and nothing read or deleted there.',
    });
    new CustomResource(this, 'DeployFiles', {
      serviceToken: deployer.functionArn,
      resourceType: 'Custom::ConsoleFiles',
      properties: {
        SourceBucket: files.s3BucketName,
        SourceKey: files.s3ObjectKey,
        DestinationBucket: this.bucket.bucketName,
        DistributionId: this.distribution.distributionId,
        EntryFiles: {
          'index.html': withConnectPolicy(readFileSync(join(props.directory, 'index.html'), 'utf8'), narrowedConnect),
          'config.json': stack.toJsonString({
            mode: 'aws',
            region: Aws.REGION,
            apiUrl: api.url,
            userPoolId: this.userPool.userPoolId,
            userPoolClientId: this.userPoolClient.userPoolClientId,
            identityPoolId: this.identityPool.ref,
            signInDomain: signInOrigin,
            viewerGroup: viewerGroupName,
          }),
        },
      },
    });
  }
}
