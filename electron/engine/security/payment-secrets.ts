// A card provider's credentials for this register: the API's access token and, where the
// provider signs its webhooks, the secret that checks them. Files under DATA_DIR/keys/payments/,
// readable only by their owner (secret-files.ts), never in the database, a fact or a log: a token
// charges and refunds cards in the owner's name.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CARD_PROVIDERS, type CardProvider } from '#contract/payment-vocabulary.ts';
import { KeyFileError } from './key-file.ts';
import { readSecretFile, writeSecretFile } from './secret-files.ts';

export const paymentKeysDir = (dataDir: string) => join(dataDir, 'keys', 'payments');

export const providerSecretsSchema = z
  .object({
    provider: z.enum(CARD_PROVIDERS),
    accessToken: z.string().min(8).max(500),
    /** The secret the provider signs its webhooks with (Mercado Pago's "clave secreta"). */
    webhookSecret: z.string().min(8).max(500).optional(),
    /**
     * An API address other than the provider's own (a proxy) that this token may be sent to,
     * installed with the token by whoever may install one: a device setting alone cannot send it elsewhere.
     */
    baseUrl: z.url().max(300).optional(),
  })
  .strict();
export type ProviderSecrets = z.infer<typeof providerSecretsSchema>;

const fileOf = (provider: CardProvider) => `${provider}.json`;

export const providerSecretsInstalled = (dataDir: string, provider: CardProvider) =>
  existsSync(join(paymentKeysDir(dataDir), fileOf(provider)));

/** The provider's credentials, or null when none are installed here. */
export function loadProviderSecrets(dataDir: string, provider: CardProvider): ProviderSecrets | null {
  const path = join(paymentKeysDir(dataDir), fileOf(provider));
  if (!existsSync(path)) return null;
  const parsed = providerSecretsSchema.safeParse(JSON.parse(readSecretFile(path).toString('utf8')));
  if (!parsed.success || parsed.data.provider !== provider) {
    throw new KeyFileError(`${path} is not ${provider}'s credentials (provider, accessToken, webhookSecret)`);
  }
  return parsed.data;
}

export function installProviderSecrets(dataDir: string, secrets: ProviderSecrets): void {
  const checked = providerSecretsSchema.parse(secrets);
  writeSecretFile(paymentKeysDir(dataDir), fileOf(checked.provider), `${JSON.stringify(checked)}\n`);
}
