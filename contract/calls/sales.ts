// Selling: the cart, its lines and discounts, payment, receipts and returns. The browse,
// counter and history calls live in their own files and join here.
import { z } from 'zod';
import { amount, call, idempotencyKey, name, quantity, rate, reason, shaped, text } from '../fields.ts';
import { browseCalls } from './sales-browse.ts';
import { counterCalls } from './sales-counter.ts';
import { historyCalls } from './sales-history.ts';

const discount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate'), value: rate }).strict(),
  z.object({ kind: z.literal('amount'), value: amount }).strict(),
]);
const saleRef = { saleId: z.uuid() };
const lineRef = { saleId: z.uuid(), lineId: z.uuid() };
const tender = z.object({
  methodId: z.uuid(),
  /** What a non-cash tender pays. */
  amount: amount.optional(),
  /** What the customer handed over in cash. */
  tendered: amount.optional(),
  cardLast4: shaped(4, /^\d{4}$/, 'the last 4 digits of the card').optional(),
  cardBrand: text(30, { min: 1 }).optional(),
  approvalCode: shaped(12, /^[A-Za-z0-9]{1,12}$/, 'the approval code from the card terminal').optional(),
  reference: text(60, { min: 1 }).optional(),
  balanceCode: text(40, { min: 1 }).optional(),
}).strict();

/** A credit slip pays once per sale: the same code twice would spend it twice against one balance check. */
function oneTenderPerSlip(tenders: z.output<typeof tender>[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  tenders.forEach((t, i) => {
    if (t.balanceCode === undefined) return;
    if (seen.has(t.balanceCode)) {
      ctx.addIssue({ code: 'custom', path: [i, 'balanceCode'], message: 'that credit slip is already a tender of this payment; enter its whole amount once' });
    }
    seen.add(t.balanceCode);
  });
}

export const salesCalls = {
  'sales.current': call('sales.sell', z.object({}).strict()),
  'sales.get': call('sales.sell', z.object(saleRef).strict()),
  'sales.open': call('sales.sell', z.object({ idempotencyKey }).strict()),
  'sales.addItem': call('sales.sell', z.object({
    ...saleRef,
    /** As scanned or typed: a barcode, a scale label, a SKU. */
    code: text(200, { min: 1, trim: false, scanned: true }).optional(),
    variantId: z.uuid().optional(),
    quantity: quantity.optional(),
  }).strict().refine((v) => (v.code === undefined) !== (v.variantId === undefined), 'give either a code or a variantId')),
  'sales.search': call('sales.sell', z.object({
    text: text(100, { trim: false }),
    limit: z.number().int().min(1).max(100).optional(),
  }).strict()),
  ...browseCalls,
  ...counterCalls,
  'sales.setQuantity': call('sales.sell', z.object({ ...lineRef, quantity }).strict()),
  'sales.removeLine': call('sales.sell', z.object(lineRef).strict()),
  'sales.setLineDiscount': call('sales.discount', z.object({ ...lineRef, discount: discount.nullable() }).strict()),
  'sales.setSaleDiscount': call('sales.discount', z.object({ ...saleRef, discount: discount.nullable() }).strict()),
  'sales.overridePrice': call('sales.price_override', z.object({ ...lineRef, unitPrice: amount, reason }).strict()),
  'sales.park': call('sales.sell', z.object({ ...saleRef, label: name.optional() }).strict()),
  'sales.parked': call('sales.sell', z.object({}).strict()),
  'sales.recall': call('sales.sell', z.object(saleRef).strict()),
  'sales.void': call('sales.void', z.object({ ...saleRef, reason }).strict()),
  'sales.complete': call('sales.sell', z.object({ ...saleRef, tenders: z.array(tender).min(1).max(10).superRefine(oneTenderPerSlip) }).strict()),
  'sales.paymentMethods': call('sales.sell', z.object({}).strict()),
  /** What was printed for a sale (or laid out, when the register has no printer): the preview. */
  'sales.receipts': call('sales.sell', z.object(saleRef).strict()),
  'sales.reprint': call('sales.reprint', z.object({ ...saleRef, variant: z.enum(['copy', 'gift']).default('copy') }).strict()),
  ...historyCalls,

  'returns.lookup': call('sales.sell', z.object({ code: text(60, { min: 1, trim: false, scanned: true }) }).strict()),
  'returns.create': call('sales.return', z.object({
    saleId: z.uuid(),
    lines: z.array(z.object({ saleItemId: z.uuid(), quantity, restock: z.boolean().optional() }).strict()).min(1).max(500),
    refundMethodId: z.uuid(),
    reason,
    reference: text(60, { min: 1 }).optional(),
    idempotencyKey,
  }).strict()),
};
