/** Synth-time check of a response plan name, so a typo fails `cdk synth` instead of every delivery at run time. */
import { Token } from 'aws-cdk-lib';

/** Incident Manager's response plan name pattern (the intake and the mapping resource use the same one). */
const PLAN_NAME = /^[a-zA-Z0-9-_]{1,200}$/;

export function assertResponsePlanName(name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!PLAN_NAME.test(name))
    throw new Error(`responsePlanName must be a response plan's name (1-200 of a-z, A-Z, 0-9, - and _), got '${name}'`);
}
