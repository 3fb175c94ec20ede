// Selling: the cart, its lines and discounts, payment, receipts and returns. The browse,
// counter and history calls live in their own files and join here.
import { z } from 'zod';
import { INVOICE_STATUSES } from '../billing-vocabulary.ts';
import { cartView } from '../cart-view.ts';
import { catalogHit } from '../catalog-item.ts';
import { amount, call, decimal, email, idempotencyKey, name, quantity, rate, reason, shaped, text, utcTime } from '../fields.ts';
import { TENDER_KINDS } from '../payment-vocabulary.ts';
import { receiptDocument } from '../receipt-document.ts';
import { receiptSummary } from '../receipt-summary.ts';
import { PRINT_STATUSES, RECEIPT_KINDS } from '../sales-vocabulary.ts';
import { browseCalls } from './sales-browse.ts';
import { counterCalls } from './sales-counter.ts';
import { historyCalls } from './sales-history.ts';

const discount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate'), value: rate }).strict(),
  z.object({ kind: z.literal('amount'), value: amount }).strict(),
]);
const saleRef = { saleId: z.uuid() };
const lineRef = { saleId: z.uuid(), lineId: z.uuid() };
const tender = z
  .object({
    methodId: z.uuid(),
    /** What a non-cash tender pays. */
    amount: amount.optional(),
    /** What the customer handed over in cash. */
    tendered: amount.optional(),
    cardLast4: shaped(4, /^\d{4}$/, 'the last 4 digits of the card').optional(),
    cardBrand: text(30, { min: 1 }).optional(),
    approvalCode: shaped(12, /^[A-Za-z0-9]{1,12}$/, 'the approval code from the card terminal').optional(),
    reference: text(60, { min: 1 }).optional(),
    /** The credit slip's or gift card's code (store credit and gift-card tenders). */
    balanceCode: text(40, { min: 1, scanned: true }).optional(),
    /** An approved charge of the register's card terminal (payments.startCharge): it pays its own amount. */
    chargeId: z.uuid().optional(),
  })
  .strict();

/** A credit slip pays once per sale: the same code twice would spend it twice against one balance check. */
function oneTenderPerSlip(tenders: z.output<typeof tender>[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  tenders.forEach((t, i) => {
    if (t.balanceCode === undefined) return;
    if (seen.has(t.balanceCode)) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'balanceCode'],
        message: 'that credit slip is already a tender of this payment; enter its whole amount once',
      });
    }
    seen.add(t.balanceCode);
  });
}

/** A sale on hold at this register, as the parked list shows it. */
export const parkedSale = z
  .object({
    id: z.uuid(),
    parkLabel: z.string().nullable(),
    total: decimal,
    openedAt: utcTime,
    /** When it was put on hold: the last change to a parked sale is its parking. */
    parkedAt: utcTime,
    employeeId: z.uuid(),
    employeeName: z.string(),
    /** Lines in the sale, and the first few names for the cashier to recognise it. */
    lines: z.number().int().min(0),
    names: z.array(z.string()),
    /** Parked during a shift that has since closed. */
    earlierShift: z.boolean(),
  })
  .strict();

export type ParkedSale = z.output<typeof parkedSale>;

const paymentMethod = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(TENDER_KINDS),
    /** Paying with it springs the cash drawer (cash does). */
    opensDrawer: z.boolean(),
    /** The register's integrated card terminal (payments.startCharge), not a card typed in by hand. */
    integrated: z.boolean(),
  })
  .strict();

/** One printout of a sale as the print log keeps it: the original (copy 0), copies and gift receipts. */
const storedReceipt = z
  .object({
    id: z.uuid(),
    kind: z.enum(RECEIPT_KINDS),
    copyNumber: z.number().int().min(0),
    status: z.enum(PRINT_STATUSES),
    /** Null when the register had no printer (UNSENT). */
    printerUri: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: utcTime,
    printedAt: utcTime.nullable(),
    document: receiptDocument,
  })
  .strict();

/** A completed sale found by its receipt, with what is left to return of each line. */
const returnableSale = z
  .object({
    saleId: z.uuid(),
    receiptNumber: z.number().int().min(1),
    receiptCode: z.string(),
    completedAt: utcTime,
    total: decimal,
    currency: z.string(),
    lines: z.array(
      z
        .object({
          saleItemId: z.uuid(),
          lineNo: z.number().int(),
          name: z.string(),
          sku: z.string(),
          unit: z.string(),
          isWeighed: z.boolean(),
          /** As sold. */
          quantity: decimal,
          total: decimal,
          /** What earlier returns left of the line. */
          returnable: decimal,
        })
        .strict(),
    ),
  })
  .strict();

