/**
 * Analyses: CreateAnalysis (from a RESOLVED incident and a template), GetAnalysis, ListAnalyses, UpdateAnalysis
 * (title, lifecycle DRAFT -> IN_REVIEW -> PUBLISHED), UpdateAnalysisSection (answers, per-section optimistic
 * locking), DeleteAnalysis.
 */

import { expectIncidentArn } from '#core/incidents/arns.ts';
import { recordUpdateEvent } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord } from '#core/incidents/ports.ts';
import { generatedIdOf } from '#core/incidents/related-item-ids.ts';
import type { ItemIdentifier } from '#core/incidents/shapes.ts';
import { ConflictError, ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import { newId, sha256Hex } from '#core/shared/ids.ts';
import { compact, idempotencyKeyOf, retryOnStaleVersion } from '#core/shared/operation.ts';
import type { RequestContext } from '#core/shared/service-context.ts';
import { boolean, map, optional, required, struct } from '#core/shared/validation.ts';
import { analysisArn, expectAnalysisArn } from './arns.ts';
import { readOnlyAnalysis, VersionConflictError } from './errors.ts';
import {
  engagementSnapshots,
  incidentSnapshot,
  loadIncidentByArn,
  metricSnapshots,
  readIncidentFullRecord,
} from './incident-record.ts';
import { computeKeyFigures } from './key-figures.ts';
import type { AnalysisDependencies, AnalysisOperation } from './operation.ts';
import type {
  AnalysisRecord,
  AnalysisStatus,
  AnalysisTimelineEventRecord,
  FullAnalysis,
  SectionRecord,
} from './ports.ts';
import {
  analysisStatus,
  analysisTitle,
  answer,
  arnString,
  clientToken,
  maxResults,
  nextToken,
  questionId,
  sectionId,
  tagMap,
  templateName,
  templateVersion,
} from './shapes.ts';
import { checklistIdsOf, questionIdsOf } from './template-document.ts';
import { resolveTemplate } from './templates.ts';
import { analysisSummaryView, analysisView } from './views.ts';

// ---- CreateAnalysis -------------------------------------------------------------------------------------------

const createInput = struct({
  incidentRecordArn: required(arnString()),
  templateName: optional(templateName),
  templateVersion: optional(templateVersion),
  title: optional(analysisTitle),
  /** An incident has one analysis unless the caller asks for another one. */
  allowMultiple: optional(boolean()),
  clientToken: optional(clientToken),
  tags: optional(tagMap(0)),
});

export const createAnalysis = (async (deps, ctx, raw) => {
  const input = createInput.parse(raw, '');
  const idempotency = idempotencyKeyOf('CreateAnalysis', input);
  const { incidentId } = expectIncidentArn(ctx, input.incidentRecordArn, 'incidentRecordArn');
  // A retry with the same clientToken: the first call's analysis, linked again in case the first call stopped short.
  const replay = idempotency
    ? await deps.store.previousResult<{ analysisArn: string; title: string }>(idempotency, ctx.now)
    : undefined;
  if (replay) {
    const incident = await deps.incidents.getIncident(incidentId);
    if (incident) await linkToIncident(deps, ctx, incident.record, replay.analysisArn, replay.title);
    return { analysisArn: replay.analysisArn };
  }
  const { record: incident } = await loadIncidentByArn(deps, ctx, input.incidentRecordArn, 'incidentRecordArn');
  if (incident.status !== 'RESOLVED')
    throw new ConflictError(
      `Incident ${incident.arn} is OPEN: an analysis is created from a resolved incident.`,
      'INCIDENT_RECORD',
      incident.arn,
    );
  const claimed = await deps.store.claimedAnalysisOf(incident.id);
  if (claimed && !input.allowMultiple) throw alreadyAnalysed(incident.arn, claimed);
  const template = await resolveTemplate(deps, ctx, input.templateName, input.templateVersion);

  const record = await readIncidentFullRecord(deps, incident);
  const analysisId = newId();
  const arn = analysisArn(ctx, analysisId);
  const { engagements, truncated } = engagementSnapshots(record.engagements, record.pages);
  const analysis: AnalysisRecord = compact({
    arn,
    analysisId,
    title: input.title ?? `Analysis: ${incident.title}`.slice(0, 200),
    status: 'DRAFT' as const,
    incidentRecordArn: incident.arn,
    incidentId: incident.id,
    template: { name: template.name, templateVersion: template.templateVersion },
    sectionIds: template.document.sections.map((s) => s.id),
    incident: incidentSnapshot(ctx, record),
    keyFigures: computeKeyFigures(record),
    metrics: metricSnapshots(record.relatedItems),
    engagements,
    pagesTruncated: truncated || undefined,
    tags: input.tags ?? {},
    createdTime: ctx.now,
    createdBy: ctx.caller.principalArn,
    lastModifiedTime: ctx.now,
    lastModifiedBy: ctx.caller.principalArn,
  });
  const sections: SectionRecord[] = template.document.sections.map((s, position) => ({
    sectionId: s.id,
    position,
    name: s.name,
    components: s.components,
    answers: {},
    checked: {},
  }));
  const copy: AnalysisTimelineEventRecord[] = record.timeline.map((e) => ({
    eventId: e.eventId,
    eventTime: e.eventTime,
    eventUpdatedTime: e.eventUpdatedTime,
    eventType: e.eventType,
    eventData: e.eventData,
    ...(e.eventReferences?.length ? { eventReferences: e.eventReferences } : {}),
    origin: 'INCIDENT' as const,
  }));
  // The copy first: it is invisible until the analysis item that owns it exists.
  await deps.store.writeTimelineCopy(analysisId, copy);
  const created = await createClaiming(deps, analysis, sections, !claimed, Boolean(input.allowMultiple), idempotency);
  await linkToIncident(deps, ctx, incident, created.analysisArn, analysis.title);
  return { analysisArn: created.analysisArn };
}) satisfies AnalysisOperation;

const alreadyAnalysed = (incidentArn: string, existing: string) =>
  new ConflictError(
    `Incident ${incidentArn} already has an analysis (${existing}); pass allowMultiple to create another one.`,
    undefined,
    existing,
  );

/** Creates the analysis holding the incident's claim when it is free; with allowMultiple a lost race creates it without. */
async function createClaiming(
  deps: AnalysisDependencies,
  analysis: AnalysisRecord,
  sections: SectionRecord[],
  claim: boolean,
  allowMultiple: boolean,
  idempotency: ReturnType<typeof idempotencyKeyOf>,
) {
  try {
    return await deps.store.createAnalysis(analysis, sections, claim, idempotency, analysis.createdTime);
  } catch (error) {
    if (!(claim && allowMultiple && error instanceof ConflictError)) throw error;
    return deps.store.createAnalysis(analysis, sections, false, idempotency, analysis.createdTime);
  }
}

const analysisItem = (arn: string): ItemIdentifier => ({ type: 'ANALYSIS', value: { arn } });

/**
 * Adds the ANALYSIS related item to the incident through the incidents store, with the same record-update timeline
 * event UpdateRelatedItems writes. Keyed by the analysis, so repeating it (a replayed CreateAnalysis) adds nothing.
 */
async function linkToIncident(
  deps: AnalysisDependencies,
  ctx: RequestContext,
  incident: IncidentRecord,
  arn: string,
  title: string,
) {
  const identifier = analysisItem(arn);
  const generatedId = generatedIdOf(identifier);
  const item = { identifier, title, generatedId, addedTime: ctx.now };
  const event = recordUpdateEvent(
    incident,
    ctx.caller.principalArn,
    [{ attributeName: 'relatedItems', newValue: JSON.stringify({ itemToAdd: item }) }],
    ctx.now,
    [{ resource: incident.arn }, { relatedItemId: generatedId }],
  );
  try {
    await deps.incidents.addRelatedItem(
      incident.id,
      item,
      event,
      { operation: 'analysis:LinkToIncident', token: arn, inputHash: sha256Hex(arn) },
      ctx.now,
    );
  } catch (error) {
    // The incident was deleted since: the analysis stands on its own snapshot.
    if (!(error instanceof ResourceNotFoundError)) throw error;
  }
}

// ---- GetAnalysis, ListAnalyses -------------------------------------------------------------------------------

export const loadAnalysis = async (
  deps: AnalysisDependencies,
  ctx: RequestContext,
  arn: string,
  field: string,
): Promise<FullAnalysis> => {
  const { analysisId } = expectAnalysisArn(ctx, arn, field);
  const found = await deps.store.getAnalysis(analysisId);
  if (!found) throw new ResourceNotFoundError(`Analysis ${arn} does not exist.`, undefined, arn);
  return found;
};

/** The analysis item alone (one GetItem), for operations that need neither sections nor action items. */
export const loadAnalysisRecord = async (
  deps: AnalysisDependencies,
  ctx: RequestContext,
  arn: string,
  field: string,
) => {
  const { analysisId } = expectAnalysisArn(ctx, arn, field);
  const found = await deps.store.getAnalysisRecord(analysisId);
  if (!found) throw new ResourceNotFoundError(`Analysis ${arn} does not exist.`, undefined, arn);
  return found;
};

const arnInput = struct({ arn: required(arnString()) });

export const getAnalysis = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  return { analysis: analysisView(await loadAnalysis(deps, ctx, input.arn, 'arn')) };
}) satisfies AnalysisOperation;

