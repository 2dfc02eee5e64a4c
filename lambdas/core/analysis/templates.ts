/**
 * Analysis templates: CreateAnalysisTemplate, GetAnalysisTemplate, UpdateAnalysisTemplate (each update is a new
 * version; old versions stay readable, and analyses keep the version they were created from), DeleteAnalysisTemplate,
 * ListAnalysisTemplates, ListAnalysisTemplateVersions. The built-in default is always listed and cannot be changed.
 */
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { compact, idempotencyKeyOf, retryOnStaleVersion, seconds } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { optional, required, struct } from '#core/shared/validation.ts';
import { analysisTemplateArn } from './arns.ts';
import {
  DEFAULT_TEMPLATE,
  DEFAULT_TEMPLATE_NAME,
  DEFAULT_TEMPLATE_VERSION,
  RESERVED_TEMPLATE_NAME,
} from './default-template.ts';
import { VersionConflictError } from './errors.ts';
import type { AnalysisDependencies, AnalysisOperation } from './operation.ts';
import type { AnalysisTemplateRecord } from './ports.ts';
import {
  clientToken,
  description,
  displayName,
  maxResults,
  nextToken,
  tagMap,
  templateName,
  templateVersion,
} from './shapes.ts';
import { parseTemplateContent, type TemplateDocument } from './template-document.ts';

const isBuiltIn = (name: string) => name === DEFAULT_TEMPLATE_NAME;

const notFound = (ctx: RequestContext, name: string, version?: number) =>
  new ResourceNotFoundError(
    version === undefined
      ? `Analysis template ${name} does not exist.`
      : `Analysis template ${name} has no version ${version}.`,
    undefined,
    analysisTemplateArn(ctx, name),
  );

const builtInIsReadOnly = (name: string) =>
  new ValidationError(
    `Value at 'name' names the built-in template ${name}, which cannot be changed or deleted.`,
    'name',
  );

const createInput = struct({
  name: required(templateName),
  content: required({ parse: (value) => value }),
  displayName: optional(displayName),
  description: optional(description),
  clientToken: optional(clientToken),
  tags: optional(tagMap(0)),
});

export const createAnalysisTemplate = (async ({ store }, ctx, raw) => {
  const input = createInput.parse(raw, '');
  if (RESERVED_TEMPLATE_NAME.test(input.name))
    throw new ValidationError(
      `Value at 'name' failed to satisfy constraint: names starting with AWS, Amazon or amzn are reserved (${input.name}).`,
      'name',
    );
  const { text } = parseTemplateContent(input.content);
  const template: AnalysisTemplateRecord = compact({
    arn: analysisTemplateArn(ctx, input.name),
    name: input.name,
    displayName: input.displayName,
    description: input.description,
    templateVersion: 1,
    content: text,
    tags: input.tags ?? {},
    createdTime: ctx.now,
    createdBy: ctx.caller.principalArn,
    lastModifiedTime: ctx.now,
    lastModifiedBy: ctx.caller.principalArn,
  });
  await store.createTemplate(template, idempotencyKeyOf('CreateAnalysisTemplate', input), ctx.now);
  return { arn: template.arn, name: template.name, templateVersion: 1 };
}) satisfies AnalysisOperation;

const getInput = struct({ name: required(templateName), templateVersion: optional(templateVersion) });

export const getAnalysisTemplate = (async ({ store }, ctx, raw) => {
  const input = getInput.parse(raw, '');
  if (isBuiltIn(input.name)) {
    if (input.templateVersion !== undefined && input.templateVersion !== DEFAULT_TEMPLATE_VERSION)
      throw notFound(ctx, input.name, input.templateVersion);
    return { template: builtInView(ctx) };
  }
  const found = await store.getTemplate(input.name);
  if (!found) throw notFound(ctx, input.name);
  const head = found.record;
  if (input.templateVersion === undefined || input.templateVersion === head.templateVersion)
    return { template: templateView(head, head.templateVersion, head) };
  const version = await store.getTemplateVersion(input.name, input.templateVersion);
  if (!version) throw notFound(ctx, input.name, input.templateVersion);
  return {
    template: templateView(
      { ...head, displayName: version.displayName, description: version.description },
      version.templateVersion,
      { content: version.content, lastModifiedTime: version.createdTime, lastModifiedBy: version.createdBy },
    ),
  };
}) satisfies AnalysisOperation;

const templateView = (
  head: AnalysisTemplateRecord,
  version: number,
  body: { content: string; lastModifiedTime: number; lastModifiedBy: string },
) =>
  compact({
    arn: head.arn,
    name: head.name,
    displayName: head.displayName,
    description: head.description,
    templateVersion: version,
    latestTemplateVersion: head.templateVersion,
    content: body.content,
    builtIn: false,
    createdTime: seconds(head.createdTime),
    createdBy: head.createdBy,
    lastModifiedTime: seconds(body.lastModifiedTime),
    lastModifiedBy: body.lastModifiedBy,
    tags: head.tags,
  });

const builtInView = (ctx: RequestContext) => ({
  arn: analysisTemplateArn(ctx, DEFAULT_TEMPLATE_NAME),
  name: DEFAULT_TEMPLATE_NAME,
  displayName: 'Post-incident analysis (built-in)',
  description: "The default template, with Incident Manager's structure and questions.",
  templateVersion: DEFAULT_TEMPLATE_VERSION,
  latestTemplateVersion: DEFAULT_TEMPLATE_VERSION,
  content: DEFAULT_TEMPLATE.text,
  builtIn: true,
  tags: {},
});