const recordedReturn = z
  .object({
    returnId: z.uuid(),
    /** In the register's own return series. */
    returnNumber: z.number().int().min(1),
    saleId: z.uuid(),
    total: decimal,
    subtotal: decimal,
    taxTotal: decimal,
    refundMethodId: z.uuid(),
    /** The credit slip the refund went to, when it went to store credit: its code is printed as a barcode. */
    storeCredit: z.object({ code: z.string(), amount: decimal }).strict().nullable(),
    /**
     * The credit note (CFDI de egreso) written with the return of a sale its customer has an
     * invoice of, as it stands now (PENDING until the PAC stamps it); null when none was written.
     */
    creditNote: z
      .object({ id: z.uuid(), series: z.string(), folio: z.number().int().positive(), status: z.enum(INVOICE_STATUSES) })
      .strict()
      .nullable(),
  })
  .strict();

export const salesCalls = {
  /** This register's sale in progress, or null. */
  'sales.current': call('sales.sell', z.object({}).strict(), { output: cartView.nullable() }),
  'sales.get': call('sales.sell', z.object(saleRef).strict(), { output: cartView }),
  'sales.open': call('sales.sell', z.object({ idempotencyKey }).strict(), { output: cartView }),
  'sales.addItem': call(
    'sales.sell',
    z
      .object({
        ...saleRef,
        /** As scanned or typed: a barcode, a scale label, a SKU. */
        code: text(200, { min: 1, trim: false, scanned: true }).optional(),
        variantId: z.uuid().optional(),
        quantity: quantity.optional(),
      })
      .strict()
      .refine((v) => (v.code === undefined) !== (v.variantId === undefined), 'give either a code or a variantId'),
    { output: cartView },
  ),
  'sales.search': call(
    'sales.sell',
    z
      .object({
        text: text(100, { trim: false }),
        limit: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
    { output: z.array(catalogHit) },
  ),
  ...browseCalls,
  ...counterCalls,
  'sales.setQuantity': call('sales.sell', z.object({ ...lineRef, quantity }).strict(), { output: cartView }),
  'sales.removeLine': call('sales.sell', z.object(lineRef).strict(), { output: cartView }),
  'sales.setLineDiscount': call('sales.discount', z.object({ ...lineRef, discount: discount.nullable() }).strict(), { output: cartView }),
  'sales.setSaleDiscount': call('sales.discount', z.object({ ...saleRef, discount: discount.nullable() }).strict(), { output: cartView }),
  'sales.overridePrice': call('sales.price_override', z.object({ ...lineRef, unitPrice: amount, reason }).strict(), { output: cartView }),
  'sales.park': call('sales.sell', z.object({ ...saleRef, label: name.optional() }).strict(), { output: cartView }),
  /** This register's sales on hold, oldest first, whichever shift parked them. */
  'sales.parked': call('sales.sell', z.object({}).strict(), { output: z.array(parkedSale) }),
  'sales.recall': call('sales.sell', z.object(saleRef).strict(), { output: cartView }),
  'sales.void': call('sales.void', z.object({ ...saleRef, reason }).strict(), {
    output: z.object({ saleId: z.uuid(), status: z.literal('VOIDED') }).strict(),
  }),
  'sales.complete': call(
    'sales.sell',
    z
      .object({
        ...saleRef,
        tenders: z.array(tender).min(1).max(10).superRefine(oneTenderPerSlip),
        /** The customer's address for an e-mailed receipt, typed on the pay screen: central sends it. */
        email: email.optional(),
      })
      .strict(),
    {
      output: receiptSummary,
    },
  ),
  /**
   * E-mails a completed sale's receipt: journaled here, carried by sync, sent by central. The same
   * address twice for one sale is one e-mail (`queued` false the second time).
   */
  'sales.emailReceipt': call('sales.sell', z.object({ ...saleRef, email }).strict(), {
    output: z.object({ requestId: z.uuid(), queued: z.boolean() }).strict(),
  }),
  /** The store's active payment methods, in its order; the card terminal's only where this register has one paired. */
  'sales.paymentMethods': call('sales.sell', z.object({}).strict(), { output: z.array(paymentMethod) }),
  /** What was printed for a sale (or laid out, when the register has no printer): the preview. */
  'sales.receipts': call('sales.sell', z.object(saleRef).strict(), { output: z.array(storedReceipt) }),
  'sales.reprint': call('sales.reprint', z.object({ ...saleRef, variant: z.enum(['copy', 'gift']).default('copy') }).strict(), {
    output: z
      .object({
        receiptId: z.uuid(),
        copyNumber: z.number().int().min(1),
        /** False when the register has no printer: the copy is kept unsent, and the screen shows it. */
        printed: z.boolean(),
        document: receiptDocument,
      })
      .strict(),
  }),
  ...historyCalls,

  'returns.lookup': call('sales.sell', z.object({ code: text(60, { min: 1, trim: false, scanned: true }) }).strict(), {
    output: returnableSale,
  }),
  'returns.create': call(
    'sales.return',
    z
      .object({
        saleId: z.uuid(),
        lines: z
          .array(z.object({ saleItemId: z.uuid(), quantity, restock: z.boolean().optional() }).strict())
          .min(1)
          .max(500),
        refundMethodId: z.uuid(),
        reason,
        reference: text(60, { min: 1 }).optional(),
        idempotencyKey,
      })
      .strict(),
    { output: recordedReturn },
  ),
};
