// Paying: the tenders settle the cart, the sale and everything it carries go into PGlite in
// one statement with the register's next receipt number, and the journal appends the same
// fact before the cashier sees success. Asked twice, it answers the first sale again. What the
// sale sets off (the drawer, the receipt, the customer display) follows from the journaled
// fact (reactions/), so a crash after the answer still prints its receipt.
import { Decimal } from 'decimal.js';
import { and, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { stockMovements } from '#db/schema/inventory.ts';
import { balanceMovements, balances, cardCharges, paymentMethods, transactions } from '#db/schema/payments.ts';
import { cashRegisters, sales, saleItems } from '#db/schema/sales.ts';
import type { CallInput } from '#contract/calls.ts';
import type { TenderKind } from '#contract/payment-vocabulary.ts';
import type { ReceiptSummary } from '#contract/receipt-summary.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requestFingerprint, requireSameRequest } from '#engine/request-fingerprint.ts';
import { rememberRequestBefore } from '#engine/recovery/record-log.ts';
import type { EngineContainer } from '#engine/container.ts';
import { loadCart, reprice, requireUnfinished } from './cart.ts';
import { applyCompletedSale, readCompletedSale, saleFactKey, SALE_COMPLETED, type CompletedSaleFact } from './completed-sale.ts';
import { receiptEmailEntry } from './receipt-email.ts';
import { saleContext, requireOpenShift } from './sale-context.ts';
import { settleTenders, TenderError, type TenderInput } from './tenders.ts';
import { chargesPaying, requireChargePays } from '../payments/charge-tenders.ts';
import { type GiftCardAnswers, giftCardTender, tenderMovementKey, upsertGiftCards } from '../payments/gift-card-tenders.ts';
import { soldGiftCards } from '../payments/gift-card-sale.ts';

type TenderRequest = CallInput<'sales.complete'>['tenders'][number];

export const receiptCode = (registerCode: string, receiptNumber: number) => `R${registerCode}-${String(receiptNumber).padStart(6, '0')}`;

/** `giftCards`: what central said of the gift-card tenders (gift-card-tenders.ts holdGiftCards), asked before the write queue. */
export async function completeSale(
  ctx: CallContext,
  input: CallInput<'sales.complete'>,
  giftCards: GiftCardAnswers = new Map(),
): Promise<ReceiptSummary> {
  const { services } = ctx;
  const sc = await saleContext(ctx);
  const cart = await loadCart(services, sc.terminal.businessId, input.saleId);
  // The receipt's address is not part of the payment: a retry that adds one is the same payment.
  const { email, ...payment } = input;
  const fingerprint = requestFingerprint(payment);
  const emailRequest = email
    ? receiptEmailEntry({
        saleId: input.saleId,
        businessId: sc.terminal.businessId,
        currency: cart.sale.currency,
        email,
        by: sc.session.employeeId,
        at: services.now(),
      })
    : null;
  if (cart.sale.status === 'COMPLETED') {
    const answer = await answerCompleted(services, cart.sale.id, fingerprint);
    if (emailRequest) services.journal.appendAll([emailRequest]);
    return answer;
  }
  requireUnfinished(cart, sc.terminal.registerId);
  if (cart.sale.status === 'PARKED') throw new EngineError('CONFLICT', 'recall the parked sale first', { reason: 'SALE_PARKED' });
  if (cart.items.length === 0) throw new EngineError('CONFLICT', 'the sale has no items', { reason: 'EMPTY_SALE' });
  const shift = await requireOpenShift(services.sql, sc.terminal.registerId);

  const methods = await services.db
    .select()
    .from(paymentMethods)
    .where(
      and(
        eq(paymentMethods.businessId, sc.terminal.businessId),
        inArray(
          paymentMethods.id,
          input.tenders.map((t) => t.methodId),
        ),
      ),
    );
  const { paying: charges, all: saleCharges } = await chargesPaying(services, cart.sale.id, input.tenders);
  const tenders: (TenderInput & TenderRequest)[] = input.tenders.map((t, i) => {
    const method = methods.find((m) => m.id === t.methodId && m.isActive && !m.deletedAt);
    if (!method)
      throw new EngineError('INVALID_INPUT', `tender ${i + 1}: this store does not take that payment method`, {
        field: `tenders.${i}.methodId`,
        reason: 'UNKNOWN_METHOD',
      });
    if (t.chargeId && t.amount === undefined) {
      const charge = charges.find((c) => c.id === t.chargeId);
      if (charge) return { ...t, amount: new Decimal(charge.amount).toFixed(4), kind: method.kind };
    }
    if (method.kind === 'STORE_CREDIT' && !t.balanceCode) {
      throw new EngineError('INVALID_INPUT', `tender ${i + 1}: store credit needs the credit slip's code`, {
        field: `tenders.${i}.balanceCode`,
        reason: 'BALANCE_CODE',
      });
    }
    if (method.kind === 'GIFT_CARD' && (!t.balanceCode || t.amount === undefined)) {
      throw new EngineError('INVALID_INPUT', `tender ${i + 1}: a gift card pays with its code and an amount`, {
        field: `tenders.${i}.${t.balanceCode ? 'amount' : 'balanceCode'}`,
        reason: 'BALANCE_CODE',
      });
    }
    return { ...t, kind: method.kind };
  });
  const withCash = tenders.some((t) => t.kind === 'CASH');
  const priced = reprice(cart, sc.settings, { cashRounding: withCash });
  const totals = priced.totals!;
  let settled;
  try {
    settled = settleTenders(totals.payable, tenders, sc.settings.rules.minorUnits);
  } catch (err) {
    if (err instanceof TenderError) {
      throw new EngineError('INVALID_INPUT', err.message, { field: 'tenders', reason: err.problem.code, ...err.problem });
    }
    throw err;
  }

  const now = services.now();
  const saleId = cart.sale.id;
  const common = {
    businessId: sc.terminal.businessId,
    branchId: sc.terminal.branchId,
    registerId: sc.terminal.registerId,
    shiftId: shift.id,
  };
  const payments = [];
  const sold = await soldGiftCards(services, {
    saleId,
    businessId: sc.terminal.businessId,
    currency: cart.sale.currency,
    items: priced.items,
    employeeId: sc.session.employeeId,
    validMonths: sc.settings.giftCardValidMonths,
    now,
  });
  const balance: ReturnType<typeof toRow>[] = [...sold.movements];
  const vouched = [];
  const spentCards = [];
  for (const [i, t] of settled.tenders.entries()) {
    const request = tenders[i]!;
    let balanceId: string | null = null;
    if (t.kind === 'GIFT_CARD') {
      const spent = await giftCardTender(
        services,
        {
          businessId: sc.terminal.businessId,
          currency: cart.sale.currency,
          businessDate: shift.businessDate,
          offlineLimit: sc.settings.giftCardOfflineLimit,
        },
        { index: i, code: request.balanceCode, amount: t.amount },
        giftCards.get(i),
      );
      if (sold.cards.some((c) => c.id === spent.balanceId))
        throw new EngineError('CONFLICT', 'a gift card cannot pay for the sale that loads it', { reason: 'GIFT_CARD_SOLD_HERE' });
      balanceId = spent.balanceId;
      if (spent.card) vouched.push(spent.card);
      spentCards.push(spent.balanceId);
    }
    if (t.kind === 'STORE_CREDIT') {
      const [b] = await services.db
        .select()
        .from(balances)
        .where(and(eq(balances.businessId, sc.terminal.businessId), eq(balances.code, request.balanceCode!)));
      if (b?.status !== 'ACTIVE' || b.deletedAt)
        throw new EngineError('NOT_FOUND', 'no active store credit with that code', { what: 'balance', code: request.balanceCode });
      if (b.currency !== cart.sale.currency)
        throw new EngineError('CONFLICT', 'that credit is in another currency', { reason: 'CURRENCY' });
      if (new Decimal(b.amount).lessThan(t.amount)) {
        throw new EngineError('CONFLICT', `the credit holds ${b.amount} only`, { reason: 'BALANCE_TOO_LOW', available: b.amount });
      }
      balanceId = b.id;
    }
    const charge = request.chargeId ? charges.find((c) => c.id === request.chargeId)! : null;
    if (charge) requireChargePays(charge, t, i);
    const payment = {
      id: uuidv7(),
      ...common,
      saleId,
      paymentMethodId: t.methodId,
      balanceId,
      employeeId: sc.session.employeeId,
      status: 'CONFIRMED' as const,
      amount: t.amount,
      currency: cart.sale.currency,
      tenderedAmount: t.tenderedAmount,
      changeAmount: t.changeAmount,
      cardLast4: charge ? charge.cardLast4 : (request.cardLast4 ?? null),
      cardBrand: charge ? charge.cardBrand : (request.cardBrand ?? null),
      approvalCode: charge ? charge.approvalCode : (request.approvalCode ?? null),
      provider: charge?.provider ?? null,
      providerReference: charge ? charge.providerReference : (request.reference ?? null),
      providerData: charge ? { terminalId: charge.terminalId, paymentId: charge.providerPaymentId } : {},
      cardChargeId: charge?.id ?? null,
      idempotencyKey: `${saleId}:pay:${i + 1}`,
      occurredAt: now,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    payments.push(toRow(transactions, payment));
    if (balanceId) {
      balance.push(
        toRow(balanceMovements, {
          id: uuidv7(),
          balanceId,
          transactionId: payment.id,
          refundId: null,
          saleItemId: null,
          employeeId: sc.session.employeeId,
          amount: `-${t.amount}`,
          reason: 'sale',
          idempotencyKey: tenderMovementKey(saleId, i),
          occurredAt: now,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        }),
      );
    }
  }
  const stock = priced.items.map((item) => ({
    ...toRow(stockMovements, {
      id: uuidv7(),
      variantId: item.variantId,
      branchId: sc.terminal.branchId,
      employeeId: sc.session.employeeId,
      kind: 'SALE',
      quantity: `-${item.quantity}`,
      unitCost: null,
      reason: null,
      referenceType: 'sale',
      referenceId: saleId,
      idempotencyKey: `${saleId}:stock:${item.id}`,
      occurredAt: now,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }),
    stock_level_id: uuidv7(),
  }));
  const sale = {
    ...priced.sale,
    status: 'COMPLETED' as const,
    receiptNumber: null,
    businessDate: shift.businessDate,
    shiftId: shift.id,
    rounding: totals.rounding,
    total: totals.payable,
    paidTotal: settled.paid,
    changeTotal: settled.change,
    completedAt: now,
    updatedAt: now,
    version: cart.sale.version + 1,
  };
  const fact: CompletedSaleFact = {
    sale: toRow(sales, sale),
    items: priced.items.map((i) => toRow(saleItems, i)),
    payments,
    stock,
    balance,
    giftCards: [...sold.cards.map((c) => c.row), ...vouched, ...(await knownCards(services, spentCards, vouched))],
    // Every charge of the sale, final by now (chargesPaying refused an open one, and the write queue holds off any other change).
    charges: saleCharges.map((c) => toRow(cardCharges, c)),
  };
  await rememberRequestBefore(services.sql, saleFactKey(saleId), fingerprint);
  await upsertGiftCards(
    services.sql,
    sold.cards.filter((c) => c.isNew).map((c) => c.row),
    false,
  );
  await upsertGiftCards(services.sql, vouched, true);
  const number = await applyCompletedSale(services.sql, fact, { replay: false, version: cart.sale.version });
  services.carts.forget(saleId);
  if (number === null) {
    const [now2] = await services.db.select({ status: sales.status }).from(sales).where(eq(sales.id, saleId));
    if (now2?.status === 'COMPLETED') return answerCompleted(services, saleId, fingerprint);
    if (tenders.some((t) => t.kind === 'STORE_CREDIT' || t.kind === 'GIFT_CARD'))
      throw new EngineError('CONFLICT', 'the store credit or gift card no longer covers this amount', { reason: 'BALANCE_TOO_LOW' });
    throw new EngineError('CONFLICT', 'the sale changed meanwhile; look at it again', { reason: 'STALE_SALE' });
  }
  fact.sale.receipt_number = number;
  // The receipt's address with the sale, in one write: one wait for the disk, and never a sale
  // journaled whose e-mail request a crash lost.
  services.journal.appendAll([
    {
      kind: SALE_COMPLETED,
      idempotencyKey: saleFactKey(saleId),
      payload: { ...fact, requestFingerprint: fingerprint } satisfies FingerprintedSale,
    },
    ...(emailRequest ? [emailRequest] : []),
  ]);
  return summary(services, fact, { registerCode: shift.registerCode, methods });
}

/** The register's rows of the cards this sale spends that central did not just describe: as they stand before the sale. */
async function knownCards(services: EngineContainer, ids: string[], vouched: ReturnType<typeof toRow>[]) {
  const rest = ids.filter((id) => !vouched.some((row) => row.id === id));
  if (rest.length === 0) return [];
  return (await services.db.select().from(balances).where(inArray(balances.id, rest))).map((b) => toRow(balances, b));
}

/** The sale's fact as journaled when it was paid, with the digest of the payment asked for. */
type FingerprintedSale = CompletedSaleFact & { requestFingerprint?: string };

/**
 * A sale already completed (a retry, a double click): journal it if the journal missed it, answer
 * it again; but not to a payment with other tenders, which would be told it was taken.
 */
async function answerCompleted(services: EngineContainer, saleId: string, fingerprint: string): Promise<ReceiptSummary> {
  const journaled = services.journal.find(saleFactKey(saleId))?.payload as FingerprintedSale | undefined;
  requireSameRequest(
    journaled?.requestFingerprint,
    fingerprint,
    'payment',
    'this sale was already paid with other tenders; look at its receipt',
  );
  const fact = await readCompletedSale(services.db, saleId);
  if (!fact) throw new EngineError('NOT_FOUND', 'no such completed sale', { what: 'sale', id: saleId });
  services.journal.append(SALE_COMPLETED, saleFactKey(saleId), fact);
  return summary(services, fact);
}

type Known = { registerCode: string; methods: { id: string; name: string; kind: TenderKind }[] };

async function summary(services: EngineContainer, fact: CompletedSaleFact, known?: Known): Promise<ReceiptSummary> {
  const sale = fact.sale as {
    id: string;
    register_id: string;
    business_id: string;
    receipt_number: number;
    currency: string;
    total: string;
    rounding: string;
    paid_total: string;
    change_total: string;
    completed_at: string;
  };
  const { registerCode, methods } = known ?? {
    registerCode: (
      await services.db.select({ code: cashRegisters.code }).from(cashRegisters).where(eq(cashRegisters.id, sale.register_id))
    )[0]!.code,
    methods: await services.db
      .select({ id: paymentMethods.id, name: paymentMethods.name, kind: paymentMethods.kind })
      .from(paymentMethods)
      .where(eq(paymentMethods.businessId, sale.business_id)),
  };
  const receiptNumber = Number(sale.receipt_number);
  return {
    saleId: sale.id,
    receiptNumber,
    receiptCode: receiptCode(registerCode, receiptNumber),
    currency: sale.currency,
    total: sale.total,
    rounding: sale.rounding,
    paid: sale.paid_total,
    change: sale.change_total,
    completedAt: new Date(sale.completed_at).toISOString(),
    tenders: fact.payments.map((p) => {
      const row = p as Record<string, string | null>;
      const method = methods.find((m) => m.id === row.payment_method_id);
      // A payment names one of its business's methods (a foreign key): a missing one is a broken database, not a '?' on the screen.
      if (!method) throw new Error(`payment ${row.id} names payment method ${row.payment_method_id}, which its business does not have`);
      return {
        method: method.name,
        kind: method.kind,
        amount: row.amount!,
        tendered: row.tendered_amount ?? null,
        change: row.change_amount ?? null,
        cardLast4: row.card_last4 ?? null,
      };
    }),
  };
}