const updateInput = struct({
  name: required(templateName),
  content: required({ parse: (value) => value }),
  displayName: optional(displayName),
  description: optional(description),
  /** Optimistic locking: the update applies only while this is still the newest version. */
  expectedTemplateVersion: optional(templateVersion),
  clientToken: optional(clientToken),
});

export const updateAnalysisTemplate = (async ({ store }, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  if (isBuiltIn(input.name)) throw builtInIsReadOnly(input.name);
  const { text } = parseTemplateContent(input.content);
  const idempotency = idempotencyKeyOf('UpdateAnalysisTemplate', input);
  const result = await retryOnStaleVersion(async () => {
    const found = await store.getTemplate(input.name);
    if (!found) throw notFound(ctx, input.name);
    const head = found.record;
    if (input.expectedTemplateVersion !== undefined && input.expectedTemplateVersion !== head.templateVersion)
      throw new VersionConflictError(
        `Analysis template ${input.name} is at version ${head.templateVersion}, not ${input.expectedTemplateVersion}.`,
        head.arn,
        head.templateVersion,
      );
    const next: AnalysisTemplateRecord = compact({
      ...head,
      displayName: input.displayName ?? head.displayName,
      description: input.description ?? head.description,
      templateVersion: head.templateVersion + 1,
      content: text,
      lastModifiedTime: ctx.now,
      lastModifiedBy: ctx.caller.principalArn,
    });
    return store.updateTemplate(next, found.version, idempotency, ctx.now);
  });
  return { arn: analysisTemplateArn(ctx, input.name), name: input.name, templateVersion: result.templateVersion };
}) satisfies AnalysisOperation;

const nameInput = struct({ name: required(templateName) });

export const deleteAnalysisTemplate = (async ({ store }, _ctx, raw) => {
  const input = nameInput.parse(raw, '');
  if (isBuiltIn(input.name)) throw builtInIsReadOnly(input.name);
  // Analyses keep their own copy of the sections, so deleting a template changes none of them.
  await store.deleteTemplate(input.name);
  return undefined;
}) satisfies AnalysisOperation;

const listInput = struct({ maxResults: optional(maxResults()), nextToken: optional(nextToken) });

export const listAnalysisTemplates = (async ({ store }, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const size = input.maxResults ?? 100;
  // The built-in template opens the first page; stored templates follow by name. This operation's nextToken is the
  // store's, prefixed with `T` (`T` alone: the stored templates from their start, after a first page of one).
  if (input.nextToken !== undefined && !input.nextToken.startsWith('T'))
    throw new ValidationError('The nextToken is not valid for this request.', 'nextToken');
  const first = input.nextToken === undefined;
  const storeToken = input.nextToken?.slice(1) || undefined;
  const page =
    first && size === 1 ? { items: [], nextToken: '' } : await store.listTemplates(first ? size - 1 : size, storeToken);
  const builtIn = builtInView(ctx);
  const summaries = [
    ...(first
      ? [{ arn: builtIn.arn, name: builtIn.name, displayName: builtIn.displayName, templateVersion: 1, builtIn: true }]
      : []),
    ...page.items.map((t) =>
      compact({
        arn: t.arn,
        name: t.name,
        displayName: t.displayName,
        templateVersion: t.templateVersion,
        builtIn: false,
        lastModifiedTime: seconds(t.lastModifiedTime),
      }),
    ),
  ];
  return compact({
    analysisTemplateSummaries: summaries,
    nextToken: page.nextToken === undefined ? undefined : `T${page.nextToken}`,
  });
}) satisfies AnalysisOperation;

const versionsInput = struct({
  name: required(templateName),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

export const listAnalysisTemplateVersions = (async ({ store }, ctx, raw) => {
  const input = versionsInput.parse(raw, '');
  if (isBuiltIn(input.name)) return { templateVersions: [{ templateVersion: DEFAULT_TEMPLATE_VERSION }] };
  const page = await store.listTemplateVersions(input.name, input.maxResults ?? 100, input.nextToken);
  if (page.items.length === 0 && input.nextToken === undefined && !(await store.getTemplate(input.name)))
    throw notFound(ctx, input.name);
  return compact({
    templateVersions: page.items.map((v) =>
      compact({
        templateVersion: v.templateVersion,
        displayName: v.displayName,
        createdTime: seconds(v.createdTime),
        createdBy: v.createdBy,
      }),
    ),
    nextToken: page.nextToken,
  });
}) satisfies AnalysisOperation;

/** The template an analysis is created from: the built-in one by default, else a stored one at a version. */
export async function resolveTemplate(
  { store }: AnalysisDependencies,
  ctx: RequestContext,
  name: string | undefined,
  version: number | undefined,
): Promise<{ name: string; templateVersion: number; document: TemplateDocument }> {
  if (name === undefined || isBuiltIn(name)) {
    if (version !== undefined && version !== DEFAULT_TEMPLATE_VERSION)
      throw notFound(ctx, DEFAULT_TEMPLATE_NAME, version);
    return {
      name: DEFAULT_TEMPLATE_NAME,
      templateVersion: DEFAULT_TEMPLATE_VERSION,
      document: DEFAULT_TEMPLATE.document,
    };
  }
  const found = await store.getTemplate(name);
  if (!found) throw notFound(ctx, name);
  const head = found.record;
  const content =
    version === undefined || version === head.templateVersion
      ? head.content
      : (await store.getTemplateVersion(name, version))?.content;
  if (content === undefined) throw notFound(ctx, name, version);
  return {
    name,
    templateVersion: version ?? head.templateVersion,
    document: parseTemplateContent(content).document,
  };
}
