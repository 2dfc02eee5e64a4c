/**
 * Acknowledge links signed with an AWS KMS HMAC key (KeySpec HMAC_256, GENERATE_VERIFY_MAC): the key never leaves
 * KMS, so neither a function's memory nor its environment holds it, and CloudTrail records every use. The engagement
 * worker may only GenerateMac, the link function may only VerifyMac (lib/constructs/acknowledge-links.ts).
 */
import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import type { MacSigner } from '#core/contacts/engagements/ack-links.ts';

const ALGORITHM = 'HMAC_SHA_256';

export class KmsMacSigner implements MacSigner {
  constructor(
    private readonly keyId: string,
    private readonly client: KMSClient = new KMSClient({}),
  ) {}

  async sign(message: string): Promise<Uint8Array> {
    const { Mac } = await this.client.send(
      new GenerateMacCommand({ KeyId: this.keyId, Message: Buffer.from(message), MacAlgorithm: ALGORITHM }),
    );
    if (!Mac) throw new Error('KMS GenerateMac returned no MAC');
    return Mac;
  }

  async verify(message: string, mac: Uint8Array): Promise<boolean> {
    try {
      const { MacValid } = await this.client.send(
        new VerifyMacCommand({ KeyId: this.keyId, Message: Buffer.from(message), Mac: mac, MacAlgorithm: ALGORITHM }),
      );
      return MacValid === true;
    } catch (error) {
      // KMS answers a MAC that does not verify with this exception, not with MacValid: false.
      if (error instanceof KMSInvalidMacException) return false;
      throw error;
    }
  }
}