const listInput = struct({
  incidentRecordArn: optional(arnString()),
  status: optional(analysisStatus),
  maxResults: optional(maxResults()),
  nextToken: optional(nextToken),
});

export const listAnalyses = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  const incidentId = input.incidentRecordArn
    ? expectIncidentArn(ctx, input.incidentRecordArn, 'incidentRecordArn').incidentId
    : undefined;
  const page = await deps.store.listAnalyses(
    compact({ incidentId, status: input.status }),
    input.maxResults ?? 100,
    input.nextToken,
  );
  return compact({ analysisSummaries: page.items.map(analysisSummaryView), nextToken: page.nextToken });
}) satisfies AnalysisOperation;

// ---- UpdateAnalysis (title and lifecycle) --------------------------------------------------------------------

/** The lifecycle: a draft goes to review; a review is published or sent back to draft; published is final. */
const TRANSITIONS: Record<AnalysisStatus, readonly AnalysisStatus[]> = {
  DRAFT: ['IN_REVIEW'],
  IN_REVIEW: ['DRAFT', 'PUBLISHED'],
  PUBLISHED: [],
};

const updateInput = struct({
  arn: required(arnString()),
  title: optional(analysisTitle),
  status: optional(analysisStatus),
  /** Publishing with unchecked checklist items needs this, as Incident Manager asks for confirmation. */
  acknowledgeOpenChecklistItems: optional(boolean()),
  clientToken: optional(clientToken),
});

