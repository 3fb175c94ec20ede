// Returns: a completed sale is found by its receipt barcode or number, some or all of its
// lines come back, money goes back on the tender the customer chooses, goods go back on the
// shelf. The sale itself is never touched: the return, its lines, the refund and the stock
// movements are new records, numbered in the register's own return series.
import { Decimal } from 'decimal.js';
import { and, eq, inArray } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { toRow, type JsonRow } from '#db/row-json.ts';
import { stockMovements } from '#db/schema/inventory.ts';
import { balanceMovements, balances, paymentMethods, refunds } from '#db/schema/payments.ts';
import { cashRegisters, returnItems, returns, saleItems, sales } from '#db/schema/sales.ts';
import type { SqlDatabase, SqlSession } from '#db/sql-session.ts';
import type { CallInput } from '#contract/calls.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requestFingerprint, requireSameRequest } from '#engine/request-fingerprint.ts';
import { rememberRequest } from '#engine/recovery/record-log.ts';
import { recordSessionAuditIn } from '../audit/audit-log.ts';
import { creditNoteFact, creditNoteOfReturn, invoiceToCredit } from '../invoicing/credit-note.ts';
import { INVOICE_REQUESTED, insertInvoiceRows, invoiceFactKey } from '../invoicing/invoice-facts.ts';
import { parseScannedCode } from '../catalog/scanned-code.ts';
import { giveBack, refundRecord, type RefundGiven, returnShares } from '../payments/card-refunds.ts';
import { returnRefundIntentKey } from '../payments/card-refund-facts.ts';
import { receiptCode } from './checkout.ts';
import { returnAmounts, ReturnError, type Returned } from './return-amounts.ts';
import { requireOpenShift, saleContext } from './sale-context.ts';
import { returnFactKey } from './fact-keys.ts';

export { returnFactKey } from './fact-keys.ts';

export const RETURN_RECORDED = 'return.recorded';

export type ReturnFact = {
  ret: JsonRow;
  items: JsonRow[];
  refund: JsonRow;
  /** The refunds beyond the first when the card money goes back over more than one card tender. */
  moreRefunds?: JsonRow[];
  stock: (JsonRow & { stock_level_id: string })[];
  /** A new credit slip when the refund goes to store credit. */
  balance: JsonRow | null;
  balanceMovement: JsonRow | null;
};

/** The return's fact as journaled when it was made, with the digest of the request (a retry must match it). */
type FingerprintedReturn = ReturnFact & { requestFingerprint?: string };

/** The sale a receipt code or number points at, with what is left to return of each line. */
export async function findReturnable(ctx: CallContext, code: string) {
  const sc = await saleContext(ctx);
  const { db } = ctx.services;
  const trimmed = code.trim();
  let registerId = sc.terminal.registerId;
  let number: number;
  const scanned = parseScannedCode(trimmed);
  if (scanned.ok && scanned.value.kind === 'receipt') {
    const [register] = await db
      .select({ id: cashRegisters.id })
      .from(cashRegisters)
      .where(and(eq(cashRegisters.businessId, sc.terminal.businessId), eq(cashRegisters.code, scanned.value.registerCode ?? '')));
    if (!register)
      throw new EngineError('NOT_FOUND', 'that receipt is from a register this store does not have', { what: 'register', code: trimmed });
    registerId = register.id;
    number = Number(scanned.value.number);
  } else if (/^\d{1,15}$/.test(trimmed)) {
    number = Number(trimmed);
  } else {
    throw new EngineError('INVALID_INPUT', 'scan the receipt barcode or type the receipt number', {
      field: 'code',
      reason: 'NOT_A_RECEIPT',
    });
  }
  const [sale] = await db
    .select()
    .from(sales)
    .where(and(eq(sales.registerId, registerId), eq(sales.receiptNumber, number), eq(sales.status, 'COMPLETED')));
  if (!sale) throw new EngineError('NOT_FOUND', `no sale with receipt ${trimmed}`, { what: 'receipt', code: trimmed });
  const items = (await db.select().from(saleItems).where(eq(saleItems.saleId, sale.id)))
    .filter((i) => !i.deletedAt)
    .sort((a, b) => a.lineNo - b.lineNo);
  const earlier = await returnedSoFar(
    ctx,
    items.map((i) => i.id),
  );
  const [register] = await db.select({ code: cashRegisters.code }).from(cashRegisters).where(eq(cashRegisters.id, sale.registerId));
  return {
    saleId: sale.id,
    receiptNumber: sale.receiptNumber!,
    receiptCode: receiptCode(register!.code, sale.receiptNumber!),
    completedAt: sale.completedAt!.toISOString(),
    total: sale.total,
    currency: sale.currency,
    lines: items.map((i) => ({
      saleItemId: i.id,
      lineNo: i.lineNo,
      name: i.name,
      sku: i.sku,
      unit: i.unit,
      isWeighed: i.isWeighed,
      quantity: i.quantity,
      total: i.total,
      returnable: new Decimal(i.quantity).minus((earlier.get(i.id) ?? []).reduce((a, r) => a.plus(r.quantity), new Decimal(0))).toFixed(4),
    })),
  };
}

