// The screens' number fields in the cashier's locale: what each kind of field takes, the engine's
// value for what was typed, and the words when it cannot be read, with an example written the
// locale's way (125,50 in es-AR, 125.50 in es-MX). The reading itself is typed-number.ts.
import { intlLocale, type I18n } from './index.ts';
import type { MessageKey } from './messages.ts';
import {
  MONEY,
  PERCENT,
  PRICE,
  QUANTITY,
  SIGNED_QUANTITY,
  readTypedNumber,
  separatorsOf,
  typedForm,
  type NumberRule,
} from './typed-number.ts';

/** A kind of field: what it takes, what it says when refused, and its example in the engine's form. */
export type NumberField = { rule: NumberRule; message: MessageKey; example: string };

export const AMOUNT_FIELD: NumberField = { rule: MONEY, message: 'input.amount', example: '125.50' };
export const PRICE_FIELD: NumberField = { rule: PRICE, message: 'input.amount', example: '125.50' };
/** A line's pieces or weight, and what comes back in a return. */
export const QUANTITY_FIELD: NumberField = { rule: QUANTITY, message: 'quantity.problem.FORMAT', example: '0.750' };
export const STOCK_FIELD: NumberField = { rule: QUANTITY, message: 'bo.stock.badQuantity', example: '1.250' };
export const STOCK_CHANGE_FIELD: NumberField = { rule: SIGNED_QUANTITY, message: 'bo.stock.badQuantity', example: '1.250' };
/** A percentage; the caller holds it to 100. */
export const PERCENT_FIELD: NumberField = { rule: PERCENT, message: 'discount.percent', example: '12.5' };

/** The engine's value (null when there is none) and the words to show (null when empty: nothing to say yet). */
export type FieldReading = { value: string | null; problem: string | null };

export function readField(i18n: I18n, field: NumberField, typed: string): FieldReading {
  const read = readTypedNumber(typed, intlLocale(i18n.locale), field.rule);
  if (read.ok) return { value: read.value, problem: null };
  return { value: null, problem: read.problem === 'EMPTY' ? null : fieldProblem(i18n, field) };
}

/** Why a field of this kind was refused, with an example the locale's way. */
export function fieldProblem(i18n: I18n, field: NumberField): string {
  const { decimal } = separatorsOf(intlLocale(i18n.locale));
  const word = decimal === '.' ? i18n.t('input.point') : decimal === ',' ? i18n.t('input.comma') : `«${decimal}»`;
  return i18n.t(field.message, { example: typedForm(field.example, intlLocale(i18n.locale)), decimal: word });
}

/** An engine value as this cashier would type it, for a field filled in for them. */
export const fieldText = (i18n: I18n, value: string) => typedForm(value, intlLocale(i18n.locale));

/** The locale's decimal separator, for the touch keypad. */
export const decimalSeparator = (i18n: I18n) => separatorsOf(intlLocale(i18n.locale)).decimal;
