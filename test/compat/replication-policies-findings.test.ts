/**
 * The replication set (a singleton that reports ACTIVE at once), resource policies on response plans, and
 * incident findings (empty, with per-id errors), through the official client.
 */
import {
  BatchGetIncidentFindingsCommand,
  ConflictException,
  CreateReplicationSetCommand,
  DeleteReplicationSetCommand,
  DeleteResourcePolicyCommand,
  DeleteResponsePlanCommand,
  GetReplicationSetCommand,
  GetResourcePoliciesCommand,
  ListIncidentFindingsCommand,
  ListReplicationSetsCommand,
  PutResourcePolicyCommand,
  paginateGetResourcePolicies,
  ResourceNotFoundException,
  type ResourcePolicy,
  type SSMIncidentsClient,
  UpdateDeletionProtectionCommand,
  UpdateReplicationSetCommand,
  ValidationException,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planArnOf, principalOf, startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { createPlan, startIncident, unique } from './helpers.ts';

const KMS_KEY = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const policyFor = (planArn: string, principal: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: ['ssm-incidents:GetResponsePlan', 'ssm-incidents:StartIncident'],
        Resource: planArn,
      },
    ],
  });

describe('replication set, resource policies and findings', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
  });
  afterAll(() => runtime?.stop());

  describe('replication set', () => {
    /** The replication set is one per account (here: per table), so each test starts without one. */
    async function withoutReplicationSet() {
      const { replicationSetArns } = await client.send(new ListReplicationSetsCommand({}));
      for (const arn of replicationSetArns ?? []) {
        await client.send(new UpdateDeletionProtectionCommand({ arn, deletionProtected: false }));
        await client.send(new DeleteReplicationSetCommand({ arn }));
      }
    }

    it('creates (201) a replication set that is ACTIVE at once, lists it and reads it back', async () => {
      // Prepare
      await withoutReplicationSet();
      const caller = unique('onboarder');
      const onboarder = runtime.incidentsClient(caller);
      const before = Date.now();

      // Act
      const created = await onboarder.send(
        new CreateReplicationSetCommand({ regions: { 'us-east-1': {}, 'eu-west-1': { sseKmsKeyId: KMS_KEY } } }),
      );
      const listed = await onboarder.send(new ListReplicationSetsCommand({}));
      const { replicationSet, $metadata } = await onboarder.send(new GetReplicationSetCommand({ arn: created.arn }));

      // Assess
      expect(created.$metadata.httpStatusCode).toBe(201);
      expect(created.arn).toMatch(new RegExp(`^arn:aws:ssm-incidents::${TEST_ACCOUNT}:replication-set/[0-9a-f-]{36}$`));
      expect(listed.replicationSetArns).toEqual([created.arn]);
      expect($metadata.httpStatusCode).toBe(200);
      expect(replicationSet).toMatchObject({
        arn: created.arn,
        status: 'ACTIVE',
        deletionProtected: false,
        createdBy: principalOf(caller),
        lastModifiedBy: principalOf(caller),
      });
      expect(Object.keys(replicationSet!.regionMap!).sort()).toEqual(['eu-west-1', 'us-east-1']);
      expect(replicationSet!.regionMap!['eu-west-1']).toMatchObject({ status: 'ACTIVE', sseKmsKeyId: KMS_KEY });
      expect(replicationSet!.regionMap!['us-east-1']!.status).toBe('ACTIVE');
      expect(replicationSet!.regionMap!['us-east-1']!.statusUpdateDateTime).toBeInstanceOf(Date);
      expect(replicationSet!.createdTime!.getTime()).toBeGreaterThanOrEqual(before);
    });

    it('rejects a second replication set with ConflictException (409)', async () => {
      // Prepare
      await withoutReplicationSet();
      const first = await client.send(new CreateReplicationSetCommand({ regions: { 'us-east-1': {} } }));

      // Act
      const error = await client
        .send(new CreateReplicationSetCommand({ regions: { 'us-west-2': {} } }))
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ConflictException);
      expect((error as ConflictException).$metadata.httpStatusCode).toBe(409);
      expect((await client.send(new ListReplicationSetsCommand({}))).replicationSetArns).toEqual([first.arn]);
    });

    it('adds (204) and deletes a Region with UpdateReplicationSet', async () => {
      // Prepare
      await withoutReplicationSet();
      const { arn } = await client.send(new CreateReplicationSetCommand({ regions: { 'us-east-1': {} } }));

      // Act
      const added = await client.send(
        new UpdateReplicationSetCommand({ arn, actions: [{ addRegionAction: { regionName: 'ap-southeast-2' } }] }),
      );
      const withAdded = await client.send(new GetReplicationSetCommand({ arn }));
      await client.send(
        new UpdateReplicationSetCommand({ arn, actions: [{ deleteRegionAction: { regionName: 'us-east-1' } }] }),
      );
      const withDeleted = await client.send(new GetReplicationSetCommand({ arn }));

      // Assess
      expect(added.$metadata.httpStatusCode).toBe(204);
      expect(Object.keys(withAdded.replicationSet!.regionMap!).sort()).toEqual(['ap-southeast-2', 'us-east-1']);
      expect(withAdded.replicationSet!.regionMap!['ap-southeast-2']!.status).toBe('ACTIVE');
      expect(Object.keys(withDeleted.replicationSet!.regionMap!)).toEqual(['ap-southeast-2']);
    });

    it('refuses a fourth Region with ValidationException', async () => {
      // Prepare
      await withoutReplicationSet();
      const { arn } = await client.send(
        new CreateReplicationSetCommand({ regions: { 'us-east-1': {}, 'us-west-2': {}, 'eu-west-1': {} } }),
      );

      // Act
      const error = await client
        .send(new UpdateReplicationSetCommand({ arn, actions: [{ addRegionAction: { regionName: 'eu-central-1' } }] }))
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ValidationException);
      const { replicationSet } = await client.send(new GetReplicationSetCommand({ arn }));
      expect(Object.keys(replicationSet!.regionMap!)).toHaveLength(3);
    });

    it('blocks DeleteReplicationSet while deletion protection is on, and deletes (204) once it is off', async () => {
      // Prepare
      await withoutReplicationSet();
      const { arn } = await client.send(new CreateReplicationSetCommand({ regions: { 'us-east-1': {} } }));
      const protectedResult = await client.send(new UpdateDeletionProtectionCommand({ arn, deletionProtected: true }));

      // Act
      const blocked = await client.send(new DeleteReplicationSetCommand({ arn })).catch((e: unknown) => e);
      const whileProtected = await client.send(new GetReplicationSetCommand({ arn }));
      await client.send(new UpdateDeletionProtectionCommand({ arn, deletionProtected: false }));
      const deleted = await client.send(new DeleteReplicationSetCommand({ arn }));
      const afterDelete = await client.send(new GetReplicationSetCommand({ arn })).catch((e: unknown) => e);

      // Assess
      expect(protectedResult.$metadata.httpStatusCode).toBe(204);
      expect(blocked).toBeInstanceOf(ValidationException);
      expect(whileProtected.replicationSet!.deletionProtected).toBe(true);
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(afterDelete).toBeInstanceOf(ResourceNotFoundException);
      expect((afterDelete as ResourceNotFoundException).resourceType).toBe('REPLICATION_SET');
      expect((await client.send(new ListReplicationSetsCommand({}))).replicationSetArns).toEqual([]);
    });

    it('answers GetReplicationSet of an unknown replication set with ResourceNotFoundException', async () => {
      // Prepare
      await withoutReplicationSet();
      await client.send(new CreateReplicationSetCommand({ regions: { 'us-east-1': {} } }));
      const other = `arn:aws:ssm-incidents::${TEST_ACCOUNT}:replication-set/00000000-0000-0000-0000-000000000000`;

      // Act
      const error = await client.send(new GetReplicationSetCommand({ arn: other })).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
    });
  });

  describe('resource policies', () => {
    it('puts a policy (200, policyId), lists it with GetResourcePolicies, and deletes it (200)', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);
      const document = policyFor(planArn, 'arn:aws:iam::444455556666:root');

      // Act
      const put = await client.send(new PutResourcePolicyCommand({ resourceArn: planArn, policy: document }));
      const listed = await client.send(new GetResourcePoliciesCommand({ resourceArn: planArn }));
      const deleted = await client.send(
        new DeleteResourcePolicyCommand({ resourceArn: planArn, policyId: put.policyId }),
      );
      const afterDelete = await client.send(new GetResourcePoliciesCommand({ resourceArn: planArn }));

      // Assess
      expect(put.$metadata.httpStatusCode).toBe(200);
      expect(put.policyId).toBeTruthy();
      expect(listed.$metadata.httpStatusCode).toBe(200);
      expect(listed.resourcePolicies).toEqual([
        { policyId: put.policyId, policyDocument: document, ramResourceShareRegion: 'us-east-1' },
      ]);
      expect(deleted.$metadata.httpStatusCode).toBe(200);
      expect(afterDelete.resourcePolicies).toEqual([]);
    });

    it('drops the policies of a deleted plan, so a plan re-created under its name starts without them', async () => {
      // Prepare
      const { name, arn: planArn } = await createPlan(client);
      await client.send(
        new PutResourcePolicyCommand({
          resourceArn: planArn,
          policy: policyFor(planArn, 'arn:aws:iam::444455556666:root'),
        }),
      );
      await client.send(new DeleteResponsePlanCommand({ arn: planArn }));

      // Act
      await createPlan(client, { name });
      const { resourcePolicies } = await client.send(new GetResourcePoliciesCommand({ resourceArn: planArn }));

      // Assess
      expect(resourcePolicies).toEqual([]);
    });

    it('answers DeleteResourcePolicy of an unknown policy with ResourceNotFoundException', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);

      // Act
      const error = await client
        .send(new DeleteResourcePolicyCommand({ resourceArn: planArn, policyId: 'no-such-policy' }))
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect((error as ResourceNotFoundException).resourceType).toBe('RESOURCE_POLICY');
    });

    it('answers policy operations on a missing response plan with ResourceNotFoundException', async () => {
      // Prepare
      const planArn = planArnOf(unique('nowhere'));

      // Act
      const errors = await Promise.all([
        client
          .send(
            new PutResourcePolicyCommand({
              resourceArn: planArn,
              policy: policyFor(planArn, 'arn:aws:iam::444455556666:root'),
            }),
          )
          .catch((e: unknown) => e),
        client.send(new GetResourcePoliciesCommand({ resourceArn: planArn })).catch((e: unknown) => e),
      ]);

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(ResourceNotFoundException);
    });

    it('rejects a policy that is not a JSON document with ValidationException', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);

      // Act
      const error = await client
        .send(new PutResourcePolicyCommand({ resourceArn: planArn, policy: 'not json' }))
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(ValidationException);
      expect((error as ValidationException).message).toContain('policy');
      expect((await client.send(new GetResourcePoliciesCommand({ resourceArn: planArn }))).resourcePolicies).toEqual(
        [],
      );
    });

    it('pages through policies with paginateGetResourcePolicies', async () => {
      // Prepare
      const { arn: planArn } = await createPlan(client);
      const ids = new Set<string>();
      for (const account of ['111111111111', '222222222222', '333333333333']) {
        const { policyId } = await client.send(
          new PutResourcePolicyCommand({
            resourceArn: planArn,
            policy: policyFor(planArn, `arn:aws:iam::${account}:root`),
          }),
        );
        ids.add(policyId!);
      }

      // Act
      const collected: ResourcePolicy[] = [];
      let pages = 0;
      for await (const page of paginateGetResourcePolicies({ client, pageSize: 2 }, { resourceArn: planArn })) {
        pages++;
        collected.push(...page.resourcePolicies!);
      }

      // Assess
      expect(pages).toBe(2);
      expect(new Set(collected.map((p) => p.policyId))).toEqual(ids);
      expect(collected).toHaveLength(3);
    });
  });

  describe('findings', () => {
    it('lists no findings (200) for an incident', async () => {
      // Prepare
      const incidentArn = await startIncident(client, (await createPlan(client)).arn);

      // Act
      const result = await client.send(
        new ListIncidentFindingsCommand({ incidentRecordArn: incidentArn, maxResults: 20 }),
      );

      // Assess
      expect(result.$metadata.httpStatusCode).toBe(200);
      expect(result.findings).toEqual([]);
      expect(result.nextToken).toBeUndefined();
    });

    it('returns an error entry per unknown finding id from BatchGetIncidentFindings', async () => {
      // Prepare
      const incidentArn = await startIncident(client, (await createPlan(client)).arn);

      // Act
      const result = await client.send(
        new BatchGetIncidentFindingsCommand({ incidentRecordArn: incidentArn, findingIds: ['finding-1', 'finding-2'] }),
      );

      // Assess
      expect(result.$metadata.httpStatusCode).toBe(200);
      expect(result.findings).toEqual([]);
      expect(result.errors!.map((e) => e.findingId)).toEqual(['finding-1', 'finding-2']);
      for (const error of result.errors!) {
        expect(error.code).toBeTruthy();
        expect(error.message).toContain(error.findingId);
      }
    });

    it('answers findings requests for an unknown incident with ResourceNotFoundException', async () => {
      // Prepare
      const { name } = await createPlan(client);
      const arn = `arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/00000000-1111-2222-3333-444444444444`;

      // Act
      const errors = await Promise.all([
        client.send(new ListIncidentFindingsCommand({ incidentRecordArn: arn })).catch((e: unknown) => e),
        client
          .send(new BatchGetIncidentFindingsCommand({ incidentRecordArn: arn, findingIds: ['f'] }))
          .catch((e: unknown) => e),
      ]);

      // Assess
      for (const error of errors) expect(error).toBeInstanceOf(ResourceNotFoundException);
    });
  });
});
