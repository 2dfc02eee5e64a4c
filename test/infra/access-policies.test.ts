/**
 * Least privilege for every operation of both APIs, read from the synthesized template: every operation has a route
 * of its own (so a policy can allow it alone), and the stack's viewer, responder and admin policies allow
 * `execute-api:Invoke` on exactly their operations' routes: viewers nothing that changes anything, responders no
 * configuration, neither of them `POST /` (which runs every ssm-contacts operation).
 */
import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessRole,
  iamPatternMatches,
  invokeResourcePath,
  ROLE_OPERATIONS,
  routesOf,
} from '#http/access-roles.ts';
import { API_ROUTES, CONTACTS_OPERATION_ROUTES, CONTACTS_ROUTE, INCIDENTS_ROUTES } from '#http/routes.ts';
import { defaultStack } from '../support/default-stack.ts';

type Resource = { Type: string; Properties?: Record<string, any> };
let resources: Record<string, Resource>;
let template: Template;
let apiId: string;

/** A template value as text: `{Ref: X}` becomes `<X>`, Fn::Join is joined. */
const text = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  return JSON.stringify(value);
};

const POLICY_ID = { viewer: 'Viewer', responder: 'Responder', admin: 'Admin' } as const;

/** The resource paths (after `<api>/`) a role's managed policy allows, and the actions it names. */
function allowed(role: AccessRole) {
  const [, policy] = Object.entries(resources).find(
    ([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && id.startsWith(`AccessPolicies${POLICY_ID[role]}`),
  )!;
  const statements = policy.Properties!.PolicyDocument.Statement as {
    Effect: string;
    Action: unknown;
    Resource: unknown;
  }[];
  const prefix = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiId}>/`;
  const paths = statements.flatMap((s) =>
    (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => {
      const arn = text(r);
      expect(arn.startsWith(prefix), arn).toBe(true);
      return arn.slice(prefix.length);
    }),
  );
  return { paths, statements };
}

const MUTATING = /^(Create|Update|Delete|Put|Start|Stop|Tag|Untag|Accept|Activate|Deactivate|Send)/;

beforeAll(() => {
  ({ template, resources } = defaultStack());
  apiId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api')![0];
});

describe('least privilege for every operation', () => {
  it('gives every operation of both APIs a route of its own that IAM can name', () => {
    const operations = [...INCIDENTS_ROUTES, ...CONTACTS_OPERATION_ROUTES];
    expect(operations).toHaveLength(31 + 39);
    const paths = operations.map(invokeResourcePath);
    expect(new Set(paths).size).toBe(paths.length);
    const routeKeys = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties!.RouteKey as string);
    for (const spec of API_ROUTES) expect(routeKeys).toContain(`${spec.method} ${spec.path.replace('}', '+}')}`);
  });

  it.each(['viewer', 'responder'] as const)('the %s policy allows exactly its operations, route by route', (role) => {
    const { paths, statements } = allowed(role);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: expect.any(Array) }]);
    // Evaluated as IAM would: of every route of the API, the policy lets through exactly the role's.
    const allowedRoutes = API_ROUTES.map(invokeResourcePath).filter((route) =>
      paths.some((pattern) => iamPatternMatches(pattern, route)),
    );
    expect(allowedRoutes.sort()).toEqual(routesOf(role).map(invokeResourcePath).sort());
    expect(allowedRoutes).not.toContain(invokeResourcePath(CONTACTS_ROUTE));
    // The only wildcards: the tag routes' ARN label, and read-verb prefixes.
    for (const wildcard of paths.filter((p) => p.includes('*')))
      expect(wildcard).toMatch(/\/tags\/\*$|\/(get|list|describe|Get|List|Describe)\*$/);
  });

  it('lets viewers change nothing', () => {
    const { incidents, contacts, contactsRoute } = ROLE_OPERATIONS.viewer;
    expect([...incidents, ...contacts].filter((name) => MUTATING.test(name))).toEqual([]);
    expect(contactsRoute).toBe(false);
  });

  it('lets responders work incidents, pages and analyses, not change plans, contacts, channels, rotations, templates or policies', () => {
    const { incidents, contacts } = ROLE_OPERATIONS.responder;
    expect(incidents.filter((name) => MUTATING.test(name)).sort()).toEqual(
      [
        'CreateActionItem',
        'CreateAnalysis',
        'CreateAnalysisTimelineEvent',
        'DeleteActionItem',
        'DeleteAnalysisTimelineEvent',
        'UpdateActionItem',
        'UpdateAnalysis',
        'UpdateAnalysisSection',
        'UpdateAnalysisTimelineEvent',
        'CreateTimelineEvent',
        'DeleteTimelineEvent',
        'StartIncident',
        'UpdateIncidentRecord',
        'UpdateRelatedItems',
        'UpdateTimelineEvent',
      ].sort(),
    );
    expect(contacts.filter((name) => MUTATING.test(name)).sort()).toEqual(
      ['AcceptPage', 'CreateRotationOverride', 'DeleteRotationOverride', 'StartEngagement', 'StopEngagement'].sort(),
    );
    expect(allowed('responder').paths).toEqual(expect.arrayContaining(allowed('viewer').paths));
  });

  it('lets admins call every route of this API, and nothing else', () => {
    const { paths, statements } = allowed('admin');
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toBe('execute-api:Invoke');
    expect(paths).toEqual(['$default/*']);
  });

  it('outputs the three policy ARNs', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ViewerPolicyArn', 'ResponderPolicyArn', 'AdminPolicyArn']),
    );
  });
});

describe('docs/security.md', () => {
  const docs = readFileSync('docs/security.md', 'utf8');
  const documented = (role: AccessRole) => {
    const block = new RegExp(`#### ${role}\\n\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(docs)?.[1];
    expect(block, `the ${role} policy in docs/security.md`).toBeDefined();
    const resource = (JSON.parse(block!) as { Statement: { Resource: string | string[] }[] }).Statement[0]!.Resource;
    return (Array.isArray(resource) ? resource : [resource]).map((arn) =>
      arn.replace('arn:aws:execute-api:<region>:<account>:<api-id>/', ''),
    );
  };

  it.each(['viewer', 'responder', 'admin'] as const)('shows the %s policy the stack creates', (role) => {
    expect(documented(role).sort()).toEqual(allowed(role).paths.sort());
  });
});
