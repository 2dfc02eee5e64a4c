/**
 * HMAC-SHA-256 with a key held in memory: the local runtime's stand-in for the KMS HMAC key. `npm start` keeps the key
 * in its data folder (created once, mode 0600), so links in the outbox keep working across restarts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MacSigner } from '#core/contacts/engagements/ack-links.ts';

export class LocalMacSigner implements MacSigner {
  constructor(private readonly key: Uint8Array = randomBytes(32)) {}

  /** The key in `file` (created with a fresh random key when absent). */
  static fromFile(file: string): LocalMacSigner {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    return new LocalMacSigner(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  async sign(message: string): Promise<Uint8Array> {
    return createHmac('sha256', this.key).update(message).digest();
  }

  async verify(message: string, mac: Uint8Array): Promise<boolean> {
    const expected = createHmac('sha256', this.key).update(message).digest();
    return mac.length === expected.length && timingSafeEqual(expected, mac);
  }
}
