/** Records to wire shapes: instants in epoch seconds, absent members left out. */
import { compact, seconds } from '#core/shared/operation.ts';
import type { Versioned } from '#core/shared/storage.ts';
import { keyFiguresView } from './key-figures.ts';
import type {
  ActionItemRecord,
  AnalysisRecord,
  AnalysisTimelineEventRecord,
  EngagementSnapshot,
  FullAnalysis,
  IncidentSnapshot,
  SectionRecord,
} from './ports.ts';

export const incidentSnapshotView = (s: IncidentSnapshot) =>
  compact({
    arn: s.arn,
    title: s.title,
    summary: s.summary,
    status: s.status,
    impact: s.impact,
    impactHistory: s.impactHistory.map((c) => compact({ time: seconds(c.time), impact: c.impact })),
    statusHistory: s.statusHistory.map((c) => ({ time: seconds(c.time), status: c.status })),
    creationTime: seconds(s.creationTime),
    resolvedTime: seconds(s.resolvedTime),
    incidentRecordSource: s.source,
    responsePlan: s.responsePlan,
  });

export const engagementView = (e: EngagementSnapshot) =>
  compact({
    engagementArn: e.engagementArn,
    contactArn: e.contactArn,
    contactType: e.contactType,
    status: e.status,
    startTime: seconds(e.startTime),
    stopTime: seconds(e.stopTime),
    stagesRun: e.stagesRun,
    stages: e.stages,
    parentEngagementArn: e.parentEngagementArn,
    pages: e.pages.map((p) =>
      compact({
        pageArn: p.pageArn,
        contactArn: p.contactArn,
        channelType: p.channelType,
        stageIndex: p.stageIndex,
        createdTime: seconds(p.createdTime),
        sentTime: seconds(p.sentTime),
        deliveryTime: seconds(p.deliveryTime),
        readTime: seconds(p.readTime),
        stopTime: seconds(p.stopTime),
      }),
    ),
  });

export const sectionView = ({ record: s, version }: Versioned<SectionRecord>) =>
  compact({
    sectionId: s.sectionId,
    name: s.name,
    version,
    lastModifiedTime: seconds(s.lastModifiedTime),
    lastModifiedBy: s.lastModifiedBy,
    components: s.components.map((c) => {
      if (c.type === 'questions')
        return compact({
          type: c.type,
          title: c.title,
          description: c.description,
          questions: c.questions.map((q) => ({ id: q.id, answerType: q.answerType, answer: s.answers[q.id] ?? '' })),
        });
      if (c.type === 'checklist')
        return compact({
          type: c.type,
          title: c.title,
          description: c.description,
          items: c.items.map((item) => ({ id: item.id, text: item.text, checked: s.checked[item.id] === true })),
        });
      return { type: c.type, kind: c.kind, definition: c.definition };
    }),
  });

export const actionItemView = (item: ActionItemRecord) =>
  compact({
    arn: item.arn,
    analysisArn: item.analysisArn,
    incidentRecordArn: item.incidentRecordArn,
    title: item.title,
    description: item.description,
    owner: item.owner,
    priority: item.priority,
    dueDate: seconds(item.dueDate),
    status: item.status,
    trackingLink: item.trackingLink,
    createdTime: seconds(item.createdTime),
    createdBy: item.createdBy,
    lastModifiedTime: seconds(item.lastModifiedTime),
    lastModifiedBy: item.lastModifiedBy,
    closedTime: seconds(item.closedTime),
  });

export const analysisSummaryView = (a: AnalysisRecord) =>
  compact({
    arn: a.arn,
    title: a.title,
    status: a.status,
    incidentRecordArn: a.incidentRecordArn,
    incidentTitle: a.incident.title,
    impact: a.incident.impact,
    responsePlanName: a.incident.responsePlan.name,
    createdTime: seconds(a.createdTime),
    lastModifiedTime: seconds(a.lastModifiedTime),
    publishedTime: seconds(a.publishedTime),
  });

/** Sections in the template's order. */
export const orderedSections = (full: FullAnalysis) =>
  [...full.sections].sort((a, b) => a.record.position - b.record.position);

export const analysisView = (full: FullAnalysis) => {
  const a = full.analysis.record;
  return compact({
    ...analysisSummaryView(a),
    template: a.template,
    createdBy: a.createdBy,
    lastModifiedBy: a.lastModifiedBy,
    incident: incidentSnapshotView(a.incident),
    keyFigures: keyFiguresView(a.keyFigures),
    metrics: a.metrics,
    engagements: a.engagements.map(engagementView),
    pagesTruncated: a.pagesTruncated,
    sections: orderedSections(full).map(sectionView),
    actionItems: [...full.actionItems].sort((x, y) => x.createdTime - y.createdTime).map(actionItemView),
    tags: a.tags,
  });
};

export const timelineEventView = (e: AnalysisTimelineEventRecord) =>
  compact({
    eventId: e.eventId,
    eventTime: seconds(e.eventTime),
    eventUpdatedTime: seconds(e.eventUpdatedTime),
    eventType: e.eventType,
    eventData: e.eventData,
    eventReferences: e.eventReferences,
    origin: e.origin,
  });
