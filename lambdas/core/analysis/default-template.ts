/**
 * The built-in template, named like Incident Manager's standard one (`AWSIncidents-PostIncidentAnalysisTemplate`) so
 * scripts that name it keep working. It follows the structure and the questions the Incident Manager user guide
 * documents for that template (doc_source/analysis.md): an Overview (summary, impact, key action items), the Metrics
 * tab's key time points, the Timeline, the incident questions on detection, diagnosis, mitigation and prevention
 * (root cause by the 5 Whys), and a checklist before closing. Action items are records of their own, not answers.
 *
 * Verified against public copies: the section/components/questions shape, the markdown answer type, the Overview
 * section with its Summary question `S1` and an Impact question. The other ids and the exact wording of AWS's own
 * document are not public; the ids below are this project's, the wording follows the guide's descriptions.
 */
import { parseTemplateContent, type TemplateDocument } from './template-document.ts';

export const DEFAULT_TEMPLATE_NAME = 'AWSIncidents-PostIncidentAnalysisTemplate';
export const DEFAULT_TEMPLATE_VERSION = 1;

const markdown = { markdown: {} };
const question = (id: string) => ({ id, answer: markdown });

/** The content in Incident Manager's JSON, as GetAnalysisTemplate returns it (and as an export to SSM would need). */
export const DEFAULT_TEMPLATE_CONTENT = {
  sections: [
    {
      id: 'overview',
      name: 'Overview',
      components: [
        {
          questions: {
            title: 'Summary',
            description:
              'Background, what happened, why it happened, how it was mitigated and what is being done to keep it from happening again.',
            questions: [question('S1')],
          },
        },
        {
          questions: {
            title: 'Impact',
            description: 'A one or two paragraph summary of the impact on customers, and how long it lasted.',
            questions: [question('S2')],
          },
        },
        {
          questions: {
            title: 'Key action items',
            description: 'The action items that matter most to prevent a recurrence (track each one under Actions).',
            questions: [question('S3')],
          },
        },
      ],
    },
    {
      id: 'metrics',
      name: 'Metrics',
      components: [
        {
          questions: {
            title: 'Key time points',
            description:
              "Read the incident's metrics against its key time points: deployment change, configuration change, incident start, alarm time, time of engagement, mitigation start and resolution. What do the graphs show at each?",
            questions: [question('M1')],
          },
        },
      ],
    },
    {
      id: 'timeline',
      name: 'Timeline',
      components: [
        {
          questions: {
            title: 'Timeline',
            description:
              'Describe the key points of the timeline: remove points that do not matter to the analysis, add or correct points so the timeline tells what happened and when the impact changed.',
            questions: [question('T1')],
          },
        },
      ],
    },
    {
      id: 'incident-questions',
      name: 'Incident questions',
      components: [
        {
          questions: {
            title: 'Detection',
            description:
              'Could the time to detection improve? Are there updates to metrics and alarms that would detect the incident sooner?',
            questions: [question('D1')],
          },
        },
        {
          questions: {
            title: 'Diagnosis',
            description:
              'Could the time to diagnosis improve? Are there updates to the response plan or escalation plans that would engage the right responders sooner?',
            questions: [question('D2')],
          },
        },
        {
          questions: {
            title: 'Mitigation',
            description:
              'Could the time to mitigation improve? Are there runbook steps that could be added, improved or automated?',
            questions: [question('D3')],
          },
        },
        {
          questions: {
            title: 'Prevention: the 5 Whys',
            description:
              'Could future incidents be prevented? Find the root cause by asking why the problem happened, then why that happened, five times over.',
            questions: [question('W1'), question('W2'), question('W3'), question('W4'), question('W5')],
          },
        },
        {
          questions: {
            title: 'Root cause',
            description: 'The root cause the 5 Whys lead to, and why the action items address it.',
            questions: [question('RC')],
          },
        },
      ],
    },
    {
      id: 'checklist',
      name: 'Checklist',
      components: [
        {
          checklist: {
            title: 'Before publishing',
            description: 'Review these before the analysis is published.',
            items: [
              { id: 'C1', text: 'The summary and impact describe the incident for readers who were not part of it.' },
              { id: 'C2', text: 'The timeline shows detection, engagement, mitigation and resolution.' },
              { id: 'C3', text: 'The detection, diagnosis, mitigation and prevention questions are answered.' },
              { id: 'C4', text: 'Every action item has an owner, a priority and a due date.' },
              { id: 'C5', text: 'The analysis is blameless: it names no people, only systems and processes.' },
              { id: 'C6', text: 'The people who responded to the incident have reviewed the analysis.' },
            ],
          },
        },
      ],
    },
  ],
};

let parsed: { document: TemplateDocument; text: string } | undefined;

/**
 * The content parsed and validated like any template, on first use: only the requests that show or apply the
 * built-in template need it, so a cold start does not pay for the parse (docs/benchmarks.md, "Lambda bundles").
 */
export const DEFAULT_TEMPLATE: { readonly document: TemplateDocument; readonly text: string } = {
  get document() {
    parsed ??= parseTemplateContent(DEFAULT_TEMPLATE_CONTENT);
    return parsed.document;
  },
  get text() {
    parsed ??= parseTemplateContent(DEFAULT_TEMPLATE_CONTENT);
    return parsed.text;
  },
};

/** SSM reserves these prefixes for AWS-owned documents; this service reserves them for built-in templates. */
export const RESERVED_TEMPLATE_NAME = /^(aws|amazon|amzn)/i;
