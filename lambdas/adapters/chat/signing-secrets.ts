/**
 * The Slack signing secret, read from AWS Secrets Manager (never from an environment variable or the template) and
 * cached for five minutes per execution environment. The secret's value is either the signing secret itself, or JSON
 * `{"signingSecret": "...", "previousSigningSecret": "..."}` while a secret is being rotated (both are accepted).
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SigningSecrets } from '#core/chat/ports.ts';

const CACHE_MS = 5 * 60_000;
/** A mismatch re-reads the secret at most this often (a rotated secret is picked up without a storm of reads). */
const REFRESH_MIN_INTERVAL_MS = 30_000;

/** The secrets a stored value holds. */
export function signingSecretsOf(value: string | undefined): string[] {
  const text = value?.trim() ?? '';
  if (!text) return [];
  if (text.startsWith('{')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error('the Slack signing secret looks like JSON but does not parse');
    }
    return [parsed.signingSecret, parsed.previousSigningSecret].filter(
      (s): s is string => typeof s === 'string' && s.trim() !== '',
    );
  }
  return [text];
}

export function secretsManagerSigningSecrets(client: SecretsManagerClient, secretArn: string): SigningSecrets {
  let cached: { secrets: string[]; readAt: number } | undefined;
  const read = async () => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    cached = { secrets: signingSecretsOf(SecretString), readAt: Date.now() };
    return cached.secrets;
  };
  return {
    async current() {
      if (cached && Date.now() - cached.readAt < CACHE_MS) return cached.secrets;
      return read();
    },
    async refresh() {
      if (cached && Date.now() - cached.readAt < REFRESH_MIN_INTERVAL_MS) return cached.secrets;
      return read();
    },
  };
}

/** Fixed secrets (the local runtime's, from a file or LOCAL_SLACK_SIGNING_SECRET). */
export const fixedSigningSecrets = (secrets: string[]): SigningSecrets => ({
  current: async () => secrets,
  refresh: async () => secrets,
});
