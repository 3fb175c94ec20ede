// A Web Push service on 127.0.0.1 (HTTPS, its own self-signed certificate), as RFC 8030 says
// one answers: 201 Created with a Location for each message it takes, 404/410 for a
// subscription that is unknown or gone. It checks what a real one checks: the VAPID
// Authorization (RFC 8292: an ES256 JWT whose signature verifies with the k= public key, aud =
// this origin, exp within 24 h), the TTL header, Content-Encoding aes128gcm, the size limit
// (4096 bytes), and it decrypts each payload (RFC 8291) with the subscription's private key,
// which it made in subscribe() as a browser would, to record what the phone would show.
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HttpLoopback, header, type Scripted, startHttpLoopback } from './loopback-http.ts';

export type PushSubscriptionJson = { endpoint: string; keys: { p256dh: string; auth: string } };

export type PushDelivery = {
  endpoint: string;
  /** The decrypted payload. */
  payload: string;
  ttl: number;
  urgency: string | null;
  topic: string | null;
  vapid: { subject: string; publicKey: string; audience: string; expiresAt: number };
};

export type LoopbackPush = {
  origin: string;
  /** The service's certificate (PEM): trust it with new https.Agent({ ca }). */
  certificate: string;
  deliveries: PushDelivery[];
  /** Every request that reached the service, refused ones included. */
  readonly requests: number;
  readonly attempts: number;
  /**
   * A new subscription with a real P-256 key pair and auth secret, as PushManager.subscribe()
   * makes one. With applicationServerKey, only that VAPID key may push to it (403 otherwise).
   */
  subscribe(opts?: { applicationServerKey?: string }): PushSubscriptionJson;
  /** The browser unsubscribed: the endpoint answers 410 Gone from now on. */
  expire(endpoint: string): void;
  script(...answers: Scripted[]): void;
  close(): Promise<void>;
};

type Subscriber = { ecdh: ReturnType<typeof createECDH>; auth: Buffer; applicationServerKey: string | null; gone: boolean };

const MAX_BODY = 4096;

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pos-push-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 8292 §3: "vapid t=<JWT>, k=<public key>". */
function checkVapid(authorization: string, origin: string): PushDelivery['vapid'] | string {
  const m = /^vapid\s+t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization.trim());
  if (!m) return 'no vapid t=…, k=… Authorization';
  const [, token, k] = m as unknown as [string, string, string];
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) return 'k is not an uncompressed P-256 point';
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return 't is not a JWT';
  const head = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  if (head.alg !== 'ES256') return `JWT alg is ${head.alg}, not ES256`;
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))) {
    return 'JWT signature does not verify with k';
  }
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  if (claims.aud !== origin) return `JWT aud is ${claims.aud}, not ${origin}`;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 24 * 3600) return 'JWT exp is not within the next 24 hours';
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return 'JWT sub is not a mailto: or https: contact';
  return { subject: claims.sub, publicKey: k, audience: claims.aud, expiresAt: claims.exp };
}

/** RFC 8291 §3.4 over RFC 8188's aes128gcm, one record. */
function decrypt(body: Buffer, sub: Subscriber): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const uaPublic = sub.ecdh.getPublicKey();
  const ecdhSecret = sub.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, sub.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(-16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 0x02) throw new Error('the last record has no 0x02 delimiter');
  return padded.subarray(0, end).toString('utf8');
}

export async function startLoopbackPush(): Promise<LoopbackPush> {
  const tls = selfSignedCertificate();
  const subscribers = new Map<string, Subscriber>();
  const deliveries: PushDelivery[] = [];
  const loop: HttpLoopback = await startHttpLoopback((req, body, origin) => {
    const refuse = (status: number, message: string) => ({ refuse: { status, json: { code: status, error: message } } });
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const sub = id ? subscribers.get(id) : undefined;
    if (req.method !== 'POST' || !sub) return refuse(404, 'no such subscription');
    if (sub.gone) return refuse(410, 'push subscription has unsubscribed or expired');
    const vapid = checkVapid(header(req, 'authorization'), origin);
    if (typeof vapid === 'string') return refuse(401, vapid);
    if (sub.applicationServerKey && vapid.publicKey !== sub.applicationServerKey)
      return refuse(403, 'VAPID key is not the one this subscription was made for');
    const ttl = header(req, 'ttl');
    if (!/^\d+$/.test(ttl)) return refuse(400, 'TTL header missing or not a number of seconds');
    const urgency = header(req, 'urgency') || null;
    if (urgency && !['very-low', 'low', 'normal', 'high'].includes(urgency)) return refuse(400, `unknown Urgency ${urgency}`);
    const topic = header(req, 'topic') || null;
    if (topic && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return refuse(400, 'Topic is not 1 to 32 URL-safe base64 characters');
    if (header(req, 'content-encoding') !== 'aes128gcm') return refuse(415, 'Content-Encoding must be aes128gcm');
    if (body.length > MAX_BODY) return refuse(413, `payload of ${body.length} bytes is over ${MAX_BODY}`);
    let payload: string;
    try {
      payload = decrypt(body, sub);
    } catch (err) {
      return refuse(400, `payload does not decrypt: ${(err as Error).message}`);
    }
    return {
      accept: () => {
        deliveries.push({ endpoint: `${origin}${req.url}`, payload, ttl: Number(ttl), urgency, topic, vapid });
        return { status: 201, headers: { location: `${origin}/message/${randomUUID()}` } };
      },
    };
  }, tls);

  return {
    origin: loop.origin,
    certificate: tls.cert,
    deliveries,
    get requests() {
      return loop.requests;
    },
    get attempts() {
      return loop.attempts;
    },
    subscribe(opts = {}) {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscribers.set(id, { ecdh, auth, applicationServerKey: opts.applicationServerKey ?? null, gone: false });
      return {
        endpoint: `${loop.origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    expire(endpoint) {
      const id = endpoint.split('/').pop() ?? '';
      const sub = subscribers.get(id);
      if (sub) sub.gone = true;
    },
    script: loop.script,
    close: loop.close,
  };
}
