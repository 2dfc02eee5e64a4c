/**
 * The CDK app: one IncidentManager stack, checked by cdk-nag's AWS Solutions pack at synth time.
 * `npx cdk deploy -c stackName=IncidentManagerStaging` deploys a second, independent copy.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describeBuild, ensureConsoleBuilt } from '../console/build.ts';
import { IncidentManagerStack } from '../lib/incident-manager-stack.ts';

// The stack deploys the built web console: build it first when a source changed (offline, a few seconds).
const built = await ensureConsoleBuilt();
if (built) console.error(describeBuild(built));

const app = new App();
const stackName: string = app.node.tryGetContext('stackName') ?? 'IncidentManager';

new IncidentManagerStack(app, stackName, {
  description: 'Open Incident Manager: an ssm-incidents compatible API on API Gateway, Lambda and DynamoDB',
});

// cdk-nag v3 is a policy-validation plugin (Aspects.of(app).add crashes with v3): error-level findings fail synth,
// and acknowledgements sit next to the constructs they concern.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
