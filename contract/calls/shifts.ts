// Shifts and the cash drawer: opening float, pay-ins and outs, X and Z reports, closing.
import { z } from 'zod';
import { cardReconciliation } from '../card-reconciliation.ts';
import { drawerKick } from '../drawer-kick.ts';
import { amount, call, decimal, idempotencyKey, reason, shaped, utcTime } from '../fields.ts';
import { xReport, zReport } from '../report-document.ts';

const denominationCount = z.record(
  shaped(9, /^\d{1,6}(\.\d{1,2})?$/, 'a denomination such as 500 or 0.50'),
  z.number().int().min(0).max(100_000),
);

/** What a cash movement or a drawer opening recorded; `repeated` when the same request came again. */
const recorded = { id: z.uuid(), repeated: z.boolean() };

export const shiftsCalls = {
  /** This register's open shift, or null. */
  'shifts.current': call('session', z.object({}).strict(), {
    output: z
      .object({
        id: z.uuid(),
        /** The branch's calendar day the shift opened on. */
        businessDate: z.iso.date(),
        openedAt: utcTime,
        /** Null under a blind close for whoever may not see the drawer's figures. */
        openingFloat: decimal.nullable(),
        openedBy: z.uuid(),
        /** The notes and coins the close counts, largest first as the store lists them. */
        denominations: z.array(decimal),
        blindClose: z.boolean(),
      })
      .strict()
      .nullable(),
  }),
  'shifts.open': call(
    'shifts.open',
    z
      .object({
        idempotencyKey,
        openingFloat: amount.optional(),
        /** The float counted by denomination ("500": 2 means two 500 notes). */
        count: denominationCount.optional(),
      })
      .strict()
      .refine((v) => v.openingFloat === undefined || v.count === undefined, 'give the float as an amount or as a count, not both'),
    {
      output: z.object(recorded).strict(),
    },
  ),
  'shifts.cashMovement': call(
    'shifts.cash_movement',
    z
      .object({
        kind: z.enum(['PAY_IN', 'PAY_OUT', 'DROP']),
        amount: amount.refine((v) => /[1-9]/.test(v), 'the amount must be more than zero'),
        reason,
        idempotencyKey,
      })
      .strict(),
    { output: z.object(recorded).strict() },
  ),
  'drawer.noSale': call('drawer.no_sale', z.object({ reason, idempotencyKey }).strict(), {
    /** `drawer` is null for a repeated request: the drawer opens once. */
    output: z.object({ ...recorded, drawer: drawerKick.nullable() }).strict(),
  }),
  'shifts.xReport': call('reports.shift', z.object({}).strict(), { output: xReport }),
  'shifts.printXReport': call('reports.shift', z.object({}).strict(), {
    output: z
      .object({
        receiptId: z.uuid(),
        printed: z.boolean(),
        /** Why it did not print: without a printer the report is kept unsent, and the screen shows it. */
        reason: z.literal('NO_PRINTER').nullable(),
        report: xReport,
      })
      .strict(),
  }),
  /**
   * This register's shift (its open one, else its last; or the one named) with its card-terminal
   * tenders set against each provider's own list of what its terminals took: per terminal the
   * payments matched, those missing at the provider and those unknown to us, with amounts. A
   * provider that could not be asked is said in words and its terminals are UNCHECKED. A
   * manager's: it shows the card amounts a blind count hides.
   */
  'shifts.reconcileCards': call('shifts.approve_variance', z.object({ shiftId: z.uuid().optional() }).strict(), {
    output: cardReconciliation,
  }),
  'shifts.close': call(
    'shifts.close',
    z
      .object({
        idempotencyKey,
        count: denominationCount.optional(),
        countedCash: amount.optional(),
      })
      .strict()
      .refine((v) => (v.count === undefined) !== (v.countedCash === undefined), 'count the drawer by denomination or enter the amount'),
    {
      output: z
        .object({
          id: z.uuid(),
          zNumber: z.number().int().min(1),
          expectedCash: decimal,
          countedCash: decimal,
          /** counted − expected: negative when the drawer was short. */
          variance: decimal,
          /** The manager who authorised a variance over the tolerance. */
          approvedBy: z.uuid().nullable(),
          report: zReport,
          /** Whether the Z report went to a printer: without one it is kept unsent, and the screen says so. */
          printed: z.boolean(),
        })
        .strict(),
    },
  ),
};