export const updateAnalysis = (async (deps, ctx, raw) => {
  const input = updateInput.parse(raw, '');
  const idempotency = idempotencyKeyOf('UpdateAnalysis', input);
  await retryOnStaleVersion(async () => {
    const full = await loadAnalysis(deps, ctx, input.arn, 'arn');
    const { record, version } = full.analysis;
    const statusChanges = input.status !== undefined && input.status !== record.status;
    const titleChanges = input.title !== undefined && input.title !== record.title;
    if (!statusChanges && !titleChanges) return;
    if (record.status === 'PUBLISHED') throw readOnlyAnalysis(record.arn);
    const next: AnalysisRecord = { ...record, lastModifiedTime: ctx.now, lastModifiedBy: ctx.caller.principalArn };
    if (titleChanges) next.title = input.title as string;
    if (statusChanges) {
      const to = input.status as AnalysisStatus;
      if (!TRANSITIONS[record.status].includes(to))
        throw new ValidationError(
          `Value at 'status' cannot move an analysis from ${record.status} to ${to}; allowed: ${
            TRANSITIONS[record.status].join(', ') || 'none'
          }.`,
          'status',
        );
      if (to === 'PUBLISHED') {
        const open = uncheckedItems(full);
        if (open.length && !input.acknowledgeOpenChecklistItems)
          throw new ValidationError(
            `Value at 'acknowledgeOpenChecklistItems' must be true to publish with ${open.length} unchecked checklist item(s) (${open.join(', ')}); check them first, or confirm.`,
            'acknowledgeOpenChecklistItems',
          );
        next.publishedTime = ctx.now;
      }
      next.status = to;
    }
    await deps.store.replaceAnalysis(next, version, idempotency, ctx.now);
  });
  return undefined;
}) satisfies AnalysisOperation;

const uncheckedItems = (full: FullAnalysis) =>
  full.sections.flatMap(({ record: s }) => [...checklistIdsOf(s)].filter((id) => s.checked[id] !== true));

// ---- UpdateAnalysisSection -----------------------------------------------------------------------------------

