/**
 * References between contacts and rotations (escalation plan -> contact, on-call schedule -> rotation,
 * rotation -> member contact), written in the same transaction as the referrer:
 *
 * - each new reference is an Update of the referenced item that bumps its `version` under the condition that it
 *   exists (and has an allowed type), plus a reference item in the referenced resource's item collection;
 * - each dropped reference deletes its reference item.
 *
 * A delete of the referenced resource queries its reference items, then deletes it under `version = <read>`; a
 * reference added in between bumped the version, so the delete fails and re-checks instead of orphaning it.
 */
import type { ReferenceableResource, ReferenceChanges, ReferenceTarget } from '#core/contacts/ports.ts';
import { keys } from './keys.ts';
import type { LabelledWrite, Table } from './table.ts';

export const partitionOf = (resource: ReferenceableResource) =>
  resource.kind === 'contact' ? keys.contactPartition(resource.alias) : keys.rotationPartition(resource.rotationId);

const itemKeyOf = (resource: ReferenceableResource) =>
  resource.kind === 'contact' ? keys.contact(resource.alias) : keys.rotation(resource.rotationId);

const referenceKey = (referenced: ReferenceableResource, referrer: ReferenceableResource) =>
  keys.reference(
    partitionOf(referenced),
    referrer.kind === 'contact' ? 'CONTACT' : 'ROTATION',
    referrer.kind === 'contact' ? referrer.alias : referrer.rotationId,
  );

const REFERENCE_LABEL = 'reference:';

/** The writes that apply reference changes; their labels let `unavailableReference` map a failed condition back. */
export function referenceWrites(table: Table, changes: ReferenceChanges): LabelledWrite[] {
  const writes: LabelledWrite[] = [];
  changes.add.forEach((target, i) => {
    const types = target.allowedTypes ?? [];
    const typeValues = Object.fromEntries(types.map((type, j) => [`:type${j}`, type]));
    writes.push({
      label: `${REFERENCE_LABEL}${i}`,
      write: {
        Update: {
          TableName: table.tableName,
          Key: itemKeyOf(target.resource),
          UpdateExpression: 'SET version = version + :one',
          ConditionExpression: types.length
            ? `attribute_exists(pk) AND #type IN (${Object.keys(typeValues).join(', ')})`
            : 'attribute_exists(pk)',
          ...(types.length ? { ExpressionAttributeNames: { '#type': 'type' } } : {}),
          ExpressionAttributeValues: { ':one': 1, ...typeValues },
        },
      },
    });
    writes.push({
      label: `reference-item:${i}`,
      write: {
        Put: {
          TableName: table.tableName,
          Item: {
            ...referenceKey(target.resource, changes.referrer.resource),
            entityType: 'Reference',
            relationType: changes.referrer.relationType,
            referrerArn: changes.referrer.arn,
          },
        },
      },
    });
  });
  changes.remove.forEach((resource, i) => {
    writes.push({
      label: `reference-removal:${i}`,
      write: { Delete: { TableName: table.tableName, Key: referenceKey(resource, changes.referrer.resource) } },
    });
  });
  return writes;
}

/** The target whose reference failed its condition in a cancelled transaction, if any. */
export function unavailableReference(
  changes: ReferenceChanges,
  failed: Map<string, unknown>,
): ReferenceTarget | undefined {
  for (const label of failed.keys()) {
    if (!label.startsWith(REFERENCE_LABEL)) continue;
    const target = changes.add[Number(label.slice(REFERENCE_LABEL.length))];
    if (target) return target;
  }
  return undefined;
}
