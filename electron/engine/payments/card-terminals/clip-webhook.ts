// Clip's PinPad webhook (developer.clip.mx/reference/webhook): Clip POSTs { "id": "pinpad-…",
// "origin": "pinpad-payments-api", "event_type": "PINPAD_INTENT_STATUS_CHANGED" } to the intent's
// webhook_url (or the one set in Clip's developer dashboard) whenever the intent's state changes,
// and the receiver reads the intent to learn how (GET …/payment?pinpadRequestId=).
//
// Clip documents no signature, no secret, no timestamp and no notice id. What it does document is
// that the URL is ours to give, per intent (webhook_url) or in the dashboard. So the URL carries
// the proof: a token derived from the account's webhook secret (HMAC-SHA256 of a fixed label, so
// the secret itself never travels), which only whoever holds the secret can put there. A notice
// without it, or with another, did not come through the URL we gave Clip: INVALID_SIGNATURE.
// Nothing is signed per notice, so a notice seen before cannot be told from Clip's own retry of
// it; and every notice about one intent is the same bytes. None of that can do harm: a notice
// carries no state, only "read intent X", and the read is authenticated. Its id is therefore the
// intent's: the caller must read the charge on every delivery, not only on the first it sees.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CardProviderError, type WebhookNotice, type WebhookRequest } from './card-terminal.ts';
import { badAnswer, isIntentId, PROVIDER } from './clip-intents.ts';

/** The query parameter of our webhook URL that carries the token. */
export const WEBHOOK_TOKEN_PARAM = 'clip_token';

/** Both values the reference gives for event_type: its example, and its note's "UPDATE". */
const EVENT_TYPES = new Set(['PINPAD_INTENT_STATUS_CHANGED', 'UPDATE']);

const invalid = (message: string) => new CardProviderError('INVALID_SIGNATURE', message, { provider: PROVIDER });

/** The token our webhook URLs carry: it proves the notice came through a URL given by whoever holds the secret. */
export function webhookToken(secret: string): string {
  if (!secret) throw new Error('clip: a webhook secret is required to make the webhook token');
  return createHmac('sha256', secret).update('clip-pinpad-webhook:v1').digest('hex');
}

/** Our endpoint with the token: what the adapter sends as webhook_url, and what a manager pastes into Clip's dashboard. */
export function clipWebhookUrl(endpoint: string, secret: string): string {
  const url = new URL(endpoint);
  url.searchParams.set(WEBHOOK_TOKEN_PARAM, webhookToken(secret));
  return url.toString();
}

export function clipNotice(request: WebhookRequest, secret: string): WebhookNotice {
  if (!secret) throw invalid('No hay clave secreta de webhooks de Clip configurada: no se puede validar la notificación.');
  const given = request.query[WEBHOOK_TOKEN_PARAM];
  if (!given) throw invalid(`La notificación no llegó por la URL que se dio a Clip: le falta su ficha (${WEBHOOK_TOKEN_PARAM}).`);
  const expected = Buffer.from(webhookToken(secret), 'utf8');
  const offered = Buffer.from(given, 'utf8');
  if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
    throw invalid('La ficha de la notificación no corresponde a la clave secreta de la cuenta: no llegó por la URL que se dio a Clip.');
  }

  let body: Record<string, unknown> | null = null;
  try {
    const json: unknown = JSON.parse(request.body);
    body = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    body = null;
  }
  if (!body) throw badAnswer('el cuerpo de la notificación no es el JSON de un aviso de PinPad.');
  if (typeof body.event_type !== 'string' || !EVENT_TYPES.has(body.event_type)) {
    throw badAnswer(`la notificación es del evento «${String(body.event_type)}», no de un cambio de estado de PinPad.`);
  }
  if (typeof body.id !== 'string' || !isIntentId(body.id)) {
    throw badAnswer('la notificación no dice en id qué intento de pago (pinpad-…) cambió.');
  }
  return { id: body.id, reference: body.id };
}
