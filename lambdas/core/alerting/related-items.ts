/**
 * What an alarm or event tells about the incident: METRIC related items (graph-ready metric definitions) and
 * INVOLVED_RESOURCE related items (ARNs of the resources named by the alarm's dimensions or the event's
 * `resources`), as Incident Manager collects them.
 */
import type { RelatedItemInput } from '#core/incidents/shapes.ts';
import { type AlarmMetricQuery, type AlarmStateChange, childAlarmsOf } from './alarm.ts';

const MAX_RELATED_ITEMS = 100;
const MAX_METRIC_DEFINITION = 4000;
const MAX_TITLE = 200;

interface Where {
  partition: string;
  region: string;
  accountId: string;
}

/** Resource ARN for one metric's dimensions, for the namespaces whose dimensions name a resource. */
export function resourceArnsOf(namespace: string | undefined, dims: Record<string, string>, at: Where): string[] {
  const { partition: p, region: r, accountId: a } = at;
  const arns: string[] = [];
  const add = (arn: string | undefined | false) => {
    if (arn) arns.push(arn);
  };
  switch (namespace) {
    case 'AWS/EC2':
      add(dims.InstanceId && `arn:${p}:ec2:${r}:${a}:instance/${dims.InstanceId}`);
      add(dims.ImageId && `arn:${p}:ec2:${r}::image/${dims.ImageId}`);
      break;
    case 'AWS/Lambda':
      add(
        dims.FunctionName &&
          `arn:${p}:lambda:${r}:${a}:function:${dims.FunctionName}${dims.Resource?.includes(':') ? dims.Resource.slice(dims.Resource.indexOf(':')) : ''}`,
      );
      break;
    case 'AWS/DynamoDB':
      if (dims.TableName) {
        add(`arn:${p}:dynamodb:${r}:${a}:table/${dims.TableName}`);
        add(
          dims.GlobalSecondaryIndexName &&
            `arn:${p}:dynamodb:${r}:${a}:table/${dims.TableName}/index/${dims.GlobalSecondaryIndexName}`,
        );
      }
      break;
    case 'AWS/RDS':
      add(dims.DBInstanceIdentifier && `arn:${p}:rds:${r}:${a}:db:${dims.DBInstanceIdentifier}`);
      add(dims.DBClusterIdentifier && `arn:${p}:rds:${r}:${a}:cluster:${dims.DBClusterIdentifier}`);
      break;
    case 'AWS/S3':
      add(dims.BucketName && `arn:${p}:s3:::${dims.BucketName}`);
      break;
    case 'AWS/SQS':
      add(dims.QueueName && `arn:${p}:sqs:${r}:${a}:${dims.QueueName}`);
      break;
    case 'AWS/SNS':
      add(dims.TopicName && `arn:${p}:sns:${r}:${a}:${dims.TopicName}`);
      break;
    case 'AWS/Kinesis':
      add(dims.StreamName && `arn:${p}:kinesis:${r}:${a}:stream/${dims.StreamName}`);
      break;
    case 'AWS/ApplicationELB':
    case 'AWS/NetworkELB':
      add(dims.LoadBalancer && `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/${dims.LoadBalancer}`);
      add(dims.TargetGroup && `arn:${p}:elasticloadbalancing:${r}:${a}:${dims.TargetGroup}`);
      break;
    case 'AWS/ECS':
      add(
        dims.ClusterName &&
          dims.ServiceName &&
          `arn:${p}:ecs:${r}:${a}:service/${dims.ClusterName}/${dims.ServiceName}`,
      );
      add(dims.ClusterName && !dims.ServiceName && `arn:${p}:ecs:${r}:${a}:cluster/${dims.ClusterName}`);
      break;
    case 'AWS/ApiGateway':
      add(dims.ApiId && `arn:${p}:apigateway:${r}::/apis/${dims.ApiId}`);
      // REST APIs are named by ApiName in metrics, but their ARNs need the id, which the metric does not carry.
      break;
    default:
      break;
  }
  // Some namespaces (Step Functions, custom metrics) put ARNs in dimensions directly.
  for (const value of Object.values(dims)) if (value.startsWith('arn:')) add(value);
  return arns;
}

/**
 * A CloudWatch metric-widget definition of the alarm's queries (the `metrics` array format that dashboards and
 * GetMetricWidgetImage take), so a console can draw the graph the alarm watched.
 */
export function metricWidgetOf(alarm: AlarmStateChange): string | undefined {
  if (alarm.metrics.length === 0) return undefined;
  const line = (query: AlarmMetricQuery): unknown[] => {
    const options: Record<string, unknown> = {};
    if (query.id) options.id = query.id;
    if (query.label) options.label = query.label;
    if (query.returnData === false) options.visible = false;
    if (query.expression) return [{ expression: query.expression, ...options }];
    const stat = query.metricStat;
    if (!stat) return [options];
    if (stat.stat) options.stat = stat.stat;
    if (stat.period) options.period = stat.period;
    const dimensions = Object.entries(stat.metric.dimensions).flat();
    return [stat.metric.namespace ?? '', stat.metric.name ?? '', ...dimensions, options];
  };
  const widget = {
    title: alarm.alarmName,
    region: alarm.region,
    view: 'timeSeries',
    metrics: alarm.metrics.map(line),
    annotations: { alarms: [alarm.alarmArn] },
  };
  let text = JSON.stringify(widget);
  // The model caps metricDefinition at 4,000 characters: keep the queries, drop what a graph can live without.
  if (text.length > MAX_METRIC_DEFINITION)
    text = JSON.stringify({ ...widget, annotations: undefined, title: undefined });
  return text.length > MAX_METRIC_DEFINITION ? undefined : text;
}

const clip = (text: string) => (text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text);

/** Related items for an alarm trigger: its metrics graph, the resources its dimensions name, child alarms. */
export function alarmRelatedItems(alarm: AlarmStateChange, partition: string): RelatedItemInput[] {
  const at = { partition, region: alarm.region, accountId: alarm.accountId };
  const items: RelatedItemInput[] = [];
  const widget = metricWidgetOf(alarm);
  if (widget)
    items.push({
      identifier: { type: 'METRIC', value: { metricDefinition: widget } },
      title: clip(`${alarm.alarmName} metrics`),
    });
  const arns = new Set<string>();
  for (const query of alarm.metrics) {
    if (query.metricStat)
      for (const arn of resourceArnsOf(query.metricStat.metric.namespace, query.metricStat.metric.dimensions, at))
        arns.add(arn);
  }
  for (const child of childAlarmsOf(alarm.alarmRule)) {
    arns.add(
      child.startsWith('arn:')
        ? child
        : `arn:${partition}:cloudwatch:${alarm.region}:${alarm.accountId}:alarm:${child}`,
    );
  }
  for (const arn of arns)
    items.push({
      identifier: { type: 'INVOLVED_RESOURCE', value: { arn } },
      title: clip(arn.slice(arn.lastIndexOf(':') + 1)),
    });
  return items.slice(0, MAX_RELATED_ITEMS);
}

/** Related items for an EventBridge event: every ARN in its `resources`. */
export function eventRelatedItems(resources: unknown): RelatedItemInput[] {
  const arns = Array.isArray(resources)
    ? resources.filter(
        (r): r is string => typeof r === 'string' && /^arn:aws(-cn|-us-gov)?:/.test(r) && r.length <= 1000,
      )
    : [];
  return [...new Set(arns)]
    .slice(0, MAX_RELATED_ITEMS)
    .map((arn) => ({ identifier: { type: 'INVOLVED_RESOURCE', value: { arn } } }));
}
