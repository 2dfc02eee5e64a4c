/** The one stack: the table and the API that serves it. Environment-agnostic, so synth needs no AWS lookups. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataTable } from './constructs/data-table.ts';
import { IncidentsApi } from './constructs/incidents-api.ts';

export class IncidentManagerStack extends Stack {
  public readonly data: DataTable;
  public readonly api: IncidentsApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Fixed construct id; the table's logical id is pinned inside DataTable as well.
    this.data = new DataTable(this, 'Data');
    this.api = new IncidentsApi(this, 'IncidentsApi', { data: this.data });

    new CfnOutput(this, 'ApiEndpoint', {
      description: 'Endpoint for SSMIncidentsClient (sign requests as execute-api)',
      value: this.api.url,
    });
    new CfnOutput(this, 'ExecuteApiArn', {
      description: 'Resource for execute-api:Invoke in the IAM policies of callers (narrow the method/path as needed)',
      value: this.api.httpApi.arnForExecuteApi(),
    });
    new CfnOutput(this, 'TableName', { description: 'DynamoDB table holding all incident data', value: this.data.table.tableName });
  }
}
