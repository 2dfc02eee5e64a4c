/**
 * Defers a chat command by invoking this same function asynchronously (InvocationType Event) with the command: the
 * URL invocation replies to Slack at once, and the second invocation does the work and posts the result to the
 * command's response_url. Lambda retries a failed asynchronous invocation twice; the command's operations are safe to
 * repeat (acknowledging an acknowledged page changes nothing).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ChatDeferrer } from '#core/chat/ports.ts';

export function lambdaChatDeferrer(client: LambdaClient): ChatDeferrer {
  return {
    async defer(work, self) {
      await client.send(
        new InvokeCommand({
          FunctionName: self.functionArn,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(work)),
        }),
      );
    },
  };
}
