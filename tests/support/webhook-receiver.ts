// A URL on 127.0.0.1 that takes a provider's webhooks and keeps each as the adapter's webhook()
// reads one (headers in lower case, the query's parameters, the body exactly as received), so a
// test hands the adapter what a real endpoint would have received.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from '#engine/payments/card-terminals/card-terminal.ts';

export type WebhookReceiver = {
  /** http://127.0.0.1:port/webhooks */
  url: string;
  received: WebhookRequest[];
  close(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = String(value);
      received.push({ headers, query: Object.fromEntries(url.searchParams), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  // Idle connections are closed only by close(): on the tests' own event loop an idle timeout
  // and a request on that connection come due together after a long synchronous stretch (loopback-pac.ts).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
