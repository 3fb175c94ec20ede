// The card providers' clients a register opens for its terminal, each with the credentials
// installed in its data directory (security/payment-secrets.ts). A register with a terminal
// configured but no credentials for its provider is told how to install them. The back office
// installs them here too (payments.setProviderToken), through the same files as the CLI.
import type { CardTerminalSetting } from '#contract/device-settings.ts';
import { EngineError } from '#engine/errors.ts';
import type { CardTerminals } from '#engine/ports.ts';
import { installProviderSecrets, loadProviderSecrets, type ProviderSecrets } from '#engine/security/payment-secrets.ts';
import type { CardTerminalProvider } from './card-terminal.ts';
import { CLIP_PINPAD_API, CLIP_REFUNDS_API, clipCredentials, clipPinpad } from './clip.ts';
import { MERCADOPAGO_API, mercadoPagoPoint } from './mercadopago.ts';

type Adapter = (secrets: ProviderSecrets, at: Pick<CardTerminalSetting, 'baseUrl'>, opts: { timeoutMs: number }) => CardTerminalProvider;

const ADAPTERS: Record<CardTerminalSetting['provider'], Adapter> = {
  mercadopago: (secrets, at, { timeoutMs }) =>
    mercadoPagoPoint({
      accessToken: secrets.accessToken,
      ...(secrets.webhookSecret ? { webhookSecret: secrets.webhookSecret } : {}),
      ...(at.baseUrl ? { baseUrl: at.baseUrl } : {}),
      timeoutMs,
    }),
  // Clip's credentials are its API key and secret, kept as one token: "api_key:secret_key" or Clip's base64 of them.
  clip: (secrets, at, { timeoutMs }) => {
    const { apiKey, secretKey } = clipCredentials(secrets.accessToken);
    return clipPinpad({
      apiKey,
      secretKey,
      ...(secrets.webhookSecret ? { webhookSecret: secrets.webhookSecret } : {}),
      ...(at.baseUrl ? { baseUrl: at.baseUrl } : {}),
      timeoutMs,
    });
  },
};

/** The providers' own API hosts: a token always may go there. */
const OFFICIAL: Record<CardTerminalSetting['provider'], readonly string[]> = {
  mercadopago: [new URL(MERCADOPAGO_API).origin],
  clip: [new URL(CLIP_PINPAD_API).origin, new URL(CLIP_REFUNDS_API).origin],
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether the register may send its token to `baseUrl`: the provider's own host, this machine (a
 * test double), or the address installed with the token. A device setting (devices.manage, no
 * step-up) cannot point the token at another server and read it there.
 */
export function tokenMayGoTo(
  provider: CardTerminalSetting['provider'],
  baseUrl: string,
  secrets: Pick<ProviderSecrets, 'baseUrl'>,
): boolean {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return false;
  }
  if (OFFICIAL[provider].includes(url.origin) || LOOPBACK.has(url.hostname)) return true;
  return secrets.baseUrl !== undefined && new URL(secrets.baseUrl).origin === url.origin;
}

export function cardTerminalsIn(dataDir: string, opts: { timeoutMs?: number } = {}): CardTerminals {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return {
    open(setting) {
      const secrets = loadProviderSecrets(dataDir, setting.provider);
      if (!secrets) {
        throw new EngineError(
          'CONFLICT',
          `this register has no ${setting.provider} token: install it in the back office (card terminal) or with pos payments set-token`,
          { reason: 'NO_PROVIDER_TOKEN', provider: setting.provider },
        );
      }
      if (setting.baseUrl && !tokenMayGoTo(setting.provider, setting.baseUrl, secrets)) {
        throw new EngineError(
          'CONFLICT',
          `the terminal's API address ${new URL(setting.baseUrl).origin} was not installed with the ${setting.provider} token: install the token for that address in the back office (card terminal)`,
          { reason: 'PROVIDER_ADDRESS', provider: setting.provider },
        );
      }
      return ADAPTERS[setting.provider](secrets, setting, { timeoutMs });
    },
    openWith(secrets, at) {
      return ADAPTERS[secrets.provider](secrets, at, { timeoutMs });
    },
    install(secrets, { keepWebhookSecret = false } = {}) {
      const kept = keepWebhookSecret && !secrets.webhookSecret ? loadProviderSecrets(dataDir, secrets.provider)?.webhookSecret : undefined;
      installProviderSecrets(dataDir, kept ? { ...secrets, webhookSecret: kept } : secrets);
    },
    installed(provider) {
      const secrets = loadProviderSecrets(dataDir, provider);
      return secrets ? { tokenEnds: secrets.accessToken.slice(-4), webhookSecret: secrets.webhookSecret !== undefined } : null;
    },
  };
}
