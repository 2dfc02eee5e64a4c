/**
 * Deliveries that can never open an incident because of their shape, not their content: nested deeper than any alarm
 * or event is, or larger than any delivery AWS makes. They are rejected (TriggerRejected: no retry can help, the
 * reason is logged and the delivery goes to the dead-letter queue) before anything walks them, since reading a
 * structure nested a hundred thousand levels deep overflows the stack.
 */

/** Alarm and event payloads nest about 8 levels (an SNS record's message, its alarm, its metric, its dimensions). */
export const MAX_DELIVERY_DEPTH = 100;
/** Lambda's asynchronous invocation limit (EventBridge and SNS deliver at most 256 KB). */
export const MAX_DELIVERY_BYTES = 1024 * 1024;

/** Why the delivery can never be accepted, or undefined when its shape is fine. Never recurses. */
export function deliveryShapeProblem(payload: unknown): string | undefined {
  const stack: [unknown, number][] = [[payload, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DELIVERY_DEPTH)
      return `The delivery is nested more than ${MAX_DELIVERY_DEPTH} levels deep; no alarm or event is, so it cannot open an incident.`;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  const bytes = Buffer.byteLength(JSON.stringify(payload) ?? '');
  if (bytes > MAX_DELIVERY_BYTES)
    return `The delivery is ${bytes} bytes, more than the ${MAX_DELIVERY_BYTES} bytes any alarm or event delivery can be.`;
  return undefined;
}
