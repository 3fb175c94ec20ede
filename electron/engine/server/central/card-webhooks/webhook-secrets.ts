// The secret each business's card provider signs its webhooks with (Mercado Pago's "clave
// secreta"; for Clip, the one its webhook URL's token is made from), held by central so its
// service can check the webhooks it receives for that business. One file per business and
// provider under DATA_DIR/businesses/<business id>/keys/card-webhooks/, mode 0600, never in the
// database or a log (security/secret-files.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CARD_PROVIDERS, type CardProvider } from '#contract/payment-vocabulary.ts';
import { readSecretFile, writeSecretFile } from '#engine/security/secret-files.ts';
import { businessFiscalRoot } from '../fiscal/business-secrets.ts';

/** As long as a register's own webhook secret may be (security/payment-secrets.ts). */
export const WEBHOOK_SECRET_LENGTH = { min: 8, max: 500 } as const;

export const isCardProvider = (name: string): name is CardProvider => (CARD_PROVIDERS as readonly string[]).includes(name);

/** The directory of one business's webhook secrets; throws on a business id that is not a UUID. */
export const cardWebhookKeysDir = (dataDir: string, businessId: string) =>
  join(businessFiscalRoot(dataDir, businessId), 'keys', 'card-webhooks');

const fileOf = (provider: CardProvider) => `${provider}.secret`;

export function installCardWebhookSecret(dataDir: string, businessId: string, provider: CardProvider, secret: string): string {
  if (secret.length < WEBHOOK_SECRET_LENGTH.min || secret.length > WEBHOOK_SECRET_LENGTH.max || /\s/.test(secret)) {
    throw new Error(
      `a webhook secret is ${WEBHOOK_SECRET_LENGTH.min} to ${WEBHOOK_SECRET_LENGTH.max} characters without spaces or line breaks`,
    );
  }
  const dir = cardWebhookKeysDir(dataDir, businessId);
  writeSecretFile(dir, fileOf(provider), secret);
  return join(dir, fileOf(provider));
}

/** The business's secret for the provider, or null when none is installed (or the id is not a business's). */
export function loadCardWebhookSecret(dataDir: string, businessId: string, provider: CardProvider): string | null {
  let dir: string;
  try {
    dir = cardWebhookKeysDir(dataDir, businessId);
  } catch {
    return null;
  }
  const path = join(dir, fileOf(provider));
  if (!existsSync(path)) return null;
  return readSecretFile(path).toString('utf8');
}
