// Where a manager's phone subscribes to Web Push alerts, on central's HTTP side: the page a
// phone link opens, its script and service worker, and the subscription the page posts with the
// link's token. The pages are files (resources/phone-push), read once when the service starts.
//   GET  /push/subscribe?t=TOKEN   the page, in the person's language (401 with a page saying so
//                                  for a link that is forged or ran out)
//   GET  /push/subscribe.js        its script
//   GET  /push/sw.js               the service worker
//   GET  /push/manifest.webmanifest  what makes the page a Home Screen web app (iOS pushes only to those)
//   POST /push/subscriptions       Authorization: Bearer TOKEN, body PushSubscription.toJSON():
//                                  201 a new subscription, 200 one already known (moved to this
//                                  person, revived if it was revoked), 401 bad token, 400 bad body
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { APP_ROOT } from '#db/app-root.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { readLinkToken } from './link-token.ts';
import { SUBSCRIBE_PATH } from './phone-link-email.ts';

export const PUSH_PAGES_DIR = join(APP_ROOT, 'resources', 'phone-push');

export type PushRouteDeps = { sql: SqlSession; vapidPublicKey: string; linkSecret: string; now(): Date };

type Language = 'es' | 'en';
type Words = Record<string, string>;

/** Whether a request is for the page whose address carries a token: it is never logged. */
export const carriesLinkToken = (url: string) => url.split('?')[0] === SUBSCRIBE_PATH;

const base64urlOf = (bytes: number, first?: number) =>
  z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: 'must be base64url' })
    .refine(
      (value) => {
        const decoded = Buffer.from(value, 'base64url');
        return decoded.length === bytes && (first === undefined || decoded[0] === first);
      },
      { message: `must be ${bytes} bytes in base64url` },
    );

/** What PushSubscription.toJSON() gives: an https: endpoint and the browser's P-256 key and auth secret. */
export const pushSubscriptionBody = z
  .object({
    endpoint: z
      .string()
      .max(2048)
      .refine(
        (value) => {
          try {
            return new URL(value).protocol === 'https:';
          } catch {
            return false;
          }
        },
        { message: 'must be an https: URL' },
      ),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: base64urlOf(65, 0x04), auth: base64urlOf(16) }).strict(),
  })
  .strict();

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const languageOf = (locale: string | undefined): Language => (locale?.toLowerCase().startsWith('en') ? 'en' : 'es');

export function registerPushRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  const words = JSON.parse(readFileSync(join(PUSH_PAGES_DIR, 'words.json'), 'utf8')) as Record<Language, Words>;
  const page = Handlebars.create().compile(readFileSync(join(PUSH_PAGES_DIR, 'subscribe.hbs'), 'utf8'), { strict: true });
  const script = readFileSync(join(PUSH_PAGES_DIR, 'subscribe.js'), 'utf8');
  const worker = readFileSync(join(PUSH_PAGES_DIR, 'sw.js'), 'utf8');
  const manifest = readFileSync(join(PUSH_PAGES_DIR, 'manifest.webmanifest'), 'utf8');

  /** The person a token is for, if central signed it, it has not run out, and they are still there. */
  async function holderOf(token: string): Promise<{ id: string; name: string; locale: string } | null> {
    const read = readLinkToken(deps.linkSecret, token, deps.now());
    if (!read.ok) return null;
    const [user] = await deps.sql.query<{ id: string; display_name: string; locale: string }>(
      `SELECT id, display_name, locale FROM auth.users WHERE id = $1 AND deleted_at IS NULL`,
      [read.userId],
    );
    return user ? { id: user.id, name: user.display_name, locale: user.locale } : null;
  }

  app.get(SUBSCRIBE_PATH, async (req: FastifyRequest<{ Querystring: { t?: string } }>, reply: FastifyReply) => {
    reply.headers(SECURITY_HEADERS).type('text/html; charset=utf-8');
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    let holder: Awaited<ReturnType<typeof holderOf>>;
    try {
      holder = await holderOf(token);
    } catch (err) {
      // Request logging is off for this address (it carries the token): said here, without it.
      req.log.error({ err }, 'the phone link page could not be served');
      reply.code(503);
      const language = languageOf(req.headers['accept-language']);
      return page({ lang: language, valid: false, words: words[language] });
    }
    if (!holder) {
      reply.code(401);
      const language = languageOf(req.headers['accept-language']);
      return page({ lang: language, valid: false, words: words[language] });
    }
    const language = languageOf(holder.locale);
    const chosen = words[language];
    return page({
      lang: holder.locale,
      valid: true,
      words: chosen,
      greeting: chosen.greeting!.replace('{name}', holder.name),
      vapidKey: deps.vapidPublicKey,
    });
  });

  app.get(`${SUBSCRIBE_PATH}.js`, async (_req, reply) => {
    reply.headers(SECURITY_HEADERS).type('text/javascript; charset=utf-8');
    return script;
  });

  app.get('/push/sw.js', async (_req, reply) => {
    // no-store: a phone picks up a changed worker at its next visit.
    reply.headers(SECURITY_HEADERS).type('text/javascript; charset=utf-8');
    return worker;
  });

  app.get('/push/manifest.webmanifest', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS).type('application/manifest+json; charset=utf-8');
    return manifest;
  });

  app.post('/push/subscriptions', { bodyLimit: 8192 }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const holder = await holderOf(bearer);
    if (!holder) return reply.code(401).send({ error: 'the link expired or is not valid: ask for another at the register' });
    const parsed = pushSubscriptionBody.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send({ error: `${issue.path.join('.') || 'body'} ${issue.message}` });
    }
    const { endpoint, keys } = parsed.data;
    const userAgent = req.headers['user-agent']?.slice(0, 500) ?? null;
    // One row per endpoint (a browser's subscription): a phone subscribed again, or handed to
    // someone else, keeps its row, which follows the person whose link it was opened with.
    const [row] = await deps.sql.query<{ id: string; created: boolean }>(
      `INSERT INTO communication.push_subscriptions (id, user_id, endpoint, keys, user_agent)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, keys = EXCLUDED.keys, user_agent = EXCLUDED.user_agent,
         revoked_at = NULL, deleted_at = NULL, updated_at = now()
       RETURNING id, (xmax = 0) AS created`,
      [uuidv7(), holder.id, endpoint, JSON.stringify({ p256dh: keys.p256dh, auth: keys.auth }), userAgent],
    );
    req.log.info({ subscription: row!.id, user: holder.id, created: row!.created }, 'a phone subscribed to pushes');
    return reply.code(row!.created ? 201 : 200).send({ id: row!.id });
  });
}
