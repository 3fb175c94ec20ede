// Cancelling a sale that was never paid: it stays, marked VOIDED with who, when and why, and
// the journal keeps its lines as they were, so the Z report can count it and nobody can
// make a cart disappear without a trace.
import { toRow, type JsonRow } from '#db/row-json.ts';
import { saleItems, sales } from '#db/schema/sales.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAuditIn } from '../audit/audit-log.ts';
import { loadCart, requireUnfinished, reprice, writeCart } from './cart.ts';
import { putBackCart } from './completed-sale.ts';
import { saleContext } from './sale-context.ts';
import { voidFactKey } from './fact-keys.ts';

export { voidFactKey } from './fact-keys.ts';

export const SALE_VOIDED = 'sale.voided';
export type VoidedSaleFact = { sale: JsonRow; items: JsonRow[] };

export async function voidSale(ctx: CallContext, saleId: string, reason: string) {
  const sc = await saleContext(ctx);
  const { sql, journal } = ctx.services;
  const cart = await loadCart(ctx.services, sc.terminal.businessId, saleId);
  if (cart.sale.status === 'VOIDED') return { saleId, status: 'VOIDED' as const };
  requireUnfinished(cart, sc.terminal.registerId);
  if (cart.items.length === 0) {
    throw new EngineError('CONFLICT', 'an empty sale has nothing to cancel', { reason: 'EMPTY_SALE' });
  }
  // A charge at the terminal or approved is the customer's money in play: it is settled first.
  const [charge] = await sql.query<{ id: string; status: string }>(
    `SELECT id, status FROM payments.card_charges WHERE sale_id = $1 AND status NOT IN ('DECLINED', 'CANCELLED', 'EXPIRED') LIMIT 1`,
    [saleId],
  );
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
  const written = await sql
    .transaction(async (tx) => {
      const w = await writeCart({ sql: tx, carts: ctx.services.carts }, voided, now, { lines: false });
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
    return true;
  });
}
