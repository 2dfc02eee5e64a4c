/** Deployed entry point of the trigger intake (alarms, events, SNS): its dependencies are built once, at module scope. */
import { createTriggerIntakeHandler } from '#handlers/trigger-intake.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createTriggerIntakeHandler(rootFromEnvironment());
