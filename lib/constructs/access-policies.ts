/**
 * One customer-managed IAM policy per access role (viewer, responder, admin; lambdas/http/access-roles.ts), granting
 * `execute-api:Invoke` on exactly the routes of that role's operations. Attach them to the IAM roles, users or
 * Identity Center permission sets of the people and tools that call the API (docs/security.md).
 *
 * Viewer and responder list every route by its ARN, so they can never call an operation they do not name; they do not
 * include `POST /`, which runs any ssm-contacts operation: their contacts calls go through the per-operation routes.
 */
import { ArnFormat, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type AccessRole, invokeResourcePath, routesOf } from '#http/access-roles.ts';

const DESCRIPTIONS: Record<AccessRole, string> = {
  viewer: 'Incident Manager API: read incidents, timelines, plans, contacts, schedules and pages; change nothing',
  responder:
    'Incident Manager API: viewer, plus start and update incidents, write timelines and related items, page and acknowledge, override on-call shifts',
  admin:
    'Incident Manager API: every operation of ssm-incidents and ssm-contacts, including POST / for unmodified clients',
};

export interface AccessPoliciesProps {
  readonly httpApi: HttpApi;
}

export class AccessPolicies extends Construct {
  public readonly policies: Readonly<Record<AccessRole, ManagedPolicy>>;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const invokeArn = (resourceName: string) =>
      stack.formatArn({
        service: 'execute-api',
        resource: props.httpApi.apiId,
        resourceName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const policy = (role: AccessRole, resources: string[]) =>
      new ManagedPolicy(this, role[0]!.toUpperCase() + role.slice(1), {
        description: DESCRIPTIONS[role],
        statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources })],
      });
    // cdk-nag names a finding by the statement's resource as the template spells it, the API as <its logical id>.
    const apiLogicalId = stack.resolve((props.httpApi.node.defaultChild as CfnElement).logicalId) as string;
    const findingOn = (resourceName: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiLogicalId}>/${resourceName}]`;

    const admin = policy('admin', [invokeArn('$default/*')]);
    // Admin is every operation of this one API by definition; its 71 routes one by one would not fit a managed
    // policy's 6,144 characters.
    Validations.of(admin).acknowledge({
      id: findingOn('$default/*'),
      reason:
        'Admin may call every route of this one HTTP API: execute-api:Invoke on <api>/$default/* (no other API, no other action).',
    });
    this.policies = {
      viewer: policy(
        'viewer',
        routesOf('viewer').map((r) => invokeArn(invokeResourcePath(r))),
      ),
      responder: policy(
        'responder',
        routesOf('responder').map((r) => invokeArn(invokeResourcePath(r))),
      ),
      admin,
    };
    // Viewer and responder list every route by name; the one `*` is the path label of the tag routes
    // (/tags/{resourceArn+}): which resource's tags, not which route.
    for (const role of ['viewer', 'responder'] as const)
      for (const route of routesOf(role).filter((r) => r.path.includes('{')))
        Validations.of(this.policies[role]).acknowledge({
          id: findingOn(invokeResourcePath(route)),
          reason: `The * is the resource ARN in the path of ${route.operation} (/tags/{resourceArn+}), not a wildcard over routes: every route is listed by name.`,
        });
  }
}
