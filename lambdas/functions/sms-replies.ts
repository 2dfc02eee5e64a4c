/** Deployed entry point of SMS replies (two-way SMS through SNS): its dependencies are built once, at module scope. */
import { createSmsRepliesHandler } from '#handlers/sms-replies.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createSmsRepliesHandler(rootFromEnvironment());