const sectionInput = struct({
  arn: required(arnString()),
  sectionId: required(sectionId),
  /** The section's version the caller read; the update applies only while it is still current. */
  expectedVersion: required(templateVersion),
  /** Markdown answers by question id; only the questions named change, an empty string clears an answer. */
  answers: optional(map(questionId, answer, { max: 100 })),
  /** Checklist items by id: true checks, false unchecks. */
  checklist: optional(map(questionId, boolean(), { max: 100 })),
  clientToken: optional(clientToken),
});

export const updateAnalysisSection = (async (deps, ctx, raw) => {
  const input = sectionInput.parse(raw, '');
  if (!input.answers && !input.checklist)
    throw new ValidationError("Value at 'answers' failed to satisfy constraint: set answers or checklist.", 'answers');
  const full = await loadAnalysis(deps, ctx, input.arn, 'arn');
  const analysis = full.analysis.record;
  if (analysis.status === 'PUBLISHED') throw readOnlyAnalysis(analysis.arn);
  const section = full.sections.find((s) => s.record.sectionId === input.sectionId);
  if (!section)
    throw new ValidationError(
      `Value at 'sectionId' names no section of this analysis (${analysis.sectionIds.join(', ')}).`,
      'sectionId',
    );
  const questions = questionIdsOf(section.record);
  for (const id of Object.keys(input.answers ?? {}))
    if (!questions.has(id))
      throw new ValidationError(
        `Value at 'answers.${id}' names no question of section ${input.sectionId}.`,
        `answers.${id}`,
      );
  const items = checklistIdsOf(section.record);
  for (const id of Object.keys(input.checklist ?? {}))
    if (!items.has(id))
      throw new ValidationError(
        `Value at 'checklist.${id}' names no checklist item of section ${input.sectionId}.`,
        `checklist.${id}`,
      );

  const answers = { ...section.record.answers };
  for (const [id, text] of Object.entries(input.answers ?? {})) {
    if (text === '') delete answers[id];
    else answers[id] = text;
  }
  const next: SectionRecord = {
    ...section.record,
    answers,
    checked: { ...section.record.checked, ...(input.checklist ?? {}) },
    lastModifiedTime: ctx.now,
    lastModifiedBy: ctx.caller.principalArn,
  };
  const idempotency = idempotencyKeyOf('UpdateAnalysisSection', input);
  const outcome = await deps.store.replaceSection(
    analysis.analysisId,
    next,
    input.expectedVersion,
    idempotency,
    ctx.now,
  );
  if (outcome.ok) return { sectionId: input.sectionId, version: input.expectedVersion + 1 };
  if (outcome.reason === 'published') throw readOnlyAnalysis(analysis.arn);
  const current =
    outcome.current ??
    (await loadAnalysis(deps, ctx, input.arn, 'arn')).sections.find((s) => s.record.sectionId === input.sectionId)
      ?.version;
  throw new VersionConflictError(
    `Section ${input.sectionId} of analysis ${analysis.arn} is at version ${current}, not ${input.expectedVersion}: another edit was saved first. Read the section again and re-apply your change.`,
    analysis.arn,
    current ?? 0,
  );
}) satisfies AnalysisOperation;

// ---- DeleteAnalysis ------------------------------------------------------------------------------------------

export const deleteAnalysis = (async (deps, ctx, raw) => {
  const input = arnInput.parse(raw, '');
  const { analysisId } = expectAnalysisArn(ctx, input.arn, 'arn');
  const found = await deps.store.getAnalysisRecord(analysisId);
  if (!found) return undefined; // Deleting what is not there succeeds, as the incidents API's deletes do.
  const analysis = found.record;
  // The incident's link first: a delete that stops part-way is retried while the analysis still exists, and removing
  // a link that is already gone writes nothing.
  const incident = await deps.incidents.getIncident(analysis.incidentId);
  if (incident) {
    const identifier = analysisItem(analysis.arn);
    const event = recordUpdateEvent(
      incident.record,
      ctx.caller.principalArn,
      [{ attributeName: 'relatedItems', newValue: JSON.stringify({ itemToRemove: identifier }) }],
      ctx.now,
    );
    try {
      await deps.incidents.removeRelatedItem(analysis.incidentId, generatedIdOf(identifier), event, undefined, ctx.now);
    } catch (error) {
      if (!(error instanceof ResourceNotFoundError)) throw error;
    }
  }
  await deps.store.deleteAnalysis(analysis);
  return undefined;
}) satisfies AnalysisOperation;
