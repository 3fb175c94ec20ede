// payments: tenders a business accepts, the immutable payment ledger, refunds as
// compensating records, and stored value (store credit, gift cards).
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, check, integer, jsonb, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { currency, id, idempotencyKey, money, timestamps, utc, version } from './columns.ts';
import { indexOn, live, oneOf, partialIndex, uniqueOn } from './constraints.ts';
import { users } from './auth.ts';
import { branches, businesses, employees } from './business.ts';
import { cashRegisters, returns, saleItems, sales, shifts } from './sales.ts';
// The vocabulary the screens share lives in the contract; the schema constrains columns to it.
import { BALANCE_STATUSES, CARD_CHARGE_STATUSES, CARD_PROVIDERS, TENDER_KINDS } from '../../contract/payment-vocabulary.ts';

export { BALANCE_STATUSES, CARD_CHARGE_STATUSES, CARD_PROVIDERS, TENDER_KINDS };

export const paymentsSchema = pgSchema('payments');

export const TRANSACTION_STATUSES = ['CONFIRMED', 'DECLINED'] as const;
export const REFUND_STATUSES = ['CONFIRMED', 'DECLINED'] as const;
export const BALANCE_KINDS = ['STORE_CREDIT', 'GIFT_CARD'] as const;

export const paymentMethods = paymentsSchema.table(
  'payment_methods',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: TENDER_KINDS }).notNull(),
    opensDrawer: boolean('opens_drawer').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    indexOn('payment_methods', t.businessId),
    uniqueOn('payment_methods', [t.businessId, t.code], live(t.deletedAt)),
    oneOf('payment_methods', t.kind, TENDER_KINDS),
  ],
);

/** Stored value a customer holds. The amount moves only through balance_movements. */
export const balances = paymentsSchema.table(
  'balances',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    holderUserId: uuid('holder_user_id').references(() => users.id),
    kind: text('kind', { enum: BALANCE_KINDS }).notNull(),
    /** The number printed on the card or credit slip. */
    code: text('code').notNull(),
    holderName: text('holder_name'),
    amount: money('amount').notNull().default('0'),
    currency: currency(),
    status: text('status', { enum: BALANCE_STATUSES }).notNull().default('ACTIVE'),
    expiresAt: utc('expires_at'),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('balances', t.businessId),
    indexOn('balances', t.holderUserId),
    uniqueOn('balances', [t.businessId, t.code]),
    oneOf('balances', t.kind, BALANCE_KINDS),
    oneOf('balances', t.status, BALANCE_STATUSES),
    check('balances_amount_check', sql`${t.amount} >= 0`),
  ],
);

