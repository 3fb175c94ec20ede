// What the approval dialog shows for an engine's OVERRIDE_REQUIRED: the action in the cashier's
// words with its figures (a price from $31.50 to $20.00 on the rice, a 15 % discount, a variance
// of -$120.00), and the people the engine says may approve it. The engine leaves the requester
// out and only names holders of the permission whose limits cover it.
import { Decimal } from 'decimal.js';
import type { ClientError } from '../api/client.ts';
import type { I18n } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { fieldText } from '../i18n/number-fields.ts';

export type ApproverChoice = { employeeId: string; displayName: string; role: string };
export type ApprovalAsk = { what: string; approvers: ApproverChoice[] };

type Figures = { subject?: string; amount?: string; from?: string; to?: string; rate?: string; limit?: string };

/** Per permission, the wordings from the most specific down, each with the figures it needs. */
const WORDINGS: Record<string, [MessageKey, (keyof Figures | 'figure')[]][]> = {
  'sales.price_override': [
    ['approval.what.sales.price_override', ['subject', 'from', 'to']],
    ['approval.what.sales.price_override.plain', []],
  ],
  'sales.discount': [
    ['approval.what.sales.discount', ['figure', 'subject']],
    ['approval.what.sales.discount.sale', ['figure']],
    ['approval.what.sales.discount.plain', []],
  ],
  'sales.void': [
    ['approval.what.sales.void', ['amount']],
    ['approval.what.sales.void.plain', []],
  ],
  'sales.return': [
    ['approval.what.sales.return', ['amount', 'subject']],
    ['approval.what.sales.return.plain', []],
  ],
  'drawer.no_sale': [['approval.what.drawer.no_sale', []]],
  'shifts.approve_variance': [
    ['approval.what.shifts.approve_variance', ['amount']],
    ['approval.what.shifts.approve_variance.plain', []],
  ],
  'staff.unlock': [
    ['approval.what.staff.unlock', ['subject']],
    ['approval.what.staff.unlock.plain', []],
  ],
};

/** A store's cash limit crossed: said by what crossed it, whatever permission lends the authority. */
const LIMITS: Record<string, MessageKey> = {
  PAY_IN_LIMIT: 'approval.what.limit.PAY_IN_LIMIT',
  PAY_OUT_LIMIT: 'approval.what.limit.PAY_OUT_LIMIT',
  FLOAT_LIMIT: 'approval.what.limit.FLOAT_LIMIT',
};

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function approvalAsk(i18n: I18n, error: ClientError): ApprovalAsk {
  const params = error.params ?? {};
  const approvers = Array.isArray(params.approvers) ? (params.approvers as ApproverChoice[]) : [];
  const given: Figures = {
    subject: text(params.subject),
    amount: text(params.amount),
    from: text(params.from),
    to: text(params.to),
    rate: text(params.rate),
    limit: text(params.limit),
  };
  const percent = given.rate ? `${fieldText(i18n, new Decimal(given.rate).times(100).toDecimalPlaces(2).toString())} %` : undefined;
  const money = (v?: string) => (v === undefined ? undefined : i18n.money(v));
  const shown: Record<string, string | undefined> = {
    subject: given.subject,
    amount: money(given.amount),
    from: money(given.from),
    to: money(given.to),
    rate: percent,
    // A fixed discount reads as money and its share of the line; a rate as the rate.
    figure: given.amount && percent ? `${money(given.amount)} (${percent})` : (money(given.amount) ?? percent),
  };
  const limitKey = LIMITS[String(params.reason)];
  if (limitKey && given.amount && given.limit)
    return { what: i18n.t(limitKey, { amount: i18n.money(given.amount), limit: i18n.money(given.limit) }), approvers };
  const wordings = WORDINGS[String(params.permission)];
  const wording = wordings?.find(([, needs]) => needs.every((n) => shown[n] !== undefined));
  const what = wording
    ? i18n.t(wording[0], Object.fromEntries(Object.entries(shown).filter(([, v]) => v !== undefined)) as Record<string, string>)
    : i18n.error(error);
  return { what, approvers };
}

/** Why a PIN as typed cannot be sent (null: it can). */
export function pinProblem(i18n: I18n, pin: string): string | null {
  if (/\D/.test(pin)) return i18n.t('approval.pinDigits');
  return pin.length >= 4 && pin.length <= 8 ? null : i18n.t('approval.pinLength');
}
