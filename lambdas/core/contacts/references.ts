/**
 * References between contacts and rotations, which make deletes conditional:
 *
 * - an escalation plan's stages reference PERSONAL and ONCALL_SCHEDULE contacts (ContactTargetInfo.ContactId);
 * - an on-call schedule's plan references rotations (Plan.RotationIds);
 * - a rotation references its PERSONAL member contacts (ContactIds).
 *
 * A referenced resource cannot be deleted while anything references it: DeleteContact and DeleteRotation answer
 * ConflictException with DependentEntities, one entry per relation. The store records each reference next to the
 * referenced resource and writes it in the same transaction as the referrer, so the check never misses a reference
 * added concurrently (see ContactsStore.deleteContact).
 */
import type { DependentEntity } from '#core/shared/errors.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { parseContactsArn } from './arns.ts';
import type {
  ContactRecord,
  Dependent,
  ReferenceableResource,
  ReferenceChanges,
  ReferenceTarget,
  Referrer,
  RotationRecord,
} from './ports.ts';

/** DependentEntity.RelationType values (the model leaves them free-form). */
export const RELATION = {
  /** The contact (a person or an on-call schedule) is a target of these escalation plans. */
  escalationPlanTarget: 'ESCALATION_PLAN_TARGET',
  /** The contact is a member of these rotations. */
  rotationMember: 'ROTATION_MEMBER',
  /** The rotation is part of these on-call schedules. */
  onCallScheduleRotation: 'ONCALL_SCHEDULE_ROTATION',
} as const;

/** DependentEntity.DependentResourceIds holds at most 25 ARNs (SsmContactsArnList). */
const MAX_DEPENDENT_IDS = 25;

export const resourceKey = (resource: ReferenceableResource) =>
  resource.kind === 'contact' ? `contact:${resource.alias}` : `rotation:${resource.rotationId}`;

const resourceOfArn = (ctx: ServiceContext, arn: string): ReferenceableResource | undefined => {
  try {
    const parsed = parseContactsArn(ctx, arn, 'arn');
    if (parsed.kind === 'contact') return { kind: 'contact', alias: parsed.alias };
    if (parsed.kind === 'rotation') return { kind: 'rotation', rotationId: parsed.rotationId };
  } catch {
    // A stored reference is always a valid ARN of this account; anything else references nothing here.
  }
  return undefined;
};

const distinct = (resources: (ReferenceableResource | undefined)[]): ReferenceableResource[] => {
  const seen = new Map<string, ReferenceableResource>();
  for (const resource of resources) if (resource) seen.set(resourceKey(resource), resource);
  return [...seen.values()];
};

/** What a stored contact references: an escalation plan its target contacts, an on-call schedule its rotations. */
export const referencesOfContact = (ctx: ServiceContext, contact: ContactRecord): ReferenceableResource[] => {
  if (contact.type === 'ESCALATION')
    return distinct(
      contact.plan.stages.flatMap((s) =>
        s.targets.map((t) => (t.contactTargetInfo ? resourceOfArn(ctx, t.contactTargetInfo.contactId) : undefined)),
      ),
    );
  if (contact.type === 'ONCALL_SCHEDULE')
    return distinct((contact.plan.rotationIds ?? []).map((id) => resourceOfArn(ctx, id)));
  return [];
};

export const referencesOfRotation = (ctx: ServiceContext, rotation: RotationRecord): ReferenceableResource[] =>
  distinct(rotation.contactIds.map((id) => resourceOfArn(ctx, id)));

export const contactReferrer = (contact: ContactRecord): Referrer => ({
  resource: { kind: 'contact', alias: contact.alias },
  arn: contact.arn,
  relationType: contact.type === 'ONCALL_SCHEDULE' ? RELATION.onCallScheduleRotation : RELATION.escalationPlanTarget,
});

export const rotationReferrer = (rotation: RotationRecord): Referrer => ({
  resource: { kind: 'rotation', rotationId: rotation.rotationId },
  arn: rotation.arn,
  relationType: RELATION.rotationMember,
});

/** The references to add (new targets, checked at write time) and to remove, from the old set to the new one. */
export const referenceChanges = (
  referrer: Referrer,
  before: ReferenceableResource[],
  after: ReferenceTarget[],
): ReferenceChanges => {
  const old = new Set(before.map(resourceKey));
  const next = new Set(after.map((t) => resourceKey(t.resource)));
  const seen = new Set<string>();
  return {
    referrer,
    add: after.filter((t) => {
      const key = resourceKey(t.resource);
      if (old.has(key) || seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    remove: before.filter((r) => !next.has(resourceKey(r))),
  };
};

/** Dependents grouped by relation, as ConflictException.DependentEntities. */
export const dependentEntities = (dependents: Dependent[]): DependentEntity[] => {
  const byRelation = new Map<string, string[]>();
  for (const d of dependents)
    byRelation.set(d.relationType, [...(byRelation.get(d.relationType) ?? []), d.referrerArn]);
  return [...byRelation.entries()].map(([relationType, ids]) => ({
    relationType,
    dependentResourceIds: ids.sort().slice(0, MAX_DEPENDENT_IDS),
  }));
};
