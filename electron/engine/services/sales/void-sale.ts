// Cancelling a sale that was never paid: it stays, marked VOIDED with who, when and why, and
// the journal keeps its lines as they were, so the Z report can count it and nobody can
// make a cart disappear without a trace.
import { and, eq, isNotNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { AppDb } from '#db/app-db.ts';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { cardCharges, refunds } from '#db/schema/payments.ts';
import { saleItems, sales } from '#db/schema/sales.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requestFingerprint } from '#engine/request-fingerprint.ts';
import { recordSessionAuditIn } from '../audit/audit-log.ts';
import { upsertCardCharge } from '../payments/card-charge-facts.ts';
import { voidRefundIntentKey } from '../payments/card-refund-facts.ts';
import { giveBack, refundRecord, type RefundGiven } from '../payments/card-refunds.ts';
import { chargesHoldingSale } from '../payments/charge-holds.ts';
import { loadCart, requireUnfinished, reprice, writeCart } from './cart.ts';
import { putBackCart } from './completed-sale.ts';
import { saleContext } from './sale-context.ts';
import { voidFactKey } from './fact-keys.ts';

export { voidFactKey } from './fact-keys.ts';

export const SALE_VOIDED = 'sale.voided';
/**
 * The sale as voided with its lines; and, when the card terminal had charged it, its charges as
 * they ended and the refunds that gave the approved ones back (central holds no open cart, so
 * they come with the void).
 */
export type VoidedSaleFact = { sale: JsonRow; items: JsonRow[]; charges?: JsonRow[]; refunds?: JsonRow[] };

/**
 * Gives back whole, through the provider, each approved charge of an open sale about to be voided:
 * the customer's money goes back before the sale is cancelled. A charge still at the terminal is
 * cancelled there first (payments.cancelCharge), never refunded. The refund records are written
 * with the void (voidSale); a retry of the void after a lost answer finds the intent journaled
 * under the charge's own key and gives nothing back twice.
 */
export async function giveBackApprovedCharges(ctx: CallContext, saleId: string): Promise<RefundGiven[]> {
  const sc = await saleContext(ctx);
  const cart = await loadCart(ctx.services, sc.terminal.businessId, saleId);
  if (cart.sale.status === 'VOIDED') return [];
  requireUnfinished(cart, sc.terminal.registerId);
  const holding = await chargesHoldingSale(ctx.services.sql, saleId);
  const open = holding.find((c) => c.status !== 'APPROVED');
  if (open) {
    throw new EngineError('CONFLICT', 'a charge of this sale is still at the card terminal: cancel it first', {
      reason: 'CHARGE_OPEN',
      chargeId: open.id,
    });
  }
  if (holding.length === 0) return [];
  if (cart.items.length === 0) throw new EngineError('CONFLICT', 'an empty sale has nothing to cancel', { reason: 'EMPTY_SALE' });
  const charges = await ctx.services.db.select().from(cardCharges).where(eq(cardCharges.saleId, saleId));
  const given: RefundGiven[] = [];
  for (const { id } of holding) {
    const charge = charges.find((c) => c.id === id)!;
    given.push(
      ...(await giveBack(
        ctx.services,
        sc.terminal,
        voidRefundIntentKey(charge.id),
        requestFingerprint({ chargeId: charge.id }),
        async () => [
          {
            transactionId: null,
            chargeId: charge.id,
            methodId: charge.paymentMethodId,
            provider: charge.provider,
            terminalId: charge.terminalId,
            reference: charge.providerReference!,
            paymentId: charge.providerPaymentId!,
            amount: charge.amount,
            whole: true,
            // The charge's own key, which fits any provider: a charge is given back whole once.
            key: `${charge.externalReference}-refund`,
          },
        ],
      )),
    );
  }
  return given;
}

export async function voidSale(ctx: CallContext, saleId: string, reason: string, given: readonly RefundGiven[] = []) {
  const sc = await saleContext(ctx);
  const { sql, journal } = ctx.services;
  const cart = await loadCart(ctx.services, sc.terminal.businessId, saleId);
  if (cart.sale.status === 'VOIDED') return { saleId, status: 'VOIDED' as const };
  requireUnfinished(cart, sc.terminal.registerId);
  if (cart.items.length === 0) {
    throw new EngineError('CONFLICT', 'an empty sale has nothing to cancel', { reason: 'EMPTY_SALE' });
  }
  // A charge at the terminal, or approved and not given back just now, is the customer's money in play.
  const [charge] = (await chargesHoldingSale(sql, saleId)).filter((c) => !given.some((g) => g.chargeId === c.id));
  if (charge) {
    throw new EngineError('CONFLICT', 'the card terminal holds a charge of this sale: cancel it, or refund it, first', {
      reason: charge.status === 'APPROVED' ? 'CHARGE_APPROVED' : 'CHARGE_OPEN',
      chargeId: charge.id,
    });
  }
  const now = ctx.services.now();
  const voided = reprice(
    {
      ...cart,
      sale: {
        ...cart.sale,
        status: 'VOIDED',
        voidedAt: now,
        voidedBy: ctx.approver?.employeeId ?? sc.session.employeeId,
        voidReason: reason,
      },
    },
    sc.settings,
  );
  // The void and its audit entry commit together; the journal then keeps the fact.
  const refundRows = given.map((g) =>
    toRow(refunds, {
      id: uuidv7(),
      businessId: sc.terminal.businessId,
      branchId: sc.terminal.branchId,
      registerId: sc.terminal.registerId,
      shiftId: cart.sale.shiftId,
      saleId,
      returnId: null,
      transactionId: null,
      cardChargeId: g.chargeId,
      paymentMethodId: g.methodId,
      balanceId: null,
      employeeId: sc.session.employeeId,
      approvedBy: ctx.approver?.employeeId ?? null,
      status: 'CONFIRMED',
      amount: g.amount,
      currency: cart.sale.currency,
      reason,
      ...refundRecord(g),
      idempotencyKey: `${g.chargeId}:void-refund`,
      occurredAt: now,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }),
  );
  const written = await sql
    .transaction(async (tx) => {
      const w = await writeCart({ sql: tx, carts: ctx.services.carts }, voided, now, { lines: false });
      if (refundRows.length > 0) await insertRefunds(tx, refundRows);
      await recordSessionAuditIn(
        tx,
        ctx.services,
        sc.session,
        {
          action: 'sales.void',
          outcome: 'SUCCESS',
          entityType: 'sale',
          entityId: saleId,
          details: { reason, total: w.sale.total, lines: w.items.length },
        },
        ctx.approver,
      );
      return w;
    })
    .finally(() => ctx.services.carts.forget(saleId));
  const fact: VoidedSaleFact = { sale: toRow(sales, written.sale), items: written.items.map((i) => toRow(saleItems, i)) };
  const charges = await ctx.services.db.select().from(cardCharges).where(eq(cardCharges.saleId, saleId));
  if (charges.length > 0) fact.charges = charges.map((c) => toRow(cardCharges, c));
  if (refundRows.length > 0) fact.refunds = refundRows;
  journal.append(SALE_VOIDED, voidFactKey(saleId), fact);
  return { saleId, status: 'VOIDED' as const };
}

/** Replays a void into a PGlite that lost it: the lines as voided, then the sale. */
export async function replayVoidedSale(sql: SqlDatabase, fact: VoidedSaleFact): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const ended = { voided_at: null, voided_by: null, void_reason: null };
    if (!(await putBackCart(tx, fact.sale, fact.items, fact.sale.voided_at, ended))) return false;
    await tx.query(
      `UPDATE sales.sales SET status = 'VOIDED', voided_at = $2, voided_by = $3, void_reason = $4, total = $5, subtotal = $6,
        tax_total = $7, discount_total = $8 WHERE id = $1`,
      [
        fact.sale.id,
        fact.sale.voided_at,
        fact.sale.voided_by,
        fact.sale.void_reason,
        fact.sale.total,
        fact.sale.subtotal,
        fact.sale.tax_total,
        fact.sale.discount_total,
      ],
    );
    for (const charge of fact.charges ?? []) await upsertCardCharge(tx, charge);
    if (fact.refunds?.length) await insertRefunds(tx, fact.refunds);
    return true;
  });
}

const insertRefunds = (sql: SqlSession, rows: JsonRow[]) =>
  sql.query(
    `INSERT INTO payments.refunds SELECT * FROM jsonb_populate_recordset(NULL::payments.refunds, $1::jsonb) ON CONFLICT (idempotency_key) DO NOTHING`,
    [JSON.stringify(rows)],
  );

/** The fact of a void PGlite holds: to journal it when the journal missed it. */
export async function readVoidedSale(db: AppDb, saleId: string): Promise<VoidedSaleFact | null> {
  const [sale] = await db.select().from(sales).where(eq(sales.id, saleId));
  if (!sale) return null;
  const items = (await db.select().from(saleItems).where(eq(saleItems.saleId, saleId))).filter((i) => !i.deletedAt);
  const fact: VoidedSaleFact = { sale: toRow(sales, sale), items: items.map((i) => toRow(saleItems, i)) };
  const charges = await db.select().from(cardCharges).where(eq(cardCharges.saleId, saleId));
  if (charges.length > 0) fact.charges = charges.map((c) => toRow(cardCharges, c));
  const given = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.saleId, saleId), isNotNull(refunds.cardChargeId)));
  if (given.length > 0) fact.refunds = given.map((r) => toRow(refunds, r));
  return fact;
}
