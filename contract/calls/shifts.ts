// Shifts and the cash drawer: opening float, pay-ins and outs, X and Z reports, closing.
import { z } from 'zod';
import { amount, call, idempotencyKey, reason, shaped } from '../fields.ts';

const denominationCount = z.record(shaped(9, /^\d{1,6}(\.\d{1,2})?$/, 'a denomination such as 500 or 0.50'),
  z.number().int().min(0).max(100_000));

export const shiftsCalls = {
  'shifts.current': call('session', z.object({}).strict()),
  'shifts.open': call('shifts.open', z.object({
    idempotencyKey,
    openingFloat: amount.optional(),
    /** The float counted by denomination ("500": 2 means two 500 notes). */
    count: denominationCount.optional(),
  }).strict().refine((v) => v.openingFloat === undefined || v.count === undefined, 'give the float as an amount or as a count, not both')),
  'shifts.cashMovement': call('shifts.cash_movement', z.object({
    kind: z.enum(['PAY_IN', 'PAY_OUT', 'DROP']),
    amount: amount.refine((v) => /[1-9]/.test(v), 'the amount must be more than zero'),
    reason,
    idempotencyKey,
  }).strict()),
  'drawer.noSale': call('drawer.no_sale', z.object({ reason, idempotencyKey }).strict()),
  'shifts.xReport': call('reports.shift', z.object({}).strict()),
  'shifts.printXReport': call('reports.shift', z.object({}).strict()),
  'shifts.close': call('shifts.close', z.object({
    idempotencyKey,
    count: denominationCount.optional(),
    countedCash: amount.optional(),
  }).strict().refine((v) => (v.count === undefined) !== (v.countedCash === undefined), 'count the drawer by denomination or enter the amount')),
};
