/**
 * The response plan form's state, and how it maps to CreateResponsePlan / UpdateResponsePlan and back. Field keys
 * are the API's input paths, so a ValidationException naming `incidentTemplate.title` (create) or
 * `incidentTemplateTitle` (update) lands next to the same input.
 */
import type {
  CreateResponsePlanCommandInput,
  GetResponsePlanCommandOutput,
  UpdateResponsePlanCommandInput,
} from '@aws-sdk/client-ssm-incidents';

export interface PlanForm {
  name: string;
  displayName: string;
  title: string;
  impact: string;
  summary: string;
  dedupeString: string;
  /** One SNS topic ARN per line. */
  notificationTargets: string;
  /** Contact ARNs engaged when an incident starts. */
  engagements: string[];
  /** One SNS topic ARN per line (Amazon Q Developer in chat applications). */
  chatTopics: string;
  runbookDocument: string;
  runbookRole: string;
  runbookVersion: string;
}

export const EMPTY_PLAN: PlanForm = {
  name: '',
  displayName: '',
  title: '',
  impact: '3',
  summary: '',
  dedupeString: '',
  notificationTargets: '',
  engagements: [],
  chatTopics: '',
  runbookDocument: '',
  runbookRole: '',
  runbookVersion: '',
};

const lines = (text: string) =>
  text
    .split(/\s*[\n,]\s*/)
    .map((s) => s.trim())
    .filter(Boolean);

export function formOfPlan(plan: GetResponsePlanCommandOutput): PlanForm {
  const automation = plan.actions?.[0]?.ssmAutomation;
  return {
    name: plan.name ?? '',
    displayName: plan.displayName ?? '',
    title: plan.incidentTemplate?.title ?? '',
    impact: String(plan.incidentTemplate?.impact ?? 3),
    summary: plan.incidentTemplate?.summary ?? '',
    dedupeString: plan.incidentTemplate?.dedupeString ?? '',
    notificationTargets: (plan.incidentTemplate?.notificationTargets ?? []).map((t) => t.snsTopicArn).join('\n'),
    engagements: plan.engagements ?? [],
    chatTopics: (plan.chatChannel?.chatbotSns ?? []).join('\n'),
    runbookDocument: automation?.documentName ?? '',
    runbookRole: automation?.roleArn ?? '',
    runbookVersion: automation?.documentVersion ?? '',
  };
}

const common = (form: PlanForm) => {
  const chat = lines(form.chatTopics);
  return {
    ...(form.displayName ? { displayName: form.displayName } : {}),
    chatChannel: chat.length ? { chatbotSns: chat } : { empty: {} },
    engagements: form.engagements,
    actions:
      form.runbookDocument || form.runbookRole
        ? [
            {
              ssmAutomation: {
                documentName: form.runbookDocument,
                roleArn: form.runbookRole,
                ...(form.runbookVersion ? { documentVersion: form.runbookVersion } : {}),
              },
            },
          ]
        : [],
  };
};

export function createInput(form: PlanForm, clientToken: string): CreateResponsePlanCommandInput {
  return {
    name: form.name,
    clientToken,
    incidentTemplate: {
      title: form.title,
      impact: Number(form.impact),
      ...(form.summary ? { summary: form.summary } : {}),
      ...(form.dedupeString ? { dedupeString: form.dedupeString } : {}),
      notificationTargets: lines(form.notificationTargets).map((snsTopicArn) => ({ snsTopicArn })),
    },
    ...common(form),
  };
}

export function updateInput(arn: string, form: PlanForm, clientToken: string): UpdateResponsePlanCommandInput {
  return {
    arn,
    clientToken,
    incidentTemplateTitle: form.title,
    incidentTemplateImpact: Number(form.impact),
    incidentTemplateSummary: form.summary,
    incidentTemplateDedupeString: form.dedupeString,
    incidentTemplateNotificationTargets: lines(form.notificationTargets).map((snsTopicArn) => ({ snsTopicArn })),
    ...common(form),
    displayName: form.displayName,
  };
}

/** The form field an API input path belongs to (create and update name members differently). */
export function formFieldOf(path: string | undefined): keyof PlanForm | undefined {
  if (!path) return undefined;
  const rules: [RegExp, keyof PlanForm][] = [
    [/^name$/, 'name'],
    [/^displayName$/, 'displayName'],
    [/^incidentTemplate(\.t|T)itle/, 'title'],
    [/^incidentTemplate(\.i|I)mpact/, 'impact'],
    [/^incidentTemplate(\.s|S)ummary/, 'summary'],
    [/^incidentTemplate(\.d|D)edupeString/, 'dedupeString'],
    [/^incidentTemplate(\.n|N)otificationTargets/, 'notificationTargets'],
    [/^engagements/, 'engagements'],
    [/^chatChannel/, 'chatTopics'],
    [/^actions.*documentName/, 'runbookDocument'],
    [/^actions.*documentVersion/, 'runbookVersion'],
    [/^actions/, 'runbookRole'],
  ];
  return rules.find(([pattern]) => pattern.test(path))?.[1];
}
