/**
 * ExportAnalysis: the whole analysis as a Markdown document a team can paste into a wiki, or as JSON (the
 * GetAnalysis view plus the complete timeline copy). Rendering is a pure function of the records.
 */
import { optional, required, struct } from '#core/shared/validation.ts';
import { loadAnalysis } from './analyses.ts';
import type { AnalysisOperation } from './operation.ts';
import type { AnalysisTimelineEventRecord, FullAnalysis } from './ports.ts';
import { arnString, exportFormat } from './shapes.ts';
import { analysisView, orderedSections, timelineEventView } from './views.ts';

const IMPACT_NAMES: Record<number, string> = { 1: 'Critical', 2: 'High', 3: 'Medium', 4: 'Low', 5: 'No impact' };

const iso = (ms: number | undefined) => (ms === undefined ? '—' : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** 3725000 ms -> "1h 2m 5s"; under a second -> "0s". */
export const duration = (ms: number | undefined): string => {
  if (ms === undefined) return '—';
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(' ');
};

/** A table cell: no pipes or line breaks that would break the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

const table = (head: string[], rows: string[][]) => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
];

/** Automatic events carry JSON; show their members as `key: value` instead of raw JSON. */
const eventText = (e: AnalysisTimelineEventRecord) => {
  try {
    const data = JSON.parse(e.eventData) as unknown;
    if (data && typeof data === 'object' && !Array.isArray(data))
      return Object.entries(data)
        .filter(([key]) => key !== 'rawData')
        .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('; ');
  } catch {
    // Plain text (notes, custom events).
  }
  return e.eventData;
};

const impactText = (impact: number | undefined) =>
  impact === undefined ? 'not recorded' : `${impact} (${IMPACT_NAMES[impact] ?? 'unknown'})`;

export function renderMarkdown(full: FullAnalysis, timeline: readonly AnalysisTimelineEventRecord[]): string {
  const a = full.analysis.record;
  const f = a.keyFigures;
  const lines: string[] = [
    `# ${a.title}`,
    '',
    `- **Status:** ${a.status}${a.publishedTime ? ` (published ${iso(a.publishedTime)})` : ''}`,
    `- **Incident:** ${a.incident.title} (\`${a.incident.arn}\`)`,
    `- **Response plan:** ${a.incident.responsePlan.displayName ?? a.incident.responsePlan.name}`,
    `- **Impact:** ${impactText(a.incident.impact)}`,
    `- **Opened:** ${iso(a.incident.creationTime)} · **Resolved:** ${iso(a.incident.resolvedTime)} · **Duration:** ${duration(f.timeToResolve)}`,
    `- **Template:** ${a.template.name} (version ${a.template.templateVersion})`,
    '',
    '## Key figures',
    '',
    ...table(
      ['Figure', 'Value'],
      [
        ['Time to detect (alarm or event → incident)', duration(f.timeToDetect)],
        ['Time to engage (incident → first page)', duration(f.timeToEngage)],
        [
          'Time to acknowledge (first page → first acknowledgement)',
          f.acknowledged ? duration(f.timeToAcknowledge) : 'never acknowledged',
        ],
        ['Time to first acknowledgement (incident → acknowledgement)', duration(f.timeToFirstAcknowledgement)],
        ['Time to mitigate (incident → impact 5, No impact)', duration(f.timeToMitigate)],
        ['Time to resolve', duration(f.timeToResolve)],
        ...(f.reopenCount
          ? [
              ['Time to first resolution', duration(f.timeToFirstResolve)],
              ['Reopened', `${f.reopenCount} time(s)`],
            ]
          : []),
        ['Pages', `${f.pages} to ${f.contactsPaged} contact(s), ${f.pagesAcknowledged} acknowledged`],
        ['Escalation stages reached', String(f.escalationStagesReached)],
        ['Runbook executions', String(f.runbookExecutions)],
        ...(f.runbookStepsRun !== undefined ? [['Runbook steps run', String(f.runbookStepsRun)]] : []),
      ],
    ),
    '',
    '## Impact history',
    '',
    ...a.incident.impactHistory.map((c) => `- ${iso(c.time)}: impact ${impactText(c.impact)}`),
    ...(a.incident.statusHistory.length > 2
      ? ['', '## Status history', '', ...a.incident.statusHistory.map((s) => `- ${iso(s.time)}: ${s.status}`)]
      : []),
  ];

  for (const { record: s } of orderedSections(full)) {
    lines.push('', `## ${s.name}`);
    for (const c of s.components) {
      if (c.type === 'questions') {
        lines.push('', `### ${c.title}`);
        if (c.description) lines.push('', `_${c.description}_`);
        for (const q of c.questions) lines.push('', s.answers[q.id]?.trim() || '_No answer yet._');
      } else if (c.type === 'checklist') {
        lines.push('', `### ${c.title}`, '');
        for (const item of c.items) lines.push(`- [${s.checked[item.id] ? 'x' : ' '}] ${item.text}`);
      }
    }
  }

  if (a.metrics.length) {
    lines.push('', '## Incident metrics', '');
    for (const m of a.metrics) {
      const value = m.identifier.value;
      const shown =
        'metricDefinition' in value ? value.metricDefinition : 'arn' in value ? value.arn : JSON.stringify(value);
      lines.push(`- ${m.title ? `**${m.title}**: ` : ''}\`${shown}\``);
    }
  }

  lines.push('', '## Incident timeline', '');
  if (timeline.length)
    lines.push(
      ...table(
        ['Time (UTC)', 'Event', 'Details'],
        timeline.map((e) => [iso(e.eventTime), e.eventType, eventText(e)]),
      ),
    );
  else lines.push('_The timeline is empty._');

  if (a.engagements.length) {
    lines.push('', '## Engagements', '');
    lines.push(
      ...table(
        ['Contact', 'Type', 'Engaged', 'Status', 'Pages', 'Acknowledged'],
        a.engagements.map((e) => {
          const read = e.pages.map((p) => p.readTime).filter((t): t is number => t !== undefined);
          return [
            e.contactArn.slice(e.contactArn.lastIndexOf('/') + 1),
            e.contactType,
            iso(e.startTime),
            e.status,
            String(e.pages.length),
            read.length ? iso(Math.min(...read)) : '—',
          ];
        }),
      ),
    );
  }

  lines.push('', '## Action items', '');
  if (full.actionItems.length)
    lines.push(
      ...table(
        ['Title', 'Owner', 'Priority', 'Due', 'Status', 'Tracking'],
        [...full.actionItems]
          .sort((x, y) => x.createdTime - y.createdTime)
          .map((i) => [
            i.title,
            i.owner ? i.owner.slice(i.owner.lastIndexOf('/') + 1) : '—',
            i.priority,
            i.dueDate !== undefined ? iso(i.dueDate).slice(0, 10) : '—',
            i.status,
            i.trackingLink ?? '—',
          ]),
      ),
    );
  else lines.push('_No action items._');
  return `${lines.join('\n')}\n`;
}

const exportInput = struct({ arn: required(arnString()), format: optional(exportFormat) });

export const exportAnalysis = (async (deps, ctx, raw) => {
  const input = exportInput.parse(raw, '');
  const full = await loadAnalysis(deps, ctx, input.arn, 'arn');
  const timeline: AnalysisTimelineEventRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.store.listTimeline(full.analysis.record.analysisId, true, 1000, nextToken);
    timeline.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  const format = input.format ?? 'MARKDOWN';
  const base = `analysis-${full.analysis.record.analysisId}`;
  if (format === 'JSON')
    return {
      format,
      fileName: `${base}.json`,
      content: JSON.stringify(
        { formatVersion: 1, analysis: analysisView(full), timeline: timeline.map(timelineEventView) },
        null,
        2,
      ),
    };
  return { format, fileName: `${base}.md`, content: renderMarkdown(full, timeline) };
}) satisfies AnalysisOperation;
