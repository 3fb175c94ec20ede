// A completed sale as one fact: the sale, its lines, its payments, its stock movements and
// stored-value movements as whole rows. The same statement writes it when the cashier pays
// and when the journal replays it into a PGlite that lost it, so the two can never differ.
import { upsertCardCharge } from '../payments/card-charge-facts.ts';
import { upsertGiftCards } from '../payments/gift-card-tenders.ts';
import { and, eq, inArray } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { prepared } from '#db/prepared.ts';
import { columnsOf, toRow, type JsonRow } from '#db/row-json.ts';
import { stockLevels, stockMovements } from '#db/schema/inventory.ts';
import { balanceMovements, balances, cardCharges, transactions } from '#db/schema/payments.ts';
import { Decimal } from 'decimal.js';
import { saleItems, sales } from '#db/schema/sales.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';

export { saleFactKey } from './fact-keys.ts';

export const SALE_COMPLETED = 'sale.completed';

/** Stock rows carry the id a stock level gets if this movement is the variant's first. */
export type CompletedSaleFact = {
  sale: JsonRow;
  items: JsonRow[];
  payments: JsonRow[];
  stock: (JsonRow & { stock_level_id: string })[];
  balance: JsonRow[];
  /**
   * The gift cards the sale sells or spends, as the register knew them before it (a card sold for
   * the first time, empty): a replay into a database that lost them writes them before the
   * movements naming them. Central opens the sold ones empty and keeps its own balance.
   */
  giftCards?: JsonRow[];
  /**
   * The charges put on the card terminal for it, as they ended: central holds no open cart, so a
   * charge reaches central with its sale (a tender names the charge it is), whatever came first.
   */
  charges?: JsonRow[];
};

const SALE_UPDATE_SET = columnsOf(sales)
  .filter((c) => c !== 'id' && c !== 'created_at')
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ');

// $2: replaying from the journal (take the fact's receipt number and never move the counter
// back); otherwise the sale must be open at version $3 and takes the register's next number.
const APPLY = `
WITH f AS (SELECT $1::jsonb AS d),
reg AS (
  UPDATE sales.cash_registers r SET
    last_receipt_number = CASE WHEN $2 THEN GREATEST(r.last_receipt_number, (f.d->'sale'->>'receipt_number')::bigint)
                               ELSE r.last_receipt_number + 1 END,
    version = r.version + 1
  FROM f
  WHERE r.id = (f.d->'sale'->>'register_id')::uuid
    AND NOT EXISTS (SELECT 1 FROM sales.sales s WHERE s.id = (f.d->'sale'->>'id')::uuid AND s.status IN ('COMPLETED', 'VOIDED'))
    AND ($2 OR EXISTS (SELECT 1 FROM sales.sales s WHERE s.id = (f.d->'sale'->>'id')::uuid AND s.status IN ('OPEN', 'PARKED') AND s.version = $3))
    AND ($2 OR NOT EXISTS (
      SELECT 1 FROM jsonb_populate_recordset(NULL::payments.balance_movements, f.d->'balance') m
      JOIN payments.balances b ON b.id = m.balance_id
      WHERE b.status <> 'ACTIVE' OR b.amount + m.amount < 0))
  RETURNING CASE WHEN $2 THEN (f.d->'sale'->>'receipt_number')::bigint ELSE r.last_receipt_number END AS n
),
s AS (
  INSERT INTO sales.sales
  SELECT x.* FROM f, reg, jsonb_populate_record(NULL::sales.sales, f.d->'sale' || jsonb_build_object('receipt_number', reg.n)) x
  ON CONFLICT (id) DO UPDATE SET ${SALE_UPDATE_SET} WHERE sales.sales.status IN ('OPEN', 'PARKED')
  RETURNING id, receipt_number
),
t AS (
  INSERT INTO payments.transactions
  SELECT x.* FROM f, s, jsonb_populate_recordset(NULL::payments.transactions, f.d->'payments') x
  ON CONFLICT (idempotency_key) DO NOTHING
),
m AS (
  INSERT INTO inventory.stock_movements
  SELECT x.* FROM f, s, jsonb_populate_recordset(NULL::inventory.stock_movements, f.d->'stock') x
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING variant_id, branch_id, quantity
),
l AS (
  INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity)
  SELECT (SELECT (e->>'stock_level_id')::uuid FROM f, jsonb_array_elements(f.d->'stock') e
          WHERE (e->>'variant_id')::uuid = m.variant_id LIMIT 1),
         m.variant_id, m.branch_id, sum(m.quantity)
  FROM m GROUP BY m.variant_id, m.branch_id
  ON CONFLICT (variant_id, branch_id) DO UPDATE
    SET quantity = inventory.stock_levels.quantity + EXCLUDED.quantity, version = inventory.stock_levels.version + 1
),
bm AS (
  INSERT INTO payments.balance_movements
  SELECT x.* FROM f, s, jsonb_populate_recordset(NULL::payments.balance_movements, f.d->'balance') x
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING balance_id, amount
),
b AS (
  UPDATE payments.balances SET amount = payments.balances.amount + x.amount, version = payments.balances.version + 1
  FROM (SELECT balance_id, sum(amount) AS amount FROM bm GROUP BY balance_id) x
  WHERE payments.balances.id = x.balance_id
)
SELECT receipt_number AS n FROM s`;

