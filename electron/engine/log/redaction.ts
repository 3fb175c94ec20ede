// What never reaches a log file: secrets (PINs, passwords, tokens, TOTP and recovery codes, the
// hashes of any of them) and personal data (email, phone, tax id, identity documents). Known keys
// are censored by pino's redact paths wherever they sit in the first levels of a logged object;
// deeper values are cut off by `summarize` before they get there, and passwords written inside
// strings (a database URL, a bearer token in a message) are scrubbed from messages and errors.

export const CENSOR = '[redacted]';

export const SECRET_KEYS = [
  'pin',
  'currentPin',
  'newPin',
  'pinHash',
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'tokenHash',
  'accessToken',
  'webhookSecret',
  'refreshToken',
  'secret',
  'secretHash',
  'totpSecret',
  'totp',
  'totpCode',
  'code',
  'recoveryCode',
  'recoveryCodes',
  'authorization',
  'cookie',
  'x-override-pin',
] as const;

export const PII_KEYS = ['email', 'phone', 'taxId', 'documentNumber', 'identityDocument', 'kyc', 'address', 'birthDate'] as const;

/** How deep redact paths look; `summarize` drops anything deeper so nothing slips under them. */
export const REDACT_DEPTH = 4;

const pathFor = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`);

export function redactPaths(keys: readonly string[] = [...SECRET_KEYS, ...PII_KEYS]): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const leaf = pathFor(key);
    for (let depth = 0; depth < REDACT_DEPTH; depth++) {
      const prefix = '*.'.repeat(depth);
      paths.push(leaf.startsWith('[') ? (depth === 0 ? leaf : `${prefix.slice(0, -1)}${leaf}`) : `${prefix}${leaf}`);
    }
  }
  return paths;
}

/** Passwords inside URLs (postgres://user:secret@host) and bearer tokens inside free text. */
export function scrubText(text: string): string {
  return maskAddresses(
    text
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/\s]*@/gi, `$1${CENSOR}@`)
      .replace(/\b(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${CENSOR}`)
      .replace(/\b(password|pwd|pin)=([^&\s;]+)/gi, `$1=${CENSOR}`),
  );
}

/**
 * central's communication.mask_recipient (migration c0009), the one way an address is shown to
 * someone who only needs to tell it apart: "a***@example.com", "+52******1234".
 */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return `${recipient.slice(0, 1)}***${recipient.slice(at)}`;
  if (/^\+?[0-9]{6,}$/.test(recipient)) return `${recipient.slice(0, 3)}${'*'.repeat(recipient.length - 7)}${recipient.slice(-4)}`;
  return `${recipient.slice(0, 4)}…`;
}

// communication.mask_addresses' pattern. Providers quote the address they refused ("550 5.1.1
// <ana@example.com>: unknown user"), so a job's failure would put a customer's address in the log.
const ADDRESS = /[^\s<>«»"'@]+@[^\s<>«»"']+|\+[0-9]{7,15}/g;

/**
 * Every e-mail address and international phone number in a text, masked. Unlike central's text,
 * a log's holds URLs and stack frames (".../node_modules/@scope/pkg"): what has a "/" or ":"
 * before its "@" is left as it is.
 */
export function maskAddresses(text: string): string {
  return text.replace(ADDRESS, (found) => (/^[^@]*[/:]/.test(found) ? found : maskRecipient(found)));
}

const MAX_STRING = 300;
const MAX_ITEMS = 20;

/**
 * A bounded copy of a value for a log line: strings cut to 300 characters, 20 items an array
 * or object, nothing below REDACT_DEPTH levels (where redact paths stop looking).
 */
export function summarize(value: unknown, depth = 1): unknown {
  if (typeof value === 'string') return scrubText(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth >= REDACT_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => summarize(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `…${value.length - MAX_ITEMS} more`] : items;
  }
  const entries = Object.entries(value)
    .slice(0, MAX_ITEMS)
    .map(([k, v]) => [k, summarize(v, depth + 1)]);
  return Object.fromEntries(entries);
}

export type LoggedError = {
  type: string;
  message: string;
  stack?: string;
  /** A PostgreSQL SQLSTATE or a Node system error code (named so the `code` redaction leaves it). */
  errorCode?: string;
  constraint?: string;
  table?: string;
  cause?: LoggedError;
};

/**
 * An error as a log line holds it: the message and stack scrubbed, and a failed query's bound
 * parameters left out (drizzle puts them in the message; they can be a customer's email or a
 * hash), the query itself kept.
 */
export function serializeError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: scrubText(String(err)).slice(0, MAX_STRING) };
  const withoutParams = (text: string) => text.replace(/\nparams: [^\n]*/g, '\nparams: [left out]');
  const e = err as Error & { code?: unknown; constraint?: unknown; table?: unknown };
  const out: LoggedError = { type: err.constructor?.name ?? err.name, message: scrubText(withoutParams(err.message)) };
  if (err.stack) out.stack = scrubText(withoutParams(err.stack));
  if (typeof e.code === 'string') out.errorCode = e.code;
  if (typeof e.constraint === 'string') out.constraint = e.constraint;
  if (typeof e.table === 'string') out.table = e.table;
  if (err.cause !== undefined && depth < 3) out.cause = serializeError(err.cause, depth + 1);
  return out;
}
