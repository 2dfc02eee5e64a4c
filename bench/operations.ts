/** Phase 1: latency and DynamoDB requests of single API calls, on a table that only the API itself has written. */
import {
  CreateResponsePlanCommand,
  GetIncidentRecordCommand,
  ListIncidentRecordsCommand,
  StartIncidentCommand,
} from '@aws-sdk/client-ssm-incidents';
import type { BenchRuntime } from './bench-runtime.ts';
import { type Measurement, type MeasureOptions, measure } from './measure.ts';

export type OperationResults = Record<string, Measurement>;

const PLAN_NAME = 'bench-plan';

/**
 * Without a dedupe string on the plan and without trigger details every StartIncident opens a new incident, so the
 * StartIncident phase also leaves the incidents (warm-up + samples, all OPEN) the later phases read.
 */
export async function benchmarkOperations(bench: BenchRuntime, options: MeasureOptions): Promise<OperationResults> {
  const client = bench.incidents;
  const { arn: responsePlanArn } = await client.send(
    new CreateResponsePlanCommand({ name: PLAN_NAME, incidentTemplate: { title: 'Checkout is failing', impact: 2 } }),
  );

  const incidentArns: string[] = [];
  const startIncident = await measure(
    async () => {
      const { incidentRecordArn } = await client.send(new StartIncidentCommand({ responsePlanArn }));
      if (incidentRecordArn) incidentArns.push(incidentRecordArn);
    },
    bench.counter,
    { ...options, label: 'StartIncident' },
  );
  const getIncidentRecord = await measure(
    (i) => client.send(new GetIncidentRecordCommand({ arn: incidentArns[i % incidentArns.length] })),
    bench.counter,
    { ...options, label: 'GetIncidentRecord' },
  );
  const listPage = (maxResults?: number) =>
    measure(() => client.send(new ListIncidentRecordsCommand({ maxResults })), bench.counter, {
      ...options,
      label: `ListIncidentRecords (maxResults ${maxResults ?? 100})`,
    });

  return {
    StartIncident: startIncident,
    GetIncidentRecord: getIncidentRecord,
    'ListIncidentRecords (maxResults 100, default)': await listPage(),
    'ListIncidentRecords (maxResults 10)': await listPage(10),
  };
}
