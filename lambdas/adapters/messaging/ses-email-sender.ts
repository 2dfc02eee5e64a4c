/**
 * EMAIL through Amazon SES v2 `SendEmail`: a plain-text message (subject and body as the core built them, so the
 * activation code is in the body) from the configured From address, optionally as an explicit identity ARN
 * (FromEmailAddressIdentityArn, for sending authorization) and through a configuration set (event publishing).
 *
 * Acceptance by SES resolves with SES's MessageId; a refusal throws a MessageDeliveryError (delivery-errors.ts).
 * Bounces and complaints arrive later through the configuration set's event destinations, not here.
 */
import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import type { MessageSender, OutboundMessage, SendResult } from '#core/contacts/messaging.ts';
import { classifyProviderError, type ProviderMapping } from './delivery-errors.ts';

export const SES_PROVIDER = 'ses';

export interface SesEmailSenderOptions {
  /** `pager@example.com` or `Incident Manager <pager@example.com>`. */
  fromAddress: string;
  /** Sent as FromEmailAddressIdentityArn; the IAM grant is on this identity. */
  identityArn?: string;
  configurationSet?: string;
  client?: SESv2Client;
  region?: string;
}

/** SES v2 SendEmail refusals that retrying cannot fix, or that are throttling in disguise. */
export const sesErrorMapping: ProviderMapping = ({ name, message = '' }) => {
  switch (name) {
    case 'AccountSuspendedException':
    case 'SendingPausedException':
    case 'MailFromDomainNotVerifiedException':
    case 'NotFoundException':
      return { reason: 'CONFIGURATION' };
    case 'MessageRejected':
      // "Email address is not verified": the sender, or (in the SES sandbox) the recipient, is not a verified identity.
      return { reason: /not verified/i.test(message) ? 'CONFIGURATION' : 'REJECTED' };
    case 'BadRequestException':
      return { reason: /address|domain|@/i.test(message) ? 'INVALID_ADDRESS' : 'REJECTED' };
    case 'LimitExceededException':
      // "Maximum sending rate exceeded" passes within a second; a daily sending quota does not pass within a page's retries.
      return { reason: /rate/i.test(message) ? 'THROTTLED' : 'QUOTA_EXCEEDED' };
    default:
      return undefined;
  }
};

export class SesEmailSender implements MessageSender {
  private readonly client: SESv2Client;

  constructor(private readonly options: SesEmailSenderOptions) {
    this.client = options.client ?? new SESv2Client(options.region ? { region: options.region } : {});
  }

  request(message: OutboundMessage): SendEmailCommandInput {
    const { fromAddress, identityArn, configurationSet } = this.options;
    return {
      FromEmailAddress: fromAddress,
      ...(identityArn ? { FromEmailAddressIdentityArn: identityArn } : {}),
      Destination: { ToAddresses: [message.address] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
        },
      },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    };
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    try {
      const output = await this.client.send(new SendEmailCommand(this.request(message)));
      return { provider: SES_PROVIDER, providerMessageId: output.MessageId ?? 'unknown' };
    } catch (error) {
      throw classifyProviderError(SES_PROVIDER, error, sesErrorMapping);
    }
  }
}
