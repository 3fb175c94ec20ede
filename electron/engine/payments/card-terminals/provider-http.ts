// What every card-terminal adapter does the same way on the wire: a call to the provider's cloud
// API with a deadline, a failure to reach it said as UNAVAILABLE or TIMEOUT (the provider may have
// acted), foreign text cleaned of the account's secrets before it reaches a message, and an
// answer kept as provider_data without credentials or a person's data. What the answer means is
// each adapter's own.
import { randomUUID } from 'node:crypto';
import { scrubText } from '../../log/redaction.ts';
import { CardProviderError, type CardProvider } from './card-terminal.ts';

export type ProviderRequest = {
  /** In Spanish, what was being asked: "crear el cobro". */
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** The body exactly as sent. */
  body?: string;
  /** What the caller does after no answer: ask again with the same key, or just read again. */
  again: string;
};

export type ProviderAnswer = { status: number; text: string };

export type ProviderLine = {
  provider: CardProvider;
  /** The provider's name as the cashier knows it: "Mercado Pago", "Clip". */
  label: string;
  timeoutMs: number;
  /** The account's secrets cut out of any foreign text (see secretScrubber). */
  clean: (text: string) => string;
};

/** The request sent, and the answer's status and whole body; or TIMEOUT / UNAVAILABLE when none came. */
export async function callProvider(line: ProviderLine, request: ProviderRequest): Promise<ProviderAnswer> {
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(line.timeoutMs),
    });
    // The deadline covers the body too: an answer cut off half way is no answer.
    return { status: res.status, text: await res.text() };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw new CardProviderError(
        'TIMEOUT',
        `${line.label} no respondió a tiempo (${line.timeoutMs} ms) al ${request.operation}; ${request.again}`,
        { provider: line.provider },
      );
    }
    const why = line.clean(e.cause?.code ?? e.cause?.message ?? e.message);
    throw new CardProviderError(
      'UNAVAILABLE',
      `No se pudo comunicar con ${line.label} para ${request.operation} (${why}); ${request.again}`,
      {
        provider: line.provider,
      },
    );
  }
}

/** The body as JSON; undefined when empty, or when it is not JSON (the caller decides what that means). */
export function jsonOf(text: string): { json: unknown; isJson: boolean } {
  if (text.trim() === '') return { json: undefined, isJson: true };
  try {
    return { json: JSON.parse(text), isJson: true };
  } catch {
    return { json: undefined, isJson: false };
  }
}

/** A foreign text fit for a message: the account's secrets cut out, anything scrubText knows masked, bounded. */
export function secretScrubber(secrets: readonly string[]): (text: string) => string {
  const known = secrets.filter((s) => s.length > 0);
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join('[redacted]');
    return scrubText(out).slice(0, 300);
  };
}

const SECRET_FIELDS = new Set([
  'token',
  'access_token',
  'accesstoken',
  'refresh_token',
  'client_token',
  'client_secret',
  'secret',
  'authorization',
  'password',
  // The payer's person: never needed to settle a charge, and personal.
  'payer',
  'email',
  'user_email',
  'identification',
  'phone',
  'address',
  // With the card's first and last digits it says more about the card than a receipt does.
  'exp_month',
  'exp_year',
  'cardholder_name',
]);

/**
 * An answer fit to keep as the record's provider_data: fields that hold credentials or a
 * person's data dropped at any depth, and the account's secrets cut out of any text.
 */
export function withoutSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_FIELDS.has(key.toLowerCase())) continue;
      out[key] = withoutSecrets(v, secrets);
    }
    return out;
  }
  return value;
}

/** A decimal a provider takes as a JSON number (Clip's refund amount): written as its digits, never through a JavaScript number. */
export class JsonDecimal {
  constructor(readonly digits: string) {
    if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(digits)) throw new Error(`not a decimal to send as a JSON number: ${digits}`);
  }
}

/** JSON.stringify, with every JsonDecimal written as a bare number literal of exactly its digits. */
export function jsonWithDecimals(value: unknown): string {
  const mark = randomUUID();
  const digits: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof JsonDecimal ? `${mark}:${digits.push(v.digits) - 1}` : v));
  return text.replace(new RegExp(`"${mark}:(\\d+)"`, 'g'), (_whole, at: string) => digits[Number(at)]!);
}
