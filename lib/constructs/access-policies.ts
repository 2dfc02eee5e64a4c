/**
 * One customer-managed IAM policy per access role (viewer, responder, admin; lambdas/http/access-roles.ts), granting
 * `execute-api:Invoke` on exactly the routes of that role's operations. Attach them to the IAM roles, users or
 * Identity Center permission sets of the people and tools that call the API (docs/security.md).
 *
 * Viewer and responder name every route they may call, by its ARN or, for reads, by a verb prefix
 * (`.../ssm-contacts/List*`) that matches no route outside the role (policyResourcePaths); they do not include
 * `POST /`, which runs any ssm-contacts operation: their contacts calls go through the per-operation routes.
 */
import { ArnFormat, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type AccessRole, policyResourcePaths } from '#http/access-roles.ts';

const DESCRIPTIONS: Record<AccessRole, string> = {
  viewer:
    'Incident Manager API: read incidents, timelines, runbooks, plans, contacts, schedules, pages and analyses; change nothing',
  responder:
    'Incident Manager API: viewer, plus start and update incidents, write timelines and related items, page and acknowledge, override on-call shifts, write post-incident analyses and action items',
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
    const listed = (role: 'viewer' | 'responder') => {
      const paths = policyResourcePaths(role);
      const created = policy(
        role,
        paths.map((path) => invokeArn(path)),
      );
      // The `*` of a tag route is its path label (which resource's tags); a verb prefix matches only reads the role
      // may call (checked against every route by policyResourcePaths and test/infra/access-policies.test.ts).
      for (const path of paths.filter((p) => p.includes('*')))
        Validations.of(created).acknowledge({
          id: findingOn(path),
          reason: path.includes('/tags/')
            ? 'The * is the resource ARN in the path of ListTagsForResource (/tags/{resourceArn+}), not a wildcard over routes.'
            : `${path} matches only read operations of this API (every route it matches is a Get/List/Describe the ${role} may call), as AWS's own read-only policies name reads; listing each would overflow a managed policy's 6,144 characters.`,
        });
      return created;
    };
    this.policies = { viewer: listed('viewer'), responder: listed('responder'), admin };
  }
}