async function returnedSoFar(ctx: CallContext, saleItemIds: string[]): Promise<Map<string, Returned[]>> {
  const rows =
    saleItemIds.length === 0 ? [] : await ctx.services.db.select().from(returnItems).where(inArray(returnItems.saleItemId, saleItemIds));
  const map = new Map<string, Returned[]>();
  for (const r of rows) map.set(r.saleItemId, [...(map.get(r.saleItemId) ?? []), r]);
  return map;
}

/**
 * What each returned line of a sale gives back, and the refund's total: the lines must be on the
 * receipt, once each, whole pieces, and no more than is left of them. Reads only; the approval
 * dialog shows this total before anything is written.
 */
export async function returnLines(ctx: CallContext, saleId: string, wanted: CallInput<'returns.create'>['lines'], minorUnits: number) {
  const items = await ctx.services.db.select().from(saleItems).where(eq(saleItems.saleId, saleId));
  const earlier = await returnedSoFar(
    ctx,
    items.map((i) => i.id),
  );
  const seen = new Set<string>();
  const lines = wanted.map((l, index) => {
    const item = items.find((i) => i.id === l.saleItemId && !i.deletedAt);
    if (!item)
      throw new EngineError('INVALID_INPUT', `line ${index + 1} is not on that receipt`, {
        field: `lines.${index}.saleItemId`,
        reason: 'NOT_ON_RECEIPT',
      });
    if (seen.has(item.id))
      throw new EngineError('INVALID_INPUT', `line ${index + 1} appears twice`, {
        field: `lines.${index}.saleItemId`,
        reason: 'DUPLICATE_LINE',
      });
    seen.add(item.id);
    // Its value is on the card, where the customer may already have spent it: a card is not taken back.
    if (item.giftCardCode !== null)
      throw new EngineError('INVALID_INPUT', `${item.name} is a gift card: its value stays on the card`, {
        field: `lines.${index}.saleItemId`,
        reason: 'GIFT_CARD_RETURN',
      });
    if (!item.isWeighed && !new Decimal(l.quantity).isInteger()) {
      throw new EngineError('INVALID_INPUT', `${item.name} is sold by the piece: return whole pieces`, {
        field: `lines.${index}.quantity`,
        reason: 'WHOLE_PIECES',
      });
    }
    let amounts: Returned;
    try {
      amounts = returnAmounts(item, earlier.get(item.id) ?? [], l.quantity, minorUnits);
    } catch (err) {
      if (err instanceof ReturnError)
        throw new EngineError('INVALID_INPUT', `${item.name}: ${err.message}`, { field: `lines.${index}.quantity`, reason: err.reason });
      throw err;
    }
    return { item, restock: l.restock ?? true, amounts };
  });
  const total = lines.reduce((a, l) => a.plus(l.amounts.total), new Decimal(0));
  const subtotal = lines.reduce((a, l) => a.plus(l.amounts.subtotal), new Decimal(0));
  return { lines, total, subtotal };
}

