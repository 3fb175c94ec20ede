// Serve mode: the engine in plain Node, the screens in any browser on this machine. HTTP for
// calls (/api/<call>), a WebSocket for events (/events), and the built renderer as static files.
// It listens on loopback only and answers only to its own host name, so a page on another site
// cannot reach the till through the cashier's browser (DNS rebinding), and every call still goes
// through dispatch(), which trusts nothing.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { Engine } from '../engine.ts';
import { newIncidentId } from '../log/incident.ts';
import { log } from '../log/logger.ts';
import { loadSession } from '../services/auth/sessions.ts';
import { createEventSocket } from './event-socket.ts';
import { handleApi, refuse } from './http-api.ts';

export type ServeOptions = {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer; without it the server answers the API and events only. */
  staticDir?: string | null;
};

export type RunningServer = { url: string; port: number; close(): Promise<void> };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The page may talk only to this server; no inline scripts, no framing, no plugins. */
export const contentSecurityPolicy = (origin: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${origin.replace(/^http/, 'ws')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

export async function startServer(engine: Engine, opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  let port = opts.port ?? 0;
  const hostNames = () => [`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`];
  const origins = () => hostNames().map((h) => `http://${h}`);
  const events = createEventSocket({
    events: engine.events,
    checkSession: async (token) => void (await loadSession(engine.services.sql, token, engine.services.now())),
    allowedOrigins: origins,
    dispatch: engine.dispatch,
  });

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    void route(req, res).catch((err: unknown) => failed(req, res, err));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostNames().includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('this terminal answers only to its own address');
      return;
    }
    const path = pathOf(req);
    if (path === null) return void res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('not a request path');
    const api = /^\/api\/([A-Za-z0-9.]{1,100})$/.exec(path);
    if (api) {
      // A browser names the page that sent a request; only our own screens may drive the till
      // (CSRF). Scripts send no Origin, and they already had to reach this machine's loopback.
      const origin = req.headers.origin;
      if (origin !== undefined && !origins().includes(origin)) {
        return refuse(res, 403, 'FORBIDDEN', 'this terminal takes calls only from its own screens');
      }
      return handleApi(engine.dispatch, req, res, api[1]!);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    return serveStatic(req, res, path);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const root = opts.staticDir;
    const notFound = () => void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    if (!root) return notFound();
    // Anything that is not a file is the single-page app's own route.
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // Broken percent-encoding is the request's fault, not the server's.
      return void res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad percent-encoding in the path');
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    if (relative.split(sep).includes('..')) return notFound();
    let file = join(root, relative);
    const found = await stat(file).catch(() => null);
    if (!found?.isFile()) file = join(root, 'index.html');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound();
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'content-security-policy': contentSecurityPolicy(`http://${req.headers.host}`),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') return void res.end();
    // A file that cannot be read after all (removed since, unreadable) fails this request alone:
    // an 'error' nobody listens to would stop the whole engine.
    createReadStream(file)
      .on('error', (err) => failed(req, res, err))
      .pipe(res);
  }

  server.on('upgrade', (req, socket, head) => {
    const path = pathOf(req);
    if (path !== '/events' || !hostNames().includes(req.headers.host ?? '')) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    events.upgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      port = (server.address() as { port: number }).port;
      resolve();
    });
  });
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      await events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What dispatch does for a call that failed inside it, for a request that failed outside it:
 * the log line with the stack and an incident number, the number in the answer the screen shows.
 * An answer already on its way cannot be changed, so its connection is cut instead: the browser
 * sees a failed load, not a file that ends early as if whole.
 */
function failed(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const incidentId = newIncidentId();
  log.error({ err, method: req.method, url: req.url, incidentId }, 'serve: a request failed');
  if (res.headersSent || res.destroyed) return void res.destroy();
  const body = JSON.stringify({
    ok: false,
    error: {
      code: 'INTERNAL',
      message: `the terminal hit an internal error; the request was not completed (incident ${incidentId})`,
      params: { incidentId },
    },
  });
  res
    .writeHead(500, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}

/** The request's path, or null when its target is not a URL at all (an absolute-form target can be anything). */
function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://x').pathname;
  } catch {
    return null;
  }
}
