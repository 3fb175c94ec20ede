// Central's HTTP side on Fastify. Every request gets an id (the caller's X-Request-Id when it
// sends a sane one, else a new UUID) that is on each of its log lines and in the response, so a
// provider's webhook retry or a support call can be followed through the JSON logs.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Readiness } from './readiness.ts';
import { type CardWebhookRouteDeps, isCardWebhookUrl, registerCardWebhookRoutes } from './card-webhooks/card-webhook-routes.ts';
import { carriesLinkToken, type PushRouteDeps, registerPushRoutes } from './phone/push-routes.ts';
import { carriesSelfInvoiceToken } from './self-invoice/paths.ts';
import { registerSelfInvoiceRoutes, type SelfInvoiceRouteDeps } from './self-invoice/self-invoice-routes.ts';

export type CentralAppDeps = {
  logger: Logger;
  readiness: () => Promise<Readiness>;
  role: string;
  /** Where phones subscribe to pushes; absent on a service without Web Push. */
  push?: PushRouteDeps;
  /** Where customers invoice their sales (/factura). */
  selfInvoice?: SelfInvoiceRouteDeps;
  /** Where card providers send their webhooks (/webhooks/cards/…). */
  cardWebhooks?: CardWebhookRouteDeps;
  /** Fastify's trustProxy: which proxies may name the client's address (X-Forwarded-For). */
  trustProxy?: number | string[] | null;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A number of proxies trusts that many hops from the socket inward; a list, those addresses and ranges. */
const trusted = (proxies: number | string[]) => (typeof proxies === 'number' ? (_address: string, hop: number) => hop < proxies : proxies);

export function buildCentralApp(deps: CentralAppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    requestIdHeader: false,
    // Behind the service's proxy every socket is the proxy's: the client's address, which
    // self-invoicing's limits count by, is what a trusted proxy says it is.
    ...(deps.trustProxy != null ? { trustProxy: trusted(deps.trustProxy) } : {}),
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    // Health probes every few seconds would drown the log; errors are still logged. A phone
    // link's page is not logged at all, nor a self-invoice's status and downloads, nor a card
    // webhook: their address carries a token (the routes log their own lines without it).
    logController: new LogController({
      disableRequestLogging: (req) =>
        req.url === '/healthz' ||
        req.url === '/readyz' ||
        carriesLinkToken(req.url ?? '') ||
        carriesSelfInvoiceToken(req.url ?? '') ||
        isCardWebhookUrl(req.url ?? ''),
    }),
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Liveness: the process runs and its event loop turns. Nothing outside it is asked, so a
  // database outage never gets healthy processes restarted.
  app.get('/healthz', async () => ({ status: 'ok', role: deps.role }));
  app.get('/readyz', async (_req, reply) => {
    const readiness = await deps.readiness();
    if (!readiness.ready) {
      reply.code(503);
      _req.log.warn({ checks: readiness.checks }, 'not ready');
    }
    return { status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks };
  });
  if (deps.push) registerPushRoutes(app, deps.push);
  if (deps.selfInvoice) registerSelfInvoiceRoutes(app, deps.selfInvoice);
  if (deps.cardWebhooks) registerCardWebhookRoutes(app, deps.cardWebhooks);
  return app;
}
