/**
 * ARN formats of the ssm-contacts service. Unlike ssm-incidents, its ARNs carry the Region:
 * `arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice`, `contact-channel/alice/<uuid>`, `rotation/<uuid>`.
 * Contacts are named by their alias, so a contact's ARN is known before it exists (and is reused after a delete).
 */
import { type ContactsResourceType, ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';

/**
 * SsmContactsArn's pattern in the Smithy model, with its `([...]+)*` tail written as the equivalent `[...]*`: the
 * nested quantifier backtracks exponentially on a near-miss, and ARNs may be 2048 characters long.
 */
export const CONTACTS_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):ssm-contacts:[-\w+=/,.@]*:[0-9]+:[\w+=/,.@:-]*$/;
export const CONTACTS_ARN_PATTERN_TEXT =
  '^arn:(aws|aws-cn|aws-us-gov):ssm-contacts:[-\\w+=\\/,.@]*:[0-9]+:([\\w+=\\/,.@:-]+)*$';

const prefix = (ctx: ServiceContext) => `arn:${ctx.partition}:ssm-contacts:${ctx.region}:${ctx.accountId}`;

export const contactArn = (ctx: ServiceContext, alias: string) => `${prefix(ctx)}:contact/${alias}`;

export const contactChannelArn = (ctx: ServiceContext, alias: string, channelId: string) =>
  `${prefix(ctx)}:contact-channel/${alias}/${channelId}`;

export const rotationArn = (ctx: ServiceContext, rotationId: string) => `${prefix(ctx)}:rotation/${rotationId}`;

/** `engagement/<alias of the engaged contact>/<uuid>` */
export const engagementArn = (ctx: ServiceContext, alias: string, engagementId: string) =>
  `${prefix(ctx)}:engagement/${alias}/${engagementId}`;

/** `page/<alias of the paged contact>/<uuid>` */
export const pageArn = (ctx: ServiceContext, alias: string, pageId: string) => `${prefix(ctx)}:page/${alias}/${pageId}`;

export type ContactsResource =
  | { kind: 'contact'; alias: string }
  | { kind: 'contact-channel'; alias: string; channelId: string }
  | { kind: 'rotation'; rotationId: string }
  | { kind: 'engagement'; alias: string; engagementId: string }
  | { kind: 'page'; alias: string; pageId: string };

const ALIAS = /^[a-z0-9_-]{1,255}$/;
const ID = /^[A-Za-z0-9-]{1,64}$/;
const PARTS = /^arn:(aws|aws-cn|aws-us-gov):ssm-contacts:([^:]*):([0-9]+):(.+)$/;

const RESOURCE_TYPES: Record<ContactsResource['kind'], ContactsResourceType> = {
  contact: 'CONTACT',
  'contact-channel': 'CONTACT_CHANNEL',
  rotation: 'ROTATION',
  engagement: 'ENGAGEMENT',
  page: 'PAGE',
};

const NOUNS: Record<ContactsResource['kind'], string> = {
  contact: 'Contact',
  'contact-channel': 'Contact channel',
  rotation: 'Rotation',
  engagement: 'Engagement',
  page: 'Page',
};

/**
 * Parses an ssm-contacts ARN. A string that is not one is a ValidationException naming `field`; a well-formed ARN of
 * another account, Region or partition, or of a resource kind this service does not have, names nothing here, so it
 * is "not found".
 */
export const parseContactsArn = (ctx: ServiceContext, arn: string, field: string): ContactsResource => {
  const match = PARTS.exec(arn);
  if (!match || !CONTACTS_ARN_PATTERN.test(arn))
    throw new ValidationError(
      `1 validation error detected: Value '${arn}' at '${field}' failed to satisfy constraint: Member must be an ssm-contacts ARN`,
      field,
    );
  const [, partition, region, account, resource = ''] = match;
  const notFound = () => new ResourceNotFoundError(`Resource ${arn} does not exist.`, undefined, arn);
  if (partition !== ctx.partition || region !== ctx.region || account !== ctx.accountId) throw notFound();
  const segments = resource.split('/');
  const [type, first, second] = segments;
  if (type === 'contact' && segments.length === 2 && first && ALIAS.test(first))
    return { kind: 'contact', alias: first };
  if (type === 'contact-channel' && segments.length === 3 && first && ALIAS.test(first) && second && ID.test(second))
    return { kind: 'contact-channel', alias: first, channelId: second };
  if (type === 'rotation' && segments.length === 2 && first && ID.test(first))
    return { kind: 'rotation', rotationId: first };
  if (type === 'engagement' && segments.length === 3 && first && ALIAS.test(first) && second && ID.test(second))
    return { kind: 'engagement', alias: first, engagementId: second };
  if (type === 'page' && segments.length === 3 && first && ALIAS.test(first) && second && ID.test(second))
    return { kind: 'page', alias: first, pageId: second };
  throw notFound();
};

/** Parses an ARN that must name one kind of resource; any other kind (or account) is "not found" as that kind. */
export const expectContactsArn = <K extends ContactsResource['kind']>(
  ctx: ServiceContext,
  kind: K,
  arn: string,
  field: string,
): Extract<ContactsResource, { kind: K }> => {
  let resource: ContactsResource;
  try {
    resource = parseContactsArn(ctx, arn, field);
  } catch (error) {
    if (error instanceof ResourceNotFoundError) throw notFoundAs(kind, arn);
    throw error;
  }
  if (resource.kind !== kind) throw notFoundAs(kind, arn);
  return resource as Extract<ContactsResource, { kind: K }>;
};

export const notFoundAs = (kind: ContactsResource['kind'], arn: string) =>
  new ResourceNotFoundError(`${NOUNS[kind]} ${arn} does not exist.`, RESOURCE_TYPES[kind], arn);
