// Shift calls: open with a float, pay-ins and pay-outs, no-sale opens, the X report, and the
// close with a blind count, variance, approval over tolerance and the numbered Z report.
import { Decimal } from 'decimal.js';
import { and, eq, inArray, sql as dsql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { cashMovements, cashRegisters, sales, shifts } from '#db/schema/sales.ts';
import { defineHandlers, type CallContext } from '#engine/call-context.ts';
import type { Approver } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { log } from '#engine/log/logger.ts';
import { requestFingerprint, requireSameRequest } from '#engine/request-fingerprint.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { findOpenShift, requireOpenShift, saleContext } from '../sales/sale-context.ts';
import { registerPrinter } from '../settings/register-printer.ts';
import { registerCodeOf } from '../terminal/register-code.ts';
import { businessDate } from './business-day.ts';
import { kickDrawer } from './cash-drawer.ts';
import { CountError, countLines, countTotal, overCashLimit, overTolerance, variance, type DenominationCount } from './cash-count.ts';
import type { ShiftReport, XReport, ZReport } from '#contract/report-document.ts';
import { shiftReport } from './shift-report.ts';
import { printXReport } from './shift-report-print.ts';
import { reconcileShiftCards } from './reconcile-cards.ts';
import { rememberRequest } from '#engine/recovery/record-log.ts';
import { CASH_MOVED, shiftFactKey, SHIFT_CLOSED, SHIFT_OPENED, type CashMovedFact, type ShiftFact } from './shift-facts.ts';

function counted(count: DenominationCount | undefined, amount: string | undefined, denominations: readonly string[]): string {
  if (count) {
    try {
      return countTotal(count, denominations);
    } catch (err) {
      if (err instanceof CountError) throw new EngineError('INVALID_INPUT', err.message, { field: 'count', reason: 'BAD_COUNT' });
      throw err;
    }
  }
  if (amount !== undefined) return new Decimal(amount).toFixed(4);
  throw new EngineError('INVALID_INPUT', 'count the drawer by denomination or enter the amount', {
    field: 'count',
    reason: 'COUNT_NEEDED',
  });
}

/** A blind close shows the manager's figures only to those who may approve a variance. */
function visibleReport(ctx: CallContext, report: ShiftReport, blind: boolean): XReport {
  const sees = !blind || ctx.session!.permissions.has('shifts.approve_variance');
  if (sees) return report;
  // Any money total would let the cashier work the expected cash out (the sales total less the
  // card tenders is the cash): counts stay, amounts go, except the taxes, which say nothing of
  // how the sales were paid.
  const cash = {
    sales: null,
    refunds: null,
    payIns: null,
    payOuts: null,
    drops: null,
    expected: null,
    noSaleOpens: report.cash.noSaleOpens,
    payInCount: report.cash.payInCount,
    payOutCount: report.cash.payOutCount,
    dropCount: report.cash.dropCount,
  };
  const tenders = report.tenders.map((t) => ({ ...t, amount: null, refunded: null }));
  const cards = report.cards?.map((c) => ({ ...c, amount: null, refunded: null }));
  const sales = { count: report.sales.count, subtotal: null, discounts: null, tax: null, total: null, rounding: null };
  return {
    ...report,
    openingFloat: null,
    sales,
    tenders,
    ...(cards ? { cards } : {}),
    returns: { count: report.returns.count, total: null },
    cash,
  };
}

export const shiftHandlers = defineHandlers({
  async 'shifts.current'(_input, ctx) {
    const sc = await saleContext(ctx);
    const shift = await findOpenShift(ctx.services.sql, sc.terminal.registerId);
    if (!shift) return null;
    // The float is part of what a blind count must not know.
    const blind = sc.settings.blindClose && !ctx.session!.permissions.has('shifts.approve_variance');
    return {
      id: shift.id,
      businessDate: shift.businessDate,
      openedAt: shift.openedAt.toISOString(),
      openingFloat: blind ? null : shift.openingFloat,
      openedBy: shift.openedBy,
      // What the close screen needs: the notes and coins to count, and whether the count is blind.
      denominations: sc.settings.denominations,
      blindClose: sc.settings.blindClose,
    };
  },

  async 'shifts.open'(input, ctx) {
    return ctx.services.writes(async () => {
      const sc = await saleContext(ctx);
      const { journal, sql } = ctx.services;
      const existing = await findOpenShift(sql, sc.terminal.registerId);
      const opened = existing && (journal.find(shiftFactKey(existing.id, 'opened'))?.payload as FingerprintedShift | undefined);
      if (existing && opened?.requestKey === input.idempotencyKey) {
        requireSameRequest(opened.requestFingerprint, requestFingerprint(input), 'shift opening');
        return { id: existing.id, repeated: true };
      }
      if (existing)
        throw new EngineError('CONFLICT', 'this register already has an open shift', {
          reason: 'SHIFT_ALREADY_OPEN',
          shiftId: existing.id,
        });
      const float = input.count ? counted(input.count, undefined, sc.settings.denominations) : (input.openingFloat ?? '0');
      const approver = await withinCashLimit(ctx, 'FLOAT', float, null);
      const now = ctx.services.now();
      const shift = {
        id: uuidv7(),
        businessId: sc.terminal.businessId,
        branchId: sc.terminal.branchId,
        registerId: sc.terminal.registerId,
        openedBy: sc.session.employeeId,
        closedBy: null,
        approvedBy: null,
        status: 'OPEN' as const,
        businessDate: businessDate(now, sc.settings.timezone),
        openedAt: now,
        closedAt: null,
        openingFloat: float,
        openingCount: input.count ?? null,
        expectedCash: null,
        countedCash: null,
        closingCount: null,
        variance: null,
        zNumber: null,
        report: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
      await ctx.services.db.transaction(async (tx) => {
        await tx.insert(shifts).values(shift);
        await rememberRequest(tx, shiftFactKey(shift.id, 'opened'), { key: input.idempotencyKey, fingerprint: requestFingerprint(input) });
        await recordSessionAudit(
          { ...ctx.services, db: tx },
          sc.session,
          {
            action: 'shifts.open',
            outcome: 'SUCCESS',
            entityType: 'shift',
            entityId: shift.id,
            details: { openingFloat: float },
          },
          approver,
        );
      });
      journal.append(SHIFT_OPENED, shiftFactKey(shift.id, 'opened'), {
        shift: toRow(shifts, shift),
        requestKey: input.idempotencyKey,
        requestFingerprint: requestFingerprint(input),
      } satisfies FingerprintedShift);
      return { id: shift.id, repeated: false };
    });
  },

  async 'shifts.cashMovement'(input, ctx) {
    return ctx.services.writes(() =>
      moveCash(ctx, input.kind, input.amount, input.reason, input.idempotencyKey, requestFingerprint(input)),
    );
  },

  async 'drawer.noSale'(input, ctx) {
    const moved = await ctx.services.writes(() =>
      moveCash(ctx, 'NO_SALE', '0', input.reason, input.idempotencyKey, requestFingerprint(input)),
    );
    // The opening is recorded (and audited) first: a drawer that opens must always be on record.
    // A repeated request does not spring the drawer a second time.
    if (moved.repeated) return { ...moved, drawer: null };
    const sc = await saleContext(ctx);
    const registerCode = await registerCodeOf(ctx.services, sc.terminal.registerId);
    const drawer = await kickDrawer(ctx.services, sc.settings, registerCode);
    // A printer that failed to open it is audited, as after a sale; a register with no printer
    // is not (the dialog said so beforehand, and the opening itself is on record either way).
    // The entry failing does not keep the cashier from hearing that the drawer stayed shut.
    if (drawer.reason === 'PRINTER_FAILED') {
      await recordSessionAudit(ctx.services, sc.session, {
        action: 'drawer.open',
        outcome: 'FAILURE',
        entityType: 'cash_movement',
        entityId: moved.id,
        details: { registerCode, reason: drawer.reason, message: drawer.message },
      }).catch((err: unknown) => log.warn({ err, movementId: moved.id }, 'drawer: the failed opening could not be audited'));
    }
    return { ...moved, drawer };
  },

  async 'shifts.printXReport'(_input, ctx) {
    const sc = await saleContext(ctx);
    const shift = await requireOpenShift(ctx.services.sql, sc.terminal.registerId);
    const report = visibleReport(ctx, await shiftReport(ctx.services.sql, shift.id), sc.settings.blindClose);
    const printed = await printXReport(ctx.services, sc.settings, {
      report,
      registerId: sc.terminal.registerId,
      employeeId: sc.session.employeeId,
    });
    // Without a printer the report is kept unsent; the screen shows it and says why it did not print.
    return { ...printed, reason: printed.printed ? null : ('NO_PRINTER' as const), report };
  },

  async 'shifts.xReport'(_input, ctx) {
    const sc = await saleContext(ctx);
    const shift = await requireOpenShift(ctx.services.sql, sc.terminal.registerId);
    return visibleReport(ctx, await shiftReport(ctx.services.sql, shift.id), sc.settings.blindClose);
  },

  'shifts.reconcileCards': (input, ctx) => reconcileShiftCards(ctx, input.shiftId),

  async 'shifts.close'(input, ctx) {
    return ctx.services.writes(async () => {
      const sc = await saleContext(ctx);
      const { sql, journal } = ctx.services;
      const [last] = await sql.query<{ id: string }>(
        `SELECT id FROM sales.shifts WHERE register_id = $1 AND status = 'CLOSED' ORDER BY z_number DESC LIMIT 1`,
        [sc.terminal.registerId],
      );
      const earlier = last && (journal.find(shiftFactKey(last.id, 'closed'))?.payload as FingerprintedShift | undefined);
      if (earlier?.requestKey === input.idempotencyKey) {
        requireSameRequest(earlier.requestFingerprint, requestFingerprint(input), 'shift close');
        return { ...closedAnswer(earlier.shift), printed: await hasPrinter(ctx, sc) };
      }
      const shift = await requireOpenShift(sql, sc.terminal.registerId);
      const unfinished = await sql.query<{ id: string; lines: number }>(
        `SELECT s.id, (SELECT count(*) FROM sales.sale_items i WHERE i.sale_id = s.id AND i.deleted_at IS NULL)::int AS lines
         FROM sales.sales s WHERE s.shift_id = $1 AND s.status = 'OPEN' AND s.deleted_at IS NULL`,
        [shift.id],
      );
      const inProgress = unfinished.find((u) => u.lines > 0);
      if (inProgress)
        throw new EngineError('CONFLICT', 'finish, park or cancel the sale in progress before closing the shift', {
          reason: 'SALE_IN_PROGRESS',
          saleId: inProgress.id,
        });
      const now = ctx.services.now();
      const countedCash = counted(input.count, input.countedCash, sc.settings.denominations);
      const report = await shiftReport(sql, shift.id);
      const difference = variance(countedCash, report.cash.expected);
      let approvedBy: string | null = null;
      if (overTolerance(difference, sc.settings.varianceTolerance)) {
        await recordSessionAudit(ctx.services, sc.session, {
          action: 'shifts.count',
          outcome: ctx.approver ? 'SUCCESS' : 'DENIED',
          entityType: 'shift',
          entityId: shift.id,
          details: { counted: countedCash, variance: difference, tolerance: sc.settings.varianceTolerance },
        });
        // A blind count must not learn the variance from the refusal and be counted again.
        const why = sc.settings.blindClose ? 'a count outside the tolerance' : `a variance of ${difference}`;
        approvedBy = (
          await ctx.approve('shifts.approve_variance', why, async () => true, sc.settings.blindClose ? {} : { amount: difference })
        ).employeeId;
      }
      for (const empty of unfinished) ctx.services.carts.forget(empty.id);
      // One transaction: a crash can neither use up a Z number nor close half a shift.
      const row = await ctx.services.db.transaction(async (tx) => {
        if (unfinished.length > 0)
          await tx
            .update(sales)
            .set({ deletedAt: now })
            .where(
              inArray(
                sales.id,
                unfinished.map((u) => u.id),
              ),
            );
        const [z] = await tx
          .update(cashRegisters)
          .set({ lastZNumber: dsql`${cashRegisters.lastZNumber} + 1`, version: dsql`${cashRegisters.version} + 1` })
          .where(eq(cashRegisters.id, sc.terminal.registerId))
          .returning({ n: cashRegisters.lastZNumber });
        const zNumber = Number(z!.n);
        const [closedRow] = await tx
          .update(shifts)
          .set({
            status: 'CLOSED',
            closedBy: sc.session.employeeId,
            approvedBy,
            closedAt: now,
            expectedCash: report.cash.expected,
            countedCash,
            closingCount: input.count ?? null,
            variance: difference,
            zNumber,
            version: dsql`${shifts.version} + 1`,
            report: {
              ...report,
              zNumber,
              closedAt: now.toISOString(),
              counted: countedCash,
              variance: difference,
              countedBy: input.count ? countLines(input.count, sc.settings.denominations) : null,
            } satisfies ZReport as Record<string, unknown>,
          })
          .where(and(eq(shifts.id, shift.id), eq(shifts.status, 'OPEN')))
          .returning();
        if (!closedRow) throw new EngineError('CONFLICT', 'the shift was closed meanwhile', { reason: 'SHIFT_CLOSED' });
        await rememberRequest(tx, shiftFactKey(shift.id, 'closed'), { key: input.idempotencyKey, fingerprint: requestFingerprint(input) });
        await recordSessionAudit(
          { ...ctx.services, db: tx },
          sc.session,
          {
            action: 'shifts.close',
            outcome: 'SUCCESS',
            entityType: 'shift',
            entityId: shift.id,
            details: { zNumber: closedRow.zNumber, expected: report.cash.expected, counted: countedCash, variance: difference },
          },
          ctx.approver,
        );
        return closedRow;
      });
      // The Z report prints from this fact (reactions/receipts.ts), once, even across a crash.
      journal.append(SHIFT_CLOSED, shiftFactKey(shift.id, 'closed'), {
        shift: toRow(shifts, row),
        requestKey: input.idempotencyKey,
        requestFingerprint: requestFingerprint(input),
      } satisfies FingerprintedShift);
      return { ...closedAnswer(toRow(shifts, row)), printed: await hasPrinter(ctx, sc) };
    });
  },
});

/** A shift fact as the call journals it: with the digest of the request, which a retry must match. */
type FingerprintedShift = ShiftFact & { requestFingerprint?: string };

function closedAnswer(shift: Record<string, unknown>) {
  return {
    id: shift.id as string,
    zNumber: Number(shift.z_number),
    expectedCash: shift.expected_cash as string,
    countedCash: shift.counted_cash as string,
    variance: shift.variance as string,
    approvedBy: (shift.approved_by as string | null) ?? null,
    report: shift.report as ZReport,
  };
}

/** Whether the Z report went to a printer: without one it is kept unsent, and the screen says so. */
async function hasPrinter(ctx: CallContext, sc: Awaited<ReturnType<typeof saleContext>>) {
  return registerPrinter(ctx.services.spool, sc.settings, await registerCodeOf(ctx.services, sc.terminal.registerId)) !== null;
}

/**
 * A pay-in, pay-out or opening float over the store's limit (shift.maxPayIn, shift.maxPayOut,
 * shift.maxOpeningFloat) needs a manager's PIN for that one call. Not a flat refusal: the cash
 * really moved (the supplier paid, the bank's change brought), and a movement the register
 * refused to record would only turn up later as a variance nobody can explain. The refusal and
 * the authorisation are both audited; the manager's name goes on the record.
 */
async function withinCashLimit(
  ctx: CallContext,
  kind: 'PAY_IN' | 'PAY_OUT' | 'DROP' | 'FLOAT',
  amount: string,
  shiftId: string | null,
): Promise<Approver | null> {
  const sc = await saleContext(ctx);
  const limit = overCashLimit(kind, amount, sc.settings.cashLimits);
  // A manager recording it themselves is the authority the limit asks for.
  if (limit === null || sc.session.permissions.has('shifts.approve_variance')) return ctx.approver;
  const reason = kind === 'FLOAT' ? 'FLOAT_LIMIT' : kind === 'PAY_IN' ? 'PAY_IN_LIMIT' : 'PAY_OUT_LIMIT';
  try {
    return await ctx.approve('shifts.approve_variance', reason, async () => true);
  } catch (err) {
    if (err instanceof EngineError && err.code === 'OVERRIDE_REQUIRED') {
      await recordSessionAudit(ctx.services, sc.session, {
        action: kind === 'FLOAT' ? 'shifts.open' : 'shifts.cash_movement',
        outcome: 'DENIED',
        entityType: shiftId ? 'shift' : 'cash_register',
        entityId: shiftId ?? sc.terminal.registerId,
        details: { kind, amount, limit, reason },
      });
      throw new EngineError('OVERRIDE_REQUIRED', `${err.message}: ${amount} is over the store's limit of ${limit}`, {
        ...err.params,
        amount,
        limit,
      });
    }
    throw err;
  }
}

/** The most cash a drawer's figures may reach: the largest amount a record holds, with room for the shift's totals. */
const MAX_DRAWER = new Decimal('9999999999999.9999');

async function moveCash(
  ctx: CallContext,
  kind: 'PAY_IN' | 'PAY_OUT' | 'DROP' | 'NO_SALE',
  amount: string,
  reason: string,
  idempotencyKey: string,
  fingerprint: string,
) {
  const sc = await saleContext(ctx);
  const { journal, sql } = ctx.services;
  const key = `cash:${idempotencyKey}`;
  const earlier = journal.find(key);
  if (earlier) {
    const fact = earlier.payload as CashMovedFact & { requestFingerprint?: string };
    requireSameRequest(fact.requestFingerprint, fingerprint, kind === 'NO_SALE' ? 'drawer opening' : 'cash movement');
    return { id: (fact.movement as { id: string }).id, repeated: true };
  }
  const shift = await requireOpenShift(sql, sc.terminal.registerId);
  if (kind !== 'NO_SALE') await requireCashFor(ctx, shift.id, kind, amount, sc.settings.blindClose);
  const approver = kind === 'NO_SALE' ? ctx.approver : await withinCashLimit(ctx, kind, amount, shift.id);
  const now = ctx.services.now();
  const movement = {
    id: uuidv7(),
    shiftId: shift.id,
    registerId: sc.terminal.registerId,
    employeeId: sc.session.employeeId,
    approvedBy: approver?.employeeId ?? null,
    kind,
    amount,
    currency: sc.settings.currency,
    reason,
    idempotencyKey: key,
    occurredAt: now,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  // The movement and its audit entry commit together; the journal then keeps the fact.
  await ctx.services.db.transaction(async (tx) => {
    await tx.insert(cashMovements).values(movement);
    await rememberRequest(tx, key, { fingerprint });
    await recordSessionAudit(
      { ...ctx.services, db: tx },
      sc.session,
      {
        action: kind === 'NO_SALE' ? 'drawer.no_sale' : 'shifts.cash_movement',
        outcome: 'SUCCESS',
        entityType: 'cash_movement',
        entityId: movement.id,
        details: { kind, amount, reason },
      },
      approver,
    );
  });
  journal.append(CASH_MOVED, key, { movement: toRow(cashMovements, movement), requestFingerprint: fingerprint } satisfies CashMovedFact & {
    requestFingerprint: string;
  });
  return { id: movement.id, repeated: false };
}

/**
 * Cash out of the drawer (a pay-out, a drop) cannot exceed what the drawer should hold, and cash
 * in cannot take its figures past what a record can hold. Under a blind close the refusal names
 * no amount, and it is audited, so probing the expected cash with refused pay-outs shows.
 */
async function requireCashFor(ctx: CallContext, shiftId: string, kind: 'PAY_IN' | 'PAY_OUT' | 'DROP', amount: string, blind: boolean) {
  const expected = new Decimal((await shiftReport(ctx.services.sql, shiftId)).cash.expected);
  const moved = new Decimal(amount);
  if (kind === 'PAY_IN' ? expected.plus(moved).lessThanOrEqualTo(MAX_DRAWER) : moved.lessThanOrEqualTo(expected)) return;
  const session = ctx.session!;
  const sees = !blind || session.permissions.has('shifts.approve_variance');
  await recordSessionAudit(
    ctx.services,
    session,
    {
      action: 'shifts.cash_movement',
      outcome: 'DENIED',
      entityType: 'shift',
      entityId: shiftId,
      details: { kind, amount, expected: expected.toFixed(4) },
    },
    ctx.approver,
  );
  if (kind === 'PAY_IN') {
    throw new EngineError('CONFLICT', 'that pay-in would take the drawer past the largest amount a register records', {
      reason: 'DRAWER_LIMIT',
    });
  }
  throw new EngineError(
    'CONFLICT',
    sees
      ? `the drawer should hold ${expected.toFixed(2)} only; count it, or record the cash that came in first`
      : 'the drawer should not hold that much; count it, or record the cash that came in first',
    { reason: 'NOT_ENOUGH_CASH', ...(sees ? { expected: expected.toFixed(4) } : {}) },
  );
}