export async function createReturn(ctx: CallContext, input: CallInput<'returns.create'>) {
  const sc = await saleContext(ctx);
  const { db, sql, journal } = ctx.services;
  const fingerprint = requestFingerprint(input);
  const already = await db.select({ id: returns.id }).from(returns).where(eq(returns.idempotencyKey, input.idempotencyKey));
  if (already[0]) {
    const journaled = journal.find(returnFactKey(already[0].id))?.payload as FingerprintedReturn | undefined;
    requireSameRequest(journaled?.requestFingerprint, fingerprint, 'return');
    return answer(ctx, already[0].id);
  }
  const [sale] = await db
    .select()
    .from(sales)
    .where(and(eq(sales.id, input.saleId), eq(sales.businessId, sc.terminal.businessId)));
  if (sale?.status !== 'COMPLETED')
    throw new EngineError('NOT_FOUND', 'only a completed sale can be returned', { what: 'sale', id: input.saleId });
  const shift = await requireOpenShift(sql, sc.terminal.registerId);
  const [method] = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.id, input.refundMethodId), eq(paymentMethods.businessId, sc.terminal.businessId)));
  if (!method?.isActive)
    throw new EngineError('INVALID_INPUT', 'this store does not refund to that payment method', {
      field: 'refundMethodId',
      reason: 'UNKNOWN_METHOD',
    });

  const { lines, total, subtotal } = await returnLines(ctx, sale.id, input.lines, sc.settings.rules.minorUnits);
  if (total.isZero())
    throw new EngineError('INVALID_INPUT', 'nothing to refund on those lines', { field: 'lines', reason: 'NOTHING_TO_REFUND' });

  // To the card terminal: the return's share goes back through the provider before anything is
  // written, under a key derived from this request's own (the return's id is new at each try).
  const onTerminal = method.kind === 'CARD' && method.settings.integrated === true;
  const given = onTerminal
    ? await giveBack(ctx.services, sc.terminal, returnRefundIntentKey(input.idempotencyKey), fingerprint, () =>
        returnShares(ctx.services, sale.id, total.toFixed(4), input.idempotencyKey),
      )
    : [];

  const now = ctx.services.now();
  const returnId = uuidv7();
  const employeeId = sc.session.employeeId;
  const common = {
    businessId: sc.terminal.businessId,
    branchId: sc.terminal.branchId,
    registerId: sc.terminal.registerId,
    shiftId: shift.id,
  };
  const ret = {
    id: returnId,
    ...common,
    saleId: sale.id,
    employeeId,
    approvedBy: ctx.approver?.employeeId ?? null,
    returnNumber: 0,
    businessDate: shift.businessDate,
    currency: sale.currency,
    reason: input.reason,
    subtotal: subtotal.toFixed(4),
    taxTotal: total.minus(subtotal).toFixed(4),
    total: total.toFixed(4),
    idempotencyKey: input.idempotencyKey,
    occurredAt: now,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  let balance: JsonRow | null = null;
  let balanceId: string | null = null;
  if (method.kind === 'STORE_CREDIT') {
    balanceId = uuidv7();
    balance = toRow(balances, {
      id: balanceId,
      businessId: sc.terminal.businessId,
      holderUserId: null,
      kind: 'STORE_CREDIT',
      code: creditCode(),
      holderName: null,
      amount: '0',
      currency: sale.currency,
      status: 'ACTIVE',
      expiresAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
  }
  const refundId = uuidv7();
  const refundRow = (id: string, amount: string, idempotencyKey: string, card: RefundGiven | null) =>
    toRow(refunds, {
      id,
      ...common,
      saleId: sale.id,
      returnId,
      transactionId: card?.transactionId ?? null,
      cardChargeId: null,
      paymentMethodId: method.id,
      balanceId,
      employeeId,
      approvedBy: ctx.approver?.employeeId ?? null,
      status: 'CONFIRMED',
      amount,
      currency: sale.currency,
      reason: input.reason,
      ...(card ? refundRecord(card) : { provider: null, providerReference: input.reference ?? null, providerData: {} }),
      idempotencyKey,
      occurredAt: now,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
  // One record per card tender given back on, each naming its tender; otherwise one for the return.
  const [refund, ...moreRefunds] =
    given.length > 0
      ? given.map((g, i) => refundRow(i === 0 ? refundId : uuidv7(), g.amount, `${returnId}:refund${i === 0 ? '' : `:${i + 1}`}`, g))
      : [refundRow(refundId, total.toFixed(4), `${returnId}:refund`, null)];
  const fact: ReturnFact = {
    ret: toRow(returns, ret),
    items: lines.map((l) =>
      toRow(returnItems, {
        id: uuidv7(),
        returnId,
        saleItemId: l.item.id,
        quantity: l.amounts.quantity,
        subtotal: l.amounts.subtotal,
        taxAmount: l.amounts.taxAmount,
        total: l.amounts.total,
        restock: l.restock,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      }),
    ),
    refund: refund!,
    ...(moreRefunds.length > 0 ? { moreRefunds } : {}),
    stock: lines
      .filter((l) => l.restock)
      .map((l) => ({
        ...toRow(stockMovements, {
          id: uuidv7(),
          variantId: l.item.variantId,
          branchId: sc.terminal.branchId,
          employeeId,
          kind: 'RETURN',
          quantity: l.amounts.quantity,
          unitCost: null,
          reason: input.reason,
          referenceType: 'return',
          referenceId: returnId,
          idempotencyKey: `${returnId}:stock:${l.item.id}`,
          occurredAt: now,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        }),
        stock_level_id: uuidv7(),
      })),
    balance,
    balanceMovement: balanceId
      ? toRow(balanceMovements, {
          id: uuidv7(),
          balanceId,
          transactionId: null,
          refundId,
          employeeId,
          amount: total.toFixed(4),
          reason: 'return',
          idempotencyKey: `${returnId}:balance`,
          occurredAt: now,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        })
      : null,
  };
  // A sale its customer has an invoice of gets the credit note of what came back, written with the
  // return so it is never forgotten; the PAC stamps it later (after the invoice, if that waits too).
  const credited = await invoiceToCredit(sql, sale.id);
  const creditNote = credited
    ? await creditNoteFact(
        sql,
        credited,
        {
          returnId,
          saleId: sale.id,
          registerId: sc.terminal.registerId,
          lines: lines.map((l) => ({
            saleItemId: l.item.id,
            quantity: l.amounts.quantity,
            subtotal: l.amounts.subtotal,
            taxAmount: l.amounts.taxAmount,
          })),
          refund: { kind: method.kind, amount: total.toFixed(4) },
        },
        { businessId: sc.terminal.businessId, branchId: sc.terminal.branchId, by: employeeId, now },
      )
    : null;
  const number = await applyReturn(sql, fact, false, async (tx) => {
    await rememberRequest(tx, returnFactKey(returnId), { fingerprint });
    await recordSessionAuditIn(
      tx,
      ctx.services,
      sc.session,
      {
        action: 'sales.return',
        outcome: 'SUCCESS',
        entityType: 'return',
        entityId: returnId,
        details: { saleId: sale.id, total: ret.total, method: method.code, lines: lines.length },
      },
      ctx.approver,
    );
    if (creditNote) await insertInvoiceRows(tx, creditNote);
  });
  fact.ret.return_number = number!;
  // The drawer (for a refund in cash) and the return's receipt follow from this fact (reactions/).
  journal.append(RETURN_RECORDED, returnFactKey(returnId), { ...fact, requestFingerprint: fingerprint } satisfies FingerprintedReturn);
  // After the return's: a replay writes the return before the credit note that links to it.
  if (creditNote) journal.append(INVOICE_REQUESTED, invoiceFactKey(creditNote.invoice.id as string), creditNote);
  return answer(ctx, returnId);
}

const creditCode = () => `SF-${randomBytes(6).toString('hex').toUpperCase()}`;

async function answer(ctx: CallContext, returnId: string) {
  const [ret] = await ctx.services.db.select().from(returns).where(eq(returns.id, returnId));
  const [refund] = await ctx.services.db.select().from(refunds).where(eq(refunds.returnId, returnId));
  const credit = refund?.balanceId
    ? (await ctx.services.db.select().from(balances).where(eq(balances.id, refund.balanceId)))[0]
    : undefined;
  return {
    returnId,
    returnNumber: ret!.returnNumber,
    saleId: ret!.saleId,
    total: ret!.total,
    subtotal: ret!.subtotal,
    taxTotal: ret!.taxTotal,
    refundMethodId: refund!.paymentMethodId,
    storeCredit: credit ? { code: credit.code, amount: credit.amount } : null,
    creditNote: await creditNoteOfReturn(ctx.services.sql, returnId),
  };
}

/**
 * Writes a return fact; live takes the register's next return number, replay keeps the fact's.
 * `also` writes in the same transaction (the live return's audit entry).
 */
export async function applyReturn(
  sql: SqlDatabase,
  fact: ReturnFact,
  replay: boolean,
  also?: (tx: SqlSession) => Promise<unknown>,
): Promise<number | null> {
  return sql.transaction(async (tx) => {
    const registerId = fact.ret.register_id;
    const [counter] = await tx.query<{ n: number }>(
      replay
        ? `UPDATE sales.cash_registers SET last_return_number = GREATEST(last_return_number, $2) WHERE id = $1 RETURNING $2::bigint AS n`
        : `UPDATE sales.cash_registers SET last_return_number = last_return_number + 1, version = version + 1 WHERE id = $1 RETURNING last_return_number AS n`,
      replay ? [registerId, fact.ret.return_number] : [registerId],
    );
    const n = Number(counter!.n);
    const inserted = await tx.query(
      `INSERT INTO sales.returns SELECT * FROM jsonb_populate_record(NULL::sales.returns, $1::jsonb)
      ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [JSON.stringify({ ...fact.ret, return_number: n })],
    );
    if (inserted.length === 0) {
      if (replay) return null;
      // Live: a return with this key landed meanwhile; rolling back keeps the series gapless.
      throw new EngineError('CONFLICT', 'that return was already recorded', { reason: 'DUPLICATE_RETURN' });
    }
    const rows = (table: string, data: unknown, conflict = '(id)') =>
      tx.query(
        `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ON CONFLICT ${conflict} DO NOTHING`,
        [JSON.stringify(data)],
      );
    await rows('sales.return_items', fact.items);
    if (fact.balance) await rows('payments.balances', [fact.balance]);
    await rows('payments.refunds', [fact.refund, ...(fact.moreRefunds ?? [])], '(idempotency_key)');
    if (fact.balanceMovement) {
      await rows('payments.balance_movements', [fact.balanceMovement], '(idempotency_key)');
      await tx.query(`UPDATE payments.balances SET amount = amount + $2, version = version + 1 WHERE id = $1`, [
        fact.balanceMovement.balance_id,
        fact.balanceMovement.amount,
      ]);
    }
    for (const m of fact.stock) {
      await rows('inventory.stock_movements', [m], '(idempotency_key)');
      await tx.query(
        `INSERT INTO inventory.stock_levels (id, variant_id, branch_id, quantity) VALUES ($1, $2, $3, $4)
        ON CONFLICT (variant_id, branch_id) DO UPDATE SET quantity = inventory.stock_levels.quantity + EXCLUDED.quantity,
          version = inventory.stock_levels.version + 1`,
        [m.stock_level_id, m.variant_id, m.branch_id, m.quantity],
      );
    }
    if (also) await also(tx);
    return n;
  });
}

export const replayReturn = async (sql: SqlDatabase, fact: ReturnFact) => (await applyReturn(sql, fact, true)) !== null;

/** The fact of a return PGlite holds: to journal it when the journal missed it. */
export async function readReturn(db: import('#db/app-db.ts').AppDb, returnId: string): Promise<ReturnFact | null> {
  const [ret] = await db.select().from(returns).where(eq(returns.id, returnId));
  if (!ret) return null;
  const items = await db.select().from(returnItems).where(eq(returnItems.returnId, returnId));
  // The first is the one keyed `…:refund`; a card refund over several tenders adds `…:refund:2`, …
  const [refund, ...moreRefunds] = (await db.select().from(refunds).where(eq(refunds.returnId, returnId))).sort(
    (a, b) => a.idempotencyKey.length - b.idempotencyKey.length || a.idempotencyKey.localeCompare(b.idempotencyKey),
  );
  const stock = await db
    .select()
    .from(stockMovements)
    .where(and(eq(stockMovements.referenceType, 'return'), eq(stockMovements.referenceId, returnId)));
  const [movement] = refund ? await db.select().from(balanceMovements).where(eq(balanceMovements.refundId, refund.id)) : [];
  const [balance] = movement
    ? await db
        .select()
        .from(balances)
        .where(and(eq(balances.id, movement.balanceId), eq(balances.kind, 'STORE_CREDIT')))
    : [];
  return {
    ret: toRow(returns, ret),
    items: items.map((i) => toRow(returnItems, i)),
    refund: toRow(refunds, refund!),
    ...(moreRefunds.length > 0 ? { moreRefunds: moreRefunds.map((r) => toRow(refunds, r)) } : {}),
    stock: stock.map((m) => ({ ...toRow(stockMovements, m), stock_level_id: uuidv7() })),
    balance: balance ? toRow(balances, { ...balance, amount: '0', version: 1 }) : null,
    balanceMovement: movement ? toRow(balanceMovements, movement) : null,
  };
}
