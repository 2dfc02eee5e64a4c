/**
 * The local MessageSender: what would go out by SMS, voice call or email lands here instead.
 *
 * - Every message is kept in memory (the newest 1,000), so tests read activation codes back through `latest()`.
 * - With a file, each message is appended to it as one JSON line (`<data dir>/outbox.jsonl` for `npm start`), so the
 *   outbox survives restarts and can be followed with `tail -f`.
 * - With a printer, each message is printed as one readable line (npm start prints to the console).
 *
 * Why not a DynamoDB item collection: the outbox stands in for the phone network and the mail server, not for domain
 * state; the deployed service never stores delivered messages (they hold activation codes, which the table keeps
 * only as hashes), so the local stand-in does not put them in the table either.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MessageSender, OutboundMessage, SendResult } from '#core/contacts/messaging.ts';

const KEPT = 1000;

export interface LocalOutboxOptions {
  /** JSON-lines file every message is appended to. */
  file?: string;
  /** Receives one human-readable line per message. */
  print?: (line: string) => void;
}

export class LocalOutbox implements MessageSender {
  private readonly kept: OutboundMessage[] = [];
  private fileReady: Promise<unknown> | undefined;

  constructor(private readonly options: LocalOutboxOptions = {}) {}

  /** Keeps, appends and prints the message; returns a generated id, as a provider returns its message id. */
  async send(message: OutboundMessage): Promise<SendResult> {
    this.kept.push(message);
    if (this.kept.length > KEPT) this.kept.splice(0, this.kept.length - KEPT);
    const { file, print } = this.options;
    if (file) {
      this.fileReady ??= mkdir(dirname(file), { recursive: true });
      await this.fileReady;
      await appendFile(file, `${JSON.stringify(message)}\n`);
    }
    print?.(LocalOutbox.describe(message));
    return { provider: 'local-outbox', providerMessageId: `outbox-${randomUUID()}` };
  }

  /** Messages sent so far, oldest first. */
  messages(): readonly OutboundMessage[] {
    return [...this.kept];
  }

  /** The newest message matching the filter (e.g. the last one to a contact channel). */
  latest(filter: (message: OutboundMessage) => boolean = () => true): OutboundMessage | undefined {
    for (let i = this.kept.length - 1; i >= 0; i--) if (filter(this.kept[i]!)) return this.kept[i];
    return undefined;
  }

  static describe(message: OutboundMessage): string {
    const via = message.channelType === 'EMAIL' ? 'email' : message.channelType === 'SMS' ? 'SMS' : 'voice call';
    if (message.purpose === 'PAGE') {
      // One line a person can act on: who, how, what, and the code to acknowledge with.
      const contact = (message.contactArn ?? '').slice((message.contactArn ?? '').lastIndexOf('/') + 1);
      const retry = message.attempt && message.attempt > 1 ? ` (re-send ${message.attempt})` : '';
      return `[outbox] PAGE ${via} to ${contact} at ${message.address}${retry}: "${message.subject}" code ${message.acceptCode} page ${message.pageArn}`;
    }
    if (message.purpose === 'REPLY') return `[outbox] SMS reply to ${message.address}: ${message.text}`;
    return `[outbox] ${via} to ${message.address} (${message.contactChannelArn}): ${message.text}`;
  }
}
