// Central's HTTP side on Fastify. Every request gets an id (the caller's X-Request-Id when it
// sends a sane one, else a new UUID) that is on each of its log lines and in the response, so a
// provider's webhook retry or a support call can be followed through the JSON logs.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Readiness } from './readiness.ts';
import { carriesLinkToken, type PushRouteDeps, registerPushRoutes } from './phone/push-routes.ts';

export type CentralAppDeps = {
  logger: Logger;
  readiness: () => Promise<Readiness>;
  role: string;
  /** Where phones subscribe to pushes; absent on a service without Web Push. */
  push?: PushRouteDeps;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function buildCentralApp(deps: CentralAppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    requestIdHeader: false,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    // Health probes every few seconds would drown the log; errors are still logged. A phone
    // link's page is not logged at all: its address carries the link's token (the route logs
    // its own errors without it).
    logController: new LogController({
      disableRequestLogging: (req) => req.url === '/healthz' || req.url === '/readyz' || carriesLinkToken(req.url ?? ''),
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
  return app;
}
