/**
 * Key figures from an incident's record: detection, engagement, acknowledgement, mitigation and resolution times,
 * pages and escalation stages, for the incidents analyses are written about (never acknowledged, reopened, several
 * engagements, manual and alarm-opened).
 */
import { describe, expect, it } from 'vitest';
import { computeKeyFigures, impactHistory, keyFiguresView, statusHistory } from '#core/analysis/key-figures.ts';
import type { EngagementRecord, PageRecord } from '#core/contacts/engagements/model.ts';
import { recordUpdateEvent, startEvent, triggerEvent } from '#core/incidents/automatic-events.ts';
import type { IncidentRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import { stepEvent } from '#core/runbooks/timeline.ts';
import { incident as incidentRecord } from '../support/store.ts';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const min = (n: number) => T0 + n * 60_000;
const ALARM = 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:checkout-5xx';
const who = 'arn:aws:iam::111122223333:user/oncall';

const resolvedIncident = (overrides: Partial<IncidentRecord> = {}) =>
  incidentRecord({ creationTime: min(0), status: 'RESOLVED', resolvedTime: min(90), ...overrides });

const update = (incident: IncidentRecord, at: number, attributes: Record<string, string>): TimelineEventRecord =>
  recordUpdateEvent(
    incident,
    who,
    Object.entries(attributes).map(([attributeName, newValue]) => ({ attributeName, newValue })),
    at,
  );

const engagement = (overrides: Partial<EngagementRecord>): EngagementRecord => ({
  arn: `arn:aws:ssm-contacts:us-east-1:111122223333:engagement/${overrides.contactAlias ?? 'alice'}/${overrides.engagementId ?? 'e1'}`,
  engagementId: 'e1',
  contactArn: `arn:aws:ssm-contacts:us-east-1:111122223333:contact/${overrides.contactAlias ?? 'alice'}`,
  contactAlias: 'alice',
  contactType: 'PERSONAL',
  status: 'COMPLETED',
  startTime: min(1),
  stages: [{ durationInMinutes: 5, targets: [] }],
  nextStage: 1,
  minuteMs: 60_000,
  rootEngagementId: overrides.engagementId ?? 'e1',
  resolution: [],
  sender: 'Incident Manager',
  subject: 'Incident',
  content: 'Incident',
  ...overrides,
});

const page = (overrides: Partial<PageRecord>): PageRecord => ({
  arn: `arn:aws:ssm-contacts:us-east-1:111122223333:page/alice/${overrides.pageId ?? 'p1'}`,
  pageId: 'p1',
  engagementId: 'e1',
  engagementArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:engagement/alice/e1',
  rootEngagementId: 'e1',
  contactArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact/alice',
  contactAlias: 'alice',
  contactChannelArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact-channel/alice/c1',
  channelType: 'EMAIL',
  address: 'alice@example.com',
  stageIndex: 0,
  targetIndex: 0,
  sender: 'Incident Manager',
  subject: 'Incident',
  content: 'Incident',
  resolution: [],
  createdTime: min(1),
  attempts: 1,
  acceptCodeHashes: [],
  deliveryState: 'SENT',
  ...overrides,
});

describe('key figures', () => {
  it('measures an alarm-opened incident from the alarm to resolution, through engagement, acknowledgement and mitigation', () => {
    // Prepare: the alarm fired at 08:57, the incident opened at 09:00, paged at 09:01, acknowledged at 09:04,
    // impact lowered to 5 (No Impact) at 09:40, resolved at 10:30.
    const incident = resolvedIncident({
      impact: 5,
      incidentRecordSource: { createdBy: who, source: 'aws.cloudwatch', resourceArn: ALARM },
    });
    const timeline = [
      triggerEvent(incident.arn, { source: 'aws.cloudwatch', timestamp: min(-3), triggerArn: ALARM }, true, min(0)),
      startEvent({ ...incident, impact: 2 }, [], {}, ALARM, min(0)),
      update(incident, min(40), { impact: '5' }),
      update(incident, min(90), { status: 'RESOLVED' }),
    ];
    const pages = [page({ sentTime: min(1), readTime: min(4) })];

    // Act
    const figures = computeKeyFigures({ incident, timeline, engagements: [engagement({})], pages });

    // Assess
    expect(keyFiguresView(figures)).toMatchObject({
      timeToDetectSeconds: 180,
      timeToEngageSeconds: 60,
      timeToAcknowledgeSeconds: 180,
      timeToFirstAcknowledgementSeconds: 240,
      timeToMitigateSeconds: 2400,
      timeToResolveSeconds: 5400,
      acknowledged: true,
      pages: 1,
      pagesAcknowledged: 1,
      contactsPaged: 1,
      engagements: 1,
      reopenCount: 0,
    });
    expect(impactHistory(incident, timeline)).toEqual([
      { time: min(0), impact: 2 },
      { time: min(40), impact: 5 },
    ]);
  });

  it('reports an incident nobody acknowledged: pages counted, no acknowledgement time, detection absent for a manual start', () => {
    const incident = resolvedIncident();
    const timeline = [
      triggerEvent(incident.arn, undefined, true, min(0)),
      update(incident, min(90), { status: 'RESOLVED' }),
    ];
    const pages = [
      page({ pageId: 'p1', sentTime: min(2) }),
      page({ pageId: 'p2', sentTime: min(7), stageIndex: 1, stopTime: min(90) }),
    ];

    const figures = computeKeyFigures({ incident, timeline, engagements: [engagement({})], pages });

    expect(figures.acknowledged).toBe(false);
    expect(figures.pages).toBe(2);
    expect(figures.pagesAcknowledged).toBe(0);
    expect(figures.timeToEngage).toBe(2 * 60_000);
    expect(figures).not.toHaveProperty('timeToAcknowledge');
    expect(figures).not.toHaveProperty('timeToFirstAcknowledgement');
    expect(figures).not.toHaveProperty('detectedTime');
    expect(figures).not.toHaveProperty('timeToMitigate');
    expect(keyFiguresView(figures)).not.toHaveProperty('timeToAcknowledgeSeconds');
  });

  it('measures a reopened incident to its final resolution and reports the first resolution and the reopen', () => {
    // Resolved at 09:30, reopened at 09:50, resolved for good at 10:30.
    const incident = resolvedIncident();
    const timeline = [
      triggerEvent(incident.arn, undefined, true, min(0)),
      update(incident, min(30), { status: 'RESOLVED' }),
      update(incident, min(50), { status: 'OPEN' }),
      update(incident, min(90), { status: 'RESOLVED' }),
    ];

    const figures = computeKeyFigures({ incident, timeline, engagements: [], pages: [] });

    expect(figures.timeToResolve).toBe(90 * 60_000);
    expect(figures.timeToFirstResolve).toBe(30 * 60_000);
    expect(figures.reopenCount).toBe(1);
    expect(statusHistory(incident, timeline).map((s) => s.status)).toEqual(['OPEN', 'RESOLVED', 'OPEN', 'RESOLVED']);
  });

  it('takes the earliest page and acknowledgement across several engagements and counts the escalation stages run', () => {
    const incident = resolvedIncident();
    const escalation = engagement({
      engagementId: 'root',
      contactAlias: 'payments-escalation',
      contactType: 'ESCALATION',
      rootEngagementId: 'root',
      stages: [
        { durationInMinutes: 5, targets: [] },
        { durationInMinutes: 5, targets: [] },
        { durationInMinutes: 5, targets: [] },
      ],
      nextStage: 2,
    });
    const bob = engagement({
      engagementId: 'child',
      contactAlias: 'bob',
      rootEngagementId: 'root',
      parentEngagementId: 'root',
    });
    const carol = engagement({ engagementId: 'e2', contactAlias: 'carol', startTime: min(1) });
    const pages = [
      page({
        pageId: 'a',
        engagementId: 'child',
        rootEngagementId: 'root',
        contactArn: 'bob',
        sentTime: min(3),
        readTime: min(12),
      }),
      page({
        pageId: 'b',
        engagementId: 'e2',
        rootEngagementId: 'e2',
        contactArn: 'carol',
        createdTime: min(2),
        readTime: min(9),
      }),
      page({ pageId: 'c', engagementId: 'e2', rootEngagementId: 'e2', contactArn: 'carol', sentTime: min(8) }),
    ];

    const figures = computeKeyFigures({
      incident,
      timeline: [triggerEvent(incident.arn, undefined, true, min(0))],
      engagements: [escalation, bob, carol],
      pages,
    });

    expect(figures.firstPageTime).toBe(min(2));
    expect(figures.firstAcknowledgementTime).toBe(min(9));
    expect(figures.timeToAcknowledge).toBe(7 * 60_000);
    expect(figures.engagements).toBe(2);
    expect(figures.contactsPaged).toBe(2);
    expect(figures.pagesAcknowledged).toBe(2);
    expect(figures.escalationStagesReached).toBe(2);
  });

  it('keeps the impact history honest when the opening impact was not recorded', () => {
    const incident = resolvedIncident({ impact: 3 });
    const timeline = [update(incident, min(10), { impact: '3' })];
    expect(impactHistory(incident, timeline)).toEqual([{ time: min(0) }, { time: min(10), impact: 3 }]);
    // Without changes the current impact is the opening one.
    expect(impactHistory(incident, [])).toEqual([{ time: min(0), impact: 3 }]);
  });

  it('counts runbook executions and each runbook step that ran to an end once, from the events runbooks write', () => {
    const incident = resolvedIncident({
      automationExecutions: [{ ssmExecutionArn: 'arn:aws:ssm:us-east-1:111122223333:automation-execution/x' }],
    });
    const runbook = { incidentArn: incident.arn, documentName: 'Restart', relatedItemId: 'r' } as never;
    const execution = { executionId: 'x', documentName: 'Restart' } as never;
    const arn = 'arn:aws:ssm:us-east-1:111122223333:automation-execution/x';
    const step = (id: string, status: string, at: number) =>
      stepEvent(
        runbook,
        execution,
        arn,
        { stepName: id, stepExecutionId: id, action: 'aws:sleep', status, startTime: at, endTime: at } as never,
        at,
      );
    expect(computeKeyFigures({ incident, timeline: [], engagements: [], pages: [] })).not.toHaveProperty(
      'runbookStepsRun',
    );
    const timeline = [
      step('a', 'InProgress', min(1)),
      step('a', 'Success', min(2)),
      step('b', 'InProgress', min(2)),
      step('b', 'Failed', min(3)),
      step('c', 'Waiting', min(3)),
    ];
    expect(computeKeyFigures({ incident, timeline, engagements: [], pages: [] })).toMatchObject({
      runbookExecutions: 1,
      runbookStepsRun: 2,
    });
  });
});
