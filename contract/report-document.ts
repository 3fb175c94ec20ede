// A shift's report as the X (any time) and Z (at the close) report print it and the screens show
// it: sales, tenders, taxes, voids, returns, cash movements and what the drawer should hold.
// Under a blind close the person asking may not see the money figures that would let them work
// the expected cash out: those come as null (see printableReport).
import { z } from 'zod';
import { decimal, utcTime } from './fields.ts';
import { CARD_PROVIDERS, TENDER_KINDS } from './payment-vocabulary.ts';
import { TAX_CODES } from './tax-codes.ts';

const count = z.number().int().min(0);

/**
 * The report's shape with `money` for the figures a blind count hides: the full report takes
 * decimals, the printable one decimals or null. Taxes, voids and parked sales never say how the
 * sales were paid, so they always show.
 */
const reportOf = <M extends z.ZodType>(money: M) =>
  z.object({
    shiftId: z.uuid(),
    registerId: z.uuid(),
    /** The branch's calendar day the shift opened on, YYYY-MM-DD. */
    businessDate: z.iso.date(),
    openedAt: utcTime,
    openingFloat: money,
    sales: z.object({ count, subtotal: money, discounts: money, tax: money, total: money, rounding: money }).strict(),
    /** Per payment method that took or refunded money in the shift. */
    tenders: z.array(z.object({ method: z.string(), kind: z.enum(TENDER_KINDS), count, amount: money, refunded: money }).strict()),
    /**
     * The integrated card terminals' share of the card tenders, per provider and terminal: the
     * charges they took in the shift and what was refunded of them in it. Absent from a Z report
     * kept before terminals were totalled.
     */
    cards: z
      .array(z.object({ provider: z.enum(CARD_PROVIDERS), terminalId: z.string(), count, amount: money, refunded: money }).strict())
      .optional(),
    taxes: z.array(z.object({ taxCode: z.enum(TAX_CODES), rate: decimal, base: decimal, amount: decimal }).strict()),
    voids: z.object({ count, total: decimal }).strict(),
    returns: z.object({ count, total: money }).strict(),
    cash: z
      .object({
        sales: money,
        refunds: money,
        payIns: money,
        payOuts: money,
        drops: money,
        /** Times the drawer was opened without a sale. */
        noSaleOpens: count,
        /** float + cash sales − cash refunds + pay-ins − pay-outs − drops. */
        expected: money,
        payInCount: count,
        payOutCount: count,
        dropCount: count,
      })
      .strict(),
    /** The receipt numbers this shift's completed sales took, first and last (null with no sale). */
    receipts: z.object({ first: z.number().int().nullable(), last: z.number().int().nullable() }).strict(),
    /**
     * Sales on hold at this register, whichever shift parked them: they stay recallable after the
     * close, and the Z says how many there are and since when so they do not pile up unseen.
     */
    parked: z.object({ count, total: decimal, oldestAt: utcTime.nullable() }).strict(),
  });

/** What the close adds: the Z number, when, the count and how far it was from the expected cash. */
const closing = {
  zNumber: z.number().int().min(1),
  closedAt: utcTime,
  counted: decimal,
  /** counted − expected: negative when the drawer was short. */
  variance: decimal,
  /** The closing count note by note (null when the amount was typed as one figure). */
  countedBy: z.array(z.object({ denomination: decimal, pieces: count, amount: decimal }).strict()).nullable(),
};

/** The report read from the shift's records, every figure shown. */
export const shiftReport = reportOf(decimal).strict();

/** The Z report as kept with the closed shift: the report at the close, the count and the Z number. */
export const zReport = reportOf(decimal).extend(closing).strict();

/** An X report as the person asking may see it: under a blind close the cash figures are null. */
export const xReport = reportOf(decimal.nullable()).strict();

/** What prints as a shift report: an X report, or the Z report once the count is in. */
export const printableReport = xReport.extend(z.object(closing).partial().shape).strict();

export type ShiftReport = z.output<typeof shiftReport>;
export type ZReport = z.output<typeof zReport>;
export type XReport = z.output<typeof xReport>;
export type PrintableReport = z.output<typeof printableReport>;
