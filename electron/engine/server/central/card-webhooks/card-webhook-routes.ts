// Card providers' webhooks, received at central for every business that installed its webhook
// secret there (`pos central set-card-webhook-secret`):
//   POST /webhooks/cards/mercadopago/{business id}?data.id=…&type=order    signed in x-signature
//   POST /webhooks/cards/clip/{business id}?clip_token=…                   the token proves the URL
// A notice whose signature checks is kept once (sync.card_notices, c0027) and answered 200 at
// once: the provider retries what is not answered quickly, and nothing slow happens here (the
// register asks its provider about the charge). One that does not check is 401 with the reason,
// and nothing is kept. The address may carry Clip's token, so Fastify does not log these requests
// (http-app.ts): this logs its own line, without the query.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { CardProvider } from '#contract/payment-vocabulary.ts';
import { CardProviderError, type WebhookNotice, type WebhookRequest } from '#engine/payments/card-terminals/card-terminal.ts';
import { clipNotice, clipWebhookUrl } from '#engine/payments/card-terminals/clip-webhook.ts';
import { DEFAULT_WEBHOOK_TOLERANCE_MS } from '#engine/payments/card-terminals/mercadopago.ts';
import { mercadoPagoNotice } from '#engine/payments/card-terminals/mercadopago-webhook.ts';
import { isCardProvider, loadCardWebhookSecret } from './webhook-secrets.ts';

export const CARD_WEBHOOK_PATH = '/webhooks/cards';

/** A provider's notice is a few hundred bytes (Mercado Pago's carries the order): far more is not one. */
export const CARD_WEBHOOK_BODY_LIMIT = 64 * 1024;

export type CardWebhookRouteDeps = {
  sql: SqlDatabase;
  /** Where each business's webhook secrets are (webhook-secrets.ts). */
  dataDir: string;
  now(): Date;
};

/** Never written to the request log: Clip's notices carry their token in the query. */
export const isCardWebhookUrl = (url: string) => url.startsWith(`${CARD_WEBHOOK_PATH}/`);

/** What to give the provider for the business: its webhook address at central, with Clip's token in it. */
export function cardWebhookUrl(publicUrl: string, provider: CardProvider, businessId: string, secret: string): string {
  const endpoint = `${publicUrl.replace(/\/+$/, '')}${CARD_WEBHOOK_PATH}/${provider}/${businessId}`;
  return provider === 'clip' ? clipWebhookUrl(endpoint, secret) : endpoint;
}

const NOTICE_OF: Record<CardProvider, (request: WebhookRequest, secret: string, now: Date) => WebhookNotice> = {
  mercadopago: (request, secret, now) =>
    mercadoPagoNotice(request, { secret, now: now.getTime(), toleranceMs: DEFAULT_WEBHOOK_TOLERANCE_MS }),
  clip: (request, secret) => clipNotice(request, secret),
};

type Params = { provider: string; businessId: string };

function webhookRequest(req: FastifyRequest): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  // The query as sent: Mercado Pago signs data.id, a name a query parser might take apart.
  const query = Object.fromEntries(new URL(req.url, 'http://central.invalid').searchParams);
  return { headers, query, body: typeof req.body === 'string' ? req.body : '' };
}

export function registerCardWebhookRoutes(app: FastifyInstance, deps: CardWebhookRouteDeps): void {
  const url = `${CARD_WEBHOOK_PATH}/:provider/:businessId`;
  void app.register(async (scope) => {
    // The body exactly as received, whatever its type says: it is parsed by the provider's own check.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    scope.post<{ Params: Params }>(url, { bodyLimit: CARD_WEBHOOK_BODY_LIMIT }, async (req, reply) => {
      const { provider, businessId } = req.params;
      const log = req.log.child({ provider, businessId });
      const refuse = (code: number, error: string, message: string) => {
        log.warn({ status: code, error, reason: message }, 'card webhook refused');
        return reply.code(code).send({ error, message });
      };
      if (!isCardProvider(provider)) return refuse(404, 'UNKNOWN_PROVIDER', `no card provider is called "${provider}" (mercadopago, clip)`);
      let secret: string | null;
      try {
        secret = loadCardWebhookSecret(deps.dataDir, businessId, provider);
      } catch (err) {
        log.error({ err }, 'card webhook: the business’s webhook secret cannot be read');
        return reply.code(500).send({ error: 'SECRET_UNREADABLE', message: 'the webhook secret cannot be read here' });
      }
      if (secret === null) {
        return refuse(404, 'UNKNOWN_BUSINESS', `this service takes no ${provider} webhooks for business ${businessId}`);
      }

      let notice: WebhookNotice;
      try {
        notice = NOTICE_OF[provider](webhookRequest(req), secret, deps.now());
      } catch (err) {
        if (!(err instanceof CardProviderError)) throw err;
        if (err.failure === 'INVALID_SIGNATURE') return refuse(401, 'INVALID_SIGNATURE', err.message);
        return refuse(400, 'NOT_A_NOTICE', err.message);
      }

      try {
        const [kept] = await deps.sql.query<{ first: boolean; deliveries: number }>(
          `INSERT INTO sync.card_notices (business_id, provider, notice_id, reference) VALUES ($1, $2, $3, $4)
           ON CONFLICT (business_id, provider, notice_id) DO UPDATE
             SET deliveries = sync.card_notices.deliveries + 1, last_received_at = now()
           RETURNING (xmax = 0) AS first, deliveries`,
          [businessId, provider, notice.id.slice(0, 200), notice.reference.slice(0, 200)],
        );
        log.info({ notice: notice.id, reference: notice.reference, deliveries: kept!.deliveries }, 'card webhook received');
        return reply.code(200).send({ received: true, duplicate: !kept!.first });
      } catch (err) {
        // A secret installed for a business central does not have.
        if ((err as { code?: string }).code === '23503') {
          return refuse(404, 'UNKNOWN_BUSINESS', `business ${businessId} is not known here`);
        }
        // Logged here, not by Fastify (whose line would carry the address and its token); the
        // provider sends the notice again later.
        log.error({ err }, 'card webhook: the notice could not be kept');
        return reply.code(503).send({ error: 'UNAVAILABLE', message: 'the notice could not be kept now; send it again later' });
      }
    });

    // Providers only POST; anything else at the address is answered as what it is.
    scope.route<{ Params: Params }>({
      method: ['GET', 'PUT', 'PATCH', 'DELETE'],
      url,
      handler: async (_req, reply) =>
        reply.code(405).header('allow', 'POST').send({ error: 'METHOD_NOT_ALLOWED', message: 'card webhooks are POSTed' }),
    });
  });
}
