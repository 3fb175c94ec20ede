// Mercado Pago's webhook for orders ("Order (Mercado Pago)" topic), checked as its documentation
// says (https://www.mercadopago.com.mx/developers/en/docs/mp-point/notifications, "validate the
// notification's origin"):
//   POST <url>?data.id=ORD…&type=order, headers x-signature: "ts=<ms>,v1=<hex>" and x-request-id;
//   v1 = HMAC-SHA256(secret, "id:<data.id>;request-id:<x-request-id>;ts:<ts>;") in hex, where
//   data.id is the query's (in lower case when alphanumeric) and a part whose value the
//   notification lacks is left out of the manifest.
//   Body: { action: "order.processed", type: "order", data: { id, external_reference, status,
//   status_detail, transactions, type: "point", version }, date_created, user_id, live_mode }.
// Only data.id, the request id and ts are signed, never the body: the notice says which order
// changed, and the caller reads the order itself (charge()) to learn how.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CardProviderError, type WebhookNotice, type WebhookRequest } from './card-terminal.ts';
import { badAnswer, PROVIDER } from './mercadopago-orders.ts';

export type WebhookCheck = {
  /** The secret Mercado Pago shows for the application's webhooks. */
  secret: string;
  /** Milliseconds since the epoch, now. */
  now: number;
  /** How far ts may be from now: outside it a signed notice is a replay. */
  toleranceMs: number;
};

const invalid = (message: string) => new CardProviderError('INVALID_SIGNATURE', message, { provider: PROVIDER });

/** The signed text, as documented; exported for the tests that sign as Mercado Pago does. */
export function signatureManifest(dataId: string | undefined, requestId: string | undefined, ts: string): string {
  const id = dataId ? `id:${/^[0-9A-Za-z]+$/.test(dataId) ? dataId.toLowerCase() : dataId};` : '';
  return `${id}${requestId ? `request-id:${requestId};` : ''}ts:${ts};`;
}

/** "ts=…,v1=…" into its parts; a part may come in any order, with spaces around. */
export function signatureParts(header: string): { ts: string | null; v1: string | null } {
  let ts: string | null = null;
  let v1: string | null = null;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'ts') ts = value;
    if (key === 'v1') v1 = value;
  }
  return { ts, v1 };
}

/** ts in milliseconds; some of Mercado Pago's examples give seconds. */
const tsMillis = (ts: string) => {
  const n = Number(ts);
  return n < 1e11 ? n * 1000 : n;
};

const dataOf = (body: string) => {
  try {
    const json: unknown = JSON.parse(body);
    return json && typeof json === 'object' ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * The notice in a webhook whose signature checks. The same notice delivered twice is the same
 * notice: its id is the body's id when Mercado Pago gives one, else the order and its version
 * (each change of an order raises it), so a retry or a replay is told from the next change.
 */
export function mercadoPagoNotice(request: WebhookRequest, check: WebhookCheck): WebhookNotice {
  if (!check.secret) throw invalid('No hay clave secreta de webhooks de Mercado Pago configurada: no se puede validar la notificación.');
  const header = request.headers['x-signature'];
  if (!header) throw invalid('La notificación no trae la firma de Mercado Pago (x-signature).');
  const { ts, v1 } = signatureParts(header);
  if (!ts || !/^\d{1,16}$/.test(ts) || !v1 || !/^[0-9a-fA-F]{64}$/.test(v1)) {
    throw invalid('La firma de la notificación (x-signature) no tiene la forma ts=…,v1=….');
  }
  const dataId = request.query['data.id'];
  if (!dataId) throw invalid('La notificación no dice en data.id qué orden cambió: no se puede validar.');
  const requestId = request.headers['x-request-id'];

  const expected = createHmac('sha256', check.secret)
    .update(signatureManifest(dataId, requestId, ts))
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) {
    throw invalid('La firma de la notificación no corresponde a la clave secreta de la cuenta: no la envió Mercado Pago.');
  }
  const age = check.now - tsMillis(ts);
  if (Math.abs(age) > check.toleranceMs) {
    const minutes = Math.round(age / 60_000);
    throw invalid(`La notificación está firmada hace ${minutes} min, fuera del margen aceptado: es una repetición.`);
  }

  const body = dataOf(request.body);
  const data = body?.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : null;
  if (!body || !data) throw badAnswer('el cuerpo de la notificación no es el JSON de una order.');
  if (body.type !== 'order') throw badAnswer(`la notificación es del tópico «${String(body.type)}», no de orders.`);
  // The body is not signed: one naming another order than the signed data.id was not sent as is.
  if (data.id !== dataId) throw invalid(`El cuerpo de la notificación habla de otra orden que la firmada (${dataId}).`);

  const bodyId = typeof body.id === 'string' || typeof body.id === 'number' ? String(body.id) : null;
  const version = typeof data.version === 'number' || typeof data.version === 'string' ? String(data.version) : null;
  const id = bodyId ?? (version !== null ? `${dataId}@${version}` : `${dataId}@${requestId ?? ts}`);
  return { id, reference: dataId };
}