/** Writes the fact; null when nothing was written (already completed, or the cart moved on). */
const apply = prepared<{ n: number }>('pos_apply_completed_sale', ['jsonb', 'boolean', 'integer'], 'n bigint', APPLY);

export async function applyCompletedSale(
  sql: SqlSession,
  fact: CompletedSaleFact,
  mode: { replay: true } | { replay: false; version: number },
): Promise<number | null> {
  const [row] = await apply(sql, [JSON.stringify(fact), mode.replay, mode.replay ? 0 : mode.version]);
  return row ? Number(row.n) : null;
}

const ITEM_SET = columnsOf(saleItems)
  .filter((c) => c !== 'id' && c !== 'created_at')
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ');

/**
 * The first step of replaying how a sale ended, into a PGlite that may have lost the sale or
 * hold an older cart: the sale as an open cart with exactly the fact's lines. Answers false,
 * changing nothing, when PGlite already holds the sale as completed or voided.
 */
export async function putBackCart(
  tx: SqlSession,
  sale: JsonRow,
  items: JsonRow[],
  endedAt: unknown,
  ended: Record<string, null>,
): Promise<boolean> {
  const [state] = await tx.query<{ status: string }>(`SELECT status FROM sales.sales WHERE id = $1`, [sale.id]);
  if (state && (state.status === 'COMPLETED' || state.status === 'VOIDED')) return false;
  await tx.query(`INSERT INTO sales.sales SELECT * FROM jsonb_populate_record(NULL::sales.sales, $1::jsonb) ON CONFLICT (id) DO NOTHING`, [
    JSON.stringify({ ...sale, status: 'OPEN', ...ended }),
  ]);
  await tx.query(`UPDATE sales.sale_items SET deleted_at = $3 WHERE sale_id = $1 AND deleted_at IS NULL AND NOT (id = ANY($2::uuid[]))`, [
    sale.id,
    items.map((i) => i.id),
    endedAt,
  ]);
  await tx.query(
    `INSERT INTO sales.sale_items SELECT * FROM jsonb_populate_recordset(NULL::sales.sale_items, $1::jsonb)
    ON CONFLICT (id) DO UPDATE SET ${ITEM_SET}`,
    [JSON.stringify(items)],
  );
  return true;
}

export async function replayCompletedSale(sql: SqlDatabase, fact: CompletedSaleFact): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const ended = { receipt_number: null, completed_at: null, business_date: null };
    if (!(await putBackCart(tx, fact.sale, fact.items, fact.sale.completed_at, ended))) return false;
    for (const charge of fact.charges ?? []) await upsertCardCharge(tx, charge);
    await upsertGiftCards(tx, fact.giftCards ?? [], false);
    return (await applyCompletedSale(tx, fact, { replay: true })) !== null;
  });
}

/** The fact of a sale PGlite holds as completed: to journal it when the journal missed it. */
export async function readCompletedSale(db: AppDb, saleId: string): Promise<CompletedSaleFact | null> {
  const [sale] = await db.select().from(sales).where(eq(sales.id, saleId));
  if (sale?.status !== 'COMPLETED') return null;
  const items = (await db.select().from(saleItems).where(eq(saleItems.saleId, saleId)))
    .filter((i) => !i.deletedAt)
    .sort((a, b) => a.lineNo - b.lineNo);
  const payments = await db.select().from(transactions).where(eq(transactions.saleId, saleId));
  const stock = await db
    .select()
    .from(stockMovements)
    .where(and(eq(stockMovements.referenceType, 'sale'), eq(stockMovements.referenceId, saleId)));
  const levels =
    stock.length === 0
      ? []
      : await db
          .select()
          .from(stockLevels)
          .where(
            and(
              eq(stockLevels.branchId, sale.branchId),
              inArray(
                stockLevels.variantId,
                stock.map((m) => m.variantId),
              ),
            ),
          );
  const paymentIds = payments.map((p) => p.id);
  const itemIds = items.filter((i) => i.giftCardCode !== null).map((i) => i.id);
  const balance = [
    ...(paymentIds.length === 0 ? [] : await db.select().from(balanceMovements).where(inArray(balanceMovements.transactionId, paymentIds))),
    ...(itemIds.length === 0 ? [] : await db.select().from(balanceMovements).where(inArray(balanceMovements.saleItemId, itemIds))),
  ];
  const cardIds = [...new Set(balance.map((m) => m.balanceId))];
  const cards =
    cardIds.length === 0
      ? []
      : await db
          .select()
          .from(balances)
          .where(and(inArray(balances.id, cardIds), eq(balances.kind, 'GIFT_CARD')));
  return {
    sale: toRow(sales, sale),
    items: items.map((i) => toRow(saleItems, i)),
    payments: payments.map((p) => toRow(transactions, p)),
    stock: stock.map((m) => ({ ...toRow(stockMovements, m), stock_level_id: levels.find((l) => l.variantId === m.variantId)!.id })),
    balance: balance.map((m) => toRow(balanceMovements, m)),
    // As before the sale: what it stands at now, less what this sale moved.
    giftCards: cards.map((c) =>
      toRow(balances, {
        ...c,
        amount: balance
          .filter((m) => m.balanceId === c.id)
          .reduce((a, m) => a.minus(m.amount), new Decimal(c.amount))
          .toFixed(4),
      }),
    ),
    charges: (await db.select().from(cardCharges).where(eq(cardCharges.saleId, saleId))).map((c) => toRow(cardCharges, c)),
  };
}