/** Immutable: a payment is never edited or turned into a failure; a refund compensates it. */
export const transactions = paymentsSchema.table(
  'transactions',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    registerId: uuid('register_id').references(() => cashRegisters.id),
    shiftId: uuid('shift_id').references(() => shifts.id),
    saleId: uuid('sale_id').references(() => sales.id),
    paymentMethodId: uuid('payment_method_id')
      .notNull()
      .references(() => paymentMethods.id),
    balanceId: uuid('balance_id').references(() => balances.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    status: text('status', { enum: TRANSACTION_STATUSES }).notNull(),
    /** What this tender pays of the sale. */
    amount: money('amount').notNull(),
    currency: currency(),
    /** Cash handed over, and the change given back from it. */
    tenderedAmount: money('tendered_amount'),
    changeAmount: money('change_amount'),
    cardLast4: text('card_last4'),
    cardBrand: text('card_brand'),
    approvalCode: text('approval_code'),
    provider: text('provider'),
    providerReference: text('provider_reference'),
    providerData: jsonb('provider_data').$type<Record<string, unknown>>().notNull().default({}),
    /** The integrated terminal's charge this tender is: one tender per approved charge. */
    cardChargeId: uuid('card_charge_id').references((): AnyPgColumn => cardCharges.id),
    idempotencyKey: idempotencyKey(),
    occurredAt: utc('occurred_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('transactions', t.businessId),
    uniqueOn('transactions', [t.cardChargeId]),
    indexOn('transactions', t.branchId, t.occurredAt),
    indexOn('transactions', t.registerId),
    indexOn('transactions', t.shiftId),
    indexOn('transactions', t.saleId),
    indexOn('transactions', t.paymentMethodId),
    indexOn('transactions', t.balanceId),
    indexOn('transactions', t.employeeId),
    uniqueOn('transactions', [t.idempotencyKey]),
    oneOf('transactions', t.status, TRANSACTION_STATUSES),
    check('transactions_amount_check', sql`${t.amount} > 0`),
    check(
      'transactions_cash_check',
      sql`${t.tenderedAmount} is null or
      (${t.changeAmount} is not null and ${t.tenderedAmount} = ${t.amount} + ${t.changeAmount} and ${t.changeAmount} >= 0)`,
    ),
    check('transactions_card_last4_check', sql`${t.cardLast4} ~ '^[0-9]{4}$'`),
  ],
);

/** A compensating record: money back to the customer, against a return or a payment. */
export const refunds = paymentsSchema.table(
  'refunds',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    registerId: uuid('register_id').references(() => cashRegisters.id),
    shiftId: uuid('shift_id').references(() => shifts.id),
    saleId: uuid('sale_id').references(() => sales.id),
    returnId: uuid('return_id').references(() => returns.id),
    /** The payment being compensated, when the refund goes back to the same tender. */
    transactionId: uuid('transaction_id').references(() => transactions.id),
    /**
     * The integrated terminal's charge given back when it never became a tender (the sale was
     * voided with the charge approved). A refund of a tender names the tender (transaction_id).
     */
    cardChargeId: uuid('card_charge_id').references((): AnyPgColumn => cardCharges.id),
    paymentMethodId: uuid('payment_method_id')
      .notNull()
      .references(() => paymentMethods.id),
    balanceId: uuid('balance_id').references(() => balances.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    approvedBy: uuid('approved_by').references(() => employees.id),
    status: text('status', { enum: REFUND_STATUSES }).notNull(),
    amount: money('amount').notNull(),
    currency: currency(),
    reason: text('reason').notNull(),
    provider: text('provider'),
    providerReference: text('provider_reference'),
    providerData: jsonb('provider_data').$type<Record<string, unknown>>().notNull().default({}),
    idempotencyKey: idempotencyKey(),
    occurredAt: utc('occurred_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('refunds', t.businessId),
    indexOn('refunds', t.branchId, t.occurredAt),
    indexOn('refunds', t.registerId),
    indexOn('refunds', t.shiftId),
    indexOn('refunds', t.saleId),
    indexOn('refunds', t.returnId),
    indexOn('refunds', t.transactionId),
    indexOn('refunds', t.cardChargeId),
    indexOn('refunds', t.paymentMethodId),
    indexOn('refunds', t.balanceId),
    indexOn('refunds', t.employeeId),
    indexOn('refunds', t.approvedBy),
    uniqueOn('refunds', [t.idempotencyKey]),
    oneOf('refunds', t.status, REFUND_STATUSES),
    check('refunds_amount_check', sql`${t.amount} > 0`),
  ],
);

/** The stored-value ledger: every change to a balance, signed. Immutable. */
export const balanceMovements = paymentsSchema.table(
  'balance_movements',
  {
    id: id(),
    balanceId: uuid('balance_id')
      .notNull()
      .references(() => balances.id),
    transactionId: uuid('transaction_id').references(() => transactions.id),
    refundId: uuid('refund_id').references(() => refunds.id),
    /** The sale line that sold or topped up a gift card: what a card's value comes from. */
    saleItemId: uuid('sale_item_id').references(() => saleItems.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    amount: money('amount').notNull(),
    reason: text('reason').notNull(),
    idempotencyKey: idempotencyKey(),
    occurredAt: utc('occurred_at').notNull(),
    ...timestamps(),
  },
  (t) => [
    indexOn('balance_movements', t.balanceId, t.occurredAt),
    indexOn('balance_movements', t.transactionId),
    indexOn('balance_movements', t.refundId),
    indexOn('balance_movements', t.saleItemId),
    indexOn('balance_movements', t.employeeId),
    uniqueOn('balance_movements', [t.idempotencyKey]),
    check('balance_movements_amount_check', sql`${t.amount} <> 0`),
  ],
);

/**
 * A charge put on an integrated card terminal through its provider's API: an attempt, not a
 * payment. It is written (SENT) before the provider is asked, so a crash between the request and
 * its answer leaves a row that start-up settles by asking again with the same key; it follows the
 * provider's states until a final one, which never changes after (a trigger holds it). An
 * APPROVED charge becomes the sale's tender when the sale completes: the transaction names it
 * (transactions.card_charge_id, once); a refund of it is a payments.refunds row, never a change here.
 */
export const cardCharges = paymentsSchema.table(
  'card_charges',
  {
    id: id(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    registerId: uuid('register_id')
      .notNull()
      .references(() => cashRegisters.id),
    shiftId: uuid('shift_id').references(() => shifts.id),
    saleId: uuid('sale_id')
      .notNull()
      .references(() => sales.id),
    paymentMethodId: uuid('payment_method_id')
      .notNull()
      .references(() => paymentMethods.id),
    employeeId: uuid('employee_id').references(() => employees.id),
    provider: text('provider', { enum: CARD_PROVIDERS }).notNull(),
    /** The provider's id of the terminal it was put on. */
    terminalId: text('terminal_id').notNull(),
    amount: money('amount').notNull(),
    currency: currency(),
    /** Ours on the provider's record, and the provider's idempotency key: the same charge however often asked. */
    externalReference: text('external_reference').notNull(),
    /** The provider's id of the charge, once it answered. */
    providerReference: text('provider_reference'),
    status: text('status', { enum: CARD_CHARGE_STATUSES }).notNull(),
    /** The provider's own word for the state (status_detail). */
    statusDetail: text('status_detail'),
    cardLast4: text('card_last4'),
    cardBrand: text('card_brand'),
    approvalCode: text('approval_code'),
    /** The provider's id of the payment taken (what a refund names). */
    providerPaymentId: text('provider_payment_id'),
    providerData: jsonb('provider_data').$type<Record<string, unknown>>().notNull().default({}),
    idempotencyKey: idempotencyKey(),
    version: version(),
    ...timestamps(),
  },
  (t) => [
    indexOn('card_charges', t.businessId),
    indexOn('card_charges', t.branchId),
    indexOn('card_charges', t.registerId),
    indexOn('card_charges', t.shiftId),
    indexOn('card_charges', t.saleId),
    indexOn('card_charges', t.paymentMethodId),
    indexOn('card_charges', t.employeeId),
    uniqueOn('card_charges', [t.idempotencyKey]),
    uniqueOn('card_charges', [t.externalReference]),
    oneOf('card_charges', t.provider, CARD_PROVIDERS),
    oneOf('card_charges', t.status, CARD_CHARGE_STATUSES),
    check('card_charges_amount_check', sql`${t.amount} > 0`),
    check('card_charges_card_last4_check', sql`${t.cardLast4} ~ '^[0-9]{4}$'`),
    // What start-up and the pay screen settle: the charges still waiting for the provider.
    partialIndex('card_charges', 'open', sql`${t.status} not in ('APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED')`, t.createdAt),
  ],
);
