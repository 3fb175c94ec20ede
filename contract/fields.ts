// The pieces every call spec is made of: who may call, and the shared field schemas. Kept apart
// from calls.ts so a domain's own calls module can import them without an import cycle.
import { z } from 'zod';
import type { Permission } from './permissions.ts';

/** public: no session; session: any signed-in employee; otherwise the permission needed. */
export type Access = 'public' | 'session' | Permission;

type CallExtra = {
  /**
   * What the call answers. Declared here, not inferred from the handler: the screens are typed by
   * it, the handler must return something of its type, and with POS_CHECK_OUTPUTS=1 (every test
   * run) the engine checks each answer against it. Output schemas are plain: no transforms.
   */
  output: z.ZodType;
  /** Allowed in a password session that must still set up its second factor. */
  duringMfaEnrollment?: true;
};

export type CallSpec = { access: Access; input: z.ZodType } & CallExtra;

/** One call's spec; each domain keeps its calls in calls/<domain>.ts and spreads them into `contract`. */
export const call = <I extends z.ZodType, const E extends CallExtra>(access: Access, input: I, extra: E) => ({ access, input, ...extra });

// Text that cannot hurt what stores it or reads it later: no lone surrogate (PostgreSQL's jsonb
// and central refuse it, and one such fact stopped a register's sync), no NUL (text columns
// refuse it), no other C0 or C1 control or DEL (they garble receipts, logs and terminals). A
// newline only where a field says it holds several lines; a tab nowhere.
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
// What a scanner sends around and inside a code: its suffix (tab, CR, LF) and the separators of
// GS1 and ISO/IEC 15434 data (GS is FNC1, RS and EOT frame a format). The code parser reads
// past them; they never reach a stored text.
const CONTROL_NOT_FROM_SCANNER = /[\u0000-\u0003\u0005-\u0008\u000b\u000c\u000e-\u001c\u001f\u007f-\u009f]/;

/** Why `value` is not text we keep, or null when it is. */
export function textProblem(value: string, opts: { multiline?: boolean; scanned?: boolean } = {}): string | null {
  if (LONE_SURROGATE.test(value)) return 'holds a broken character (a lone UTF-16 surrogate)';
  if (opts.scanned) return CONTROL_NOT_FROM_SCANNER.test(value) ? 'holds a control character no scanner sends' : null;
  if ((opts.multiline ? CONTROL_BUT_NEWLINE : CONTROL).test(value)) {
    return opts.multiline ? 'holds a control character (only line breaks are allowed)' : 'holds a control character or a line break';
  }
  return null;
}

/** multiline: line breaks allowed; scanned: a code as a scanner sends it (see CONTROL_NOT_FROM_SCANNER). */
export type TextOptions = { min?: number; trim?: boolean; multiline?: boolean; scanned?: boolean };

/**
 * Every string field of every call starts here, so none can forget the check above
 * (tests/integration/contract-text.test.ts walks the contract to prove it). Trimmed unless
 * told otherwise; further checks (a pattern, say) chain onto it.
 */
export function text(max: number, { min = 0, trim = true, multiline = false, scanned = false }: TextOptions = {}) {
  let schema = z.string().check((ctx) => {
    const problem = textProblem(ctx.value, { multiline, scanned });
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value, abort: true });
  });
  if (trim) schema = schema.trim();
  if (min > 0) schema = schema.min(min);
  return schema.max(max);
}

/** A string in a fixed shape: the pattern decides, after the text check. */
export const shaped = (max: number, pattern: RegExp, message: string) => text(max, { trim: false }).regex(pattern, message);

export const pin = shaped(8, /^\d{4,8}$/, 'a PIN is 4 to 8 digits');
export const password = text(200, { trim: false }).min(12, 'a password has at least 12 characters');
export const totpCode = shaped(6, /^\d{6}$/, 'a code from the authenticator app is 6 digits');
export const recoveryCode = shaped(11, /^[a-z2-9]{5}-[a-z2-9]{5}$/, 'a recovery code looks like abcde-23456');
export const name = text(120, { min: 1 });
export const rate = shaped(20, /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a fraction between 0 and 1, such as 0.05');
export const deviceName = text(120, { min: 1 }).optional();
export const amount = shaped(18, /^\d{1,13}(\.\d{1,4})?$/, 'an amount such as 125.50');
export const quantity = shaped(10, /^\d{1,6}(\.\d{1,3})?$/, 'a quantity such as 2 or 0.750').refine(
  (v) => /[1-9]/.test(v),
  'the quantity must be more than zero',
);
/** Made by the client once per action, so a retried request has one effect. */
export const idempotencyKey = shaped(100, /^[A-Za-z0-9:_.-]{8,100}$/, 'an idempotency key is 8 to 100 letters, digits or :_.-');
export const reason = text(200, { min: 1 });
/** A customer's e-mail as typed at the counter: one address, no display name, at most 254 characters (RFC 5321). */
export const email = text(254, { min: 3 })
  .transform((v) => v.toLowerCase())
  .pipe(z.email({ message: 'an e-mail address such as cliente@ejemplo.com' }));

// Shapes that answers are made of. Money, quantities and rates leave the engine as decimal
// strings (never a JavaScript number) and times as UTC ISO-8601 strings.
/** A decimal as the engine writes it: "125.5000", "-3", "0.160000". */
export const decimal = z.string().regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'a decimal string');
/** A UTC instant as ISO-8601, e.g. 2026-12-03T14:05:00.000Z. */
export const utcTime = z.iso.datetime({ offset: true });
