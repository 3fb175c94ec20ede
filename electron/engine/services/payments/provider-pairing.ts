// Pairing the register with its card terminal from the back office: the provider's token
// installed on this register (tried first, so a token the provider refuses never replaces one
// that works), the account's terminals listed to choose from, and what is installed, nothing
// secret in it. The token goes to the data directory's secret files (security/payment-secrets.ts,
// the CLI's own code) and nowhere else: no answer, fact, audit entry or log line carries it.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { CARD_PROVIDERS, type CardProvider } from '#contract/payment-vocabulary.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { CardProviderError, type CardTerminalProvider, type TerminalInfo } from '#engine/payments/card-terminals/card-terminal.ts';
import { tokenMayGoTo } from '#engine/payments/card-terminals/providers.ts';
import type { ProviderSecrets } from '#engine/security/payment-secrets.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { saleContext } from '../sales/sale-context.ts';
import { registerCodeOf } from '../terminal/register-code.ts';

const PROVIDER_NAMES: Record<CardProvider, string> = { mercadopago: 'Mercado Pago', clip: 'Clip' };

export async function setProviderToken(
  ctx: CallContext,
  input: CallInput<'payments.setProviderToken'>,
): Promise<CallOutput<'payments.setProviderToken'>> {
  const sc = await saleContext(ctx);
  const { cardTerminals } = ctx.services;
  const before = cardTerminals.installed(input.provider);
  const secrets: ProviderSecrets = {
    provider: input.provider,
    accessToken: input.token,
    ...(input.webhookSecret ? { webhookSecret: input.webhookSecret } : {}),
    // A proxy's address it was tried against goes with it: the only other server it may be sent to.
    ...(input.baseUrl && !tokenMayGoTo(input.provider, input.baseUrl, {}) ? { baseUrl: input.baseUrl } : {}),
  };
  const found = await listTerminals(input.provider, () => openTrying(ctx, secrets, input.baseUrl));
  // A webhook secret left out keeps the one installed: the form never shows it back to be typed again.
  cardTerminals.install(secrets, { keepWebhookSecret: true });
  const now = credentialsOf(ctx, input.provider);
  await recordSessionAudit(ctx.services, sc.session, {
    action: 'payments.token_installed',
    outcome: 'SUCCESS',
    entityType: 'register',
    entityId: sc.terminal.registerId,
    details: { provider: input.provider, replaced: before !== null, withWebhookSecret: now.webhookSecret },
  });
  const paired = sc.settings.devices[await registerCodeOf(ctx.services, sc.terminal.registerId)]?.cardTerminal;
  return {
    ...now,
    terminals: offered(found, paired?.provider === input.provider ? paired.terminalId : null),
  };
}

export async function providerTerminals(
  ctx: CallContext,
  input: CallInput<'payments.providerTerminals'>,
): Promise<CallOutput<'payments.providerTerminals'>> {
  const sc = await saleContext(ctx);
  const paired = sc.settings.devices[await registerCodeOf(ctx.services, sc.terminal.registerId)]?.cardTerminal;
  const found = await listTerminals(input.provider, () =>
    ctx.services.cardTerminals.open({ provider: input.provider, ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}) }),
  );
  return { provider: input.provider, terminals: offered(found, paired?.provider === input.provider ? paired.terminalId : null) };
}

export async function providerStatus(ctx: CallContext): Promise<CallOutput<'payments.providerStatus'>> {
  const sc = await saleContext(ctx);
  const registerCode = await registerCodeOf(ctx.services, sc.terminal.registerId);
  return {
    registerCode,
    cardTerminal: sc.settings.devices[registerCode]?.cardTerminal ?? null,
    providers: CARD_PROVIDERS.map((provider) => credentialsOf(ctx, provider)),
  };
}

function credentialsOf(ctx: CallContext, provider: CardProvider) {
  const installed = ctx.services.cardTerminals.installed(provider);
  return {
    provider,
    installed: installed !== null,
    tokenEnds: installed?.tokenEnds ?? null,
    webhookSecret: installed?.webhookSecret ?? false,
  };
}

/** A client with credentials not installed yet; Clip's token in a form it cannot be read in is refused as typed. */
function openTrying(ctx: CallContext, secrets: ProviderSecrets, baseUrl: string | undefined): CardTerminalProvider {
  try {
    return ctx.services.cardTerminals.openWith(secrets, baseUrl ? { baseUrl } : {});
  } catch (err) {
    if (secrets.provider === 'clip' && err instanceof Error && !(err instanceof EngineError)) {
      throw new EngineError('INVALID_INPUT', 'token: Clip\'s credentials are "api_key:secret_key" or its base64 token of them', {
        field: 'token',
        reason: 'CLIP_TOKEN_FORM',
      });
    }
    throw err;
  }
}

/** The account's terminals, or the provider's trouble in words a manager can act on. */
async function listTerminals(provider: CardProvider, open: () => CardTerminalProvider): Promise<TerminalInfo[]> {
  try {
    return await open().terminals();
  } catch (err) {
    if (err instanceof CardProviderError) throw trouble(provider, err);
    throw err;
  }
}

function trouble(provider: CardProvider, err: CardProviderError): EngineError {
  const params = { provider, providerName: PROVIDER_NAMES[provider] };
  if (err.failure === 'AUTH') {
    return new EngineError('CONFLICT', `${params.providerName} refused the token: ${err.message}`, { reason: 'TOKEN_REFUSED', ...params });
  }
  if (err.uncertain) {
    return new EngineError('CONFLICT', `${params.providerName} did not answer: ${err.message}`, {
      reason: 'PROVIDER_NOT_ANSWERING',
      ...params,
    });
  }
  return new EngineError('CONFLICT', `${params.providerName} could not list the terminals: ${err.message}`, {
    reason: 'PROVIDER_SAYS',
    ...params,
    words: err.message,
  });
}

/** The account's terminals, the one paired here marked. */
const offered = (terminals: TerminalInfo[], pairedId: string | null) =>
  terminals.map((t) => ({ id: t.id, label: t.label, integrated: t.integrated, paired: t.id === pairedId }));
