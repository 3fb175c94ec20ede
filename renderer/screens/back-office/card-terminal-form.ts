// The card terminal tab's form: the provider's token and base URL as the owner types them, checked
// here by the engine's own rules so a mistake is pointed at beside its field before anything is
// sent, and the register's devices with the chosen terminal put in (devices.configure replaces
// them whole, so the rest goes back as it came). Pure.
import { providerSecret } from '#contract/calls/payments.ts';
import { cardTerminal } from '#contract/device-settings.ts';
import type { CardProvider } from '#contract/payment-vocabulary.ts';
import type { DevicesConfig } from '../../stores/register.ts';

export type TokenForm = { provider: CardProvider; token: string; webhookSecret: string; baseUrl: string };
export type TokenField = 'token' | 'webhookSecret' | 'baseUrl';

/** The base URL to send: undefined for the provider's own (left empty), or null when it cannot be used. */
export function baseUrlOf(typed: string): string | undefined | null {
  const url = typed.trim();
  if (url === '') return undefined;
  return cardTerminal.shape.baseUrl.safeParse(url).success ? url : null;
}

/** The fields that cannot be sent as typed; the token is needed, the webhook secret and base URL are not. */
export function tokenFormProblems(form: TokenForm): TokenField[] {
  const problems: TokenField[] = [];
  if (!providerSecret.safeParse(form.token.trim()).success) problems.push('token');
  if (form.webhookSecret.trim() !== '' && !providerSecret.safeParse(form.webhookSecret.trim()).success) problems.push('webhookSecret');
  if (baseUrlOf(form.baseUrl) === null) problems.push('baseUrl');
  return problems;
}

/** The register's devices with this terminal paired: everything else as it was. */
export function withCardTerminal(
  config: DevicesConfig,
  choice: { provider: CardProvider; terminalId: string; baseUrl: string | undefined },
): DevicesConfig {
  return {
    ...config,
    cardTerminal: { provider: choice.provider, terminalId: choice.terminalId, ...(choice.baseUrl ? { baseUrl: choice.baseUrl } : {}) },
  };
}
