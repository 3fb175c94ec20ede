// The counter's calls beside scanning: an open-price item rung up with its description, price
// and tax rate, and a store-credit slip's balance read before it is taken as a tender. Kept in
// the selling domain's own module and spread into the contract with one line.
import { z } from 'zod';
import { cartView } from '../cart-view.ts';
import { BALANCE_STATUSES } from '../payment-vocabulary.ts';
import { TAX_CODES } from '../tax-codes.ts';
import { amount, call, decimal, name, quantity, text, utcTime } from '../fields.ts';

export const counterCalls = {
  /** The tax rates this store has an open-price item for (the dialog's choices). */
  'sales.openPriceRates': call('sales.sell', z.object({}).strict(), {
    /** Highest rate first; `name` is the open-price item's ("Varios IVA 16 %"). */
    output: z.array(z.object({ taxCode: z.enum(TAX_CODES), taxRate: decimal, name: z.string() }).strict()),
  }),
  /** A line the cashier describes and prices: "Varios" at the rate chosen. */
  'sales.addOpenItem': call(
    'sales.sell',
    z
      .object({
        saleId: z.uuid(),
        description: name,
        unitPrice: amount,
        taxCode: z.enum(TAX_CODES),
        /** Whole pieces; one when not given. */
        quantity: quantity.optional(),
      })
      .strict(),
    { output: cartView },
  ),
  /**
   * A gift card sold (or topped up, when the card was sold before) for `amount`: a tax-exempt line
   * naming the card's code, which holds the line's total once the sale completes.
   */
  'sales.addGiftCard': call('sales.sell', z.object({ saleId: z.uuid(), code: text(40, { min: 1, scanned: true }), amount }).strict(), {
    output: cartView,
  }),
  /** What a gift card holds, as typed or scanned from it: central's word when it answers, else what this register last knew. */
  'sales.giftCard': call('sales.sell', z.object({ code: text(40, { min: 1, scanned: true }) }).strict(), {
    output: z
      .object({
        code: z.string(),
        amount: decimal,
        /** What may be spent now: the amount less what other registers are setting aside for sales they are completing. */
        available: decimal,
        currency: z.string(),
        status: z.enum(BALANCE_STATUSES),
        expiresAt: utcTime.nullable(),
        /** CENTRAL: asked just now; REGISTER: central could not be asked (or there is none), this register's last knowledge. */
        source: z.enum(['CENTRAL', 'REGISTER']),
      })
      .strict(),
  }),
  /** What a credit slip holds, as typed or scanned from it. */
  'sales.storeCredit': call('sales.sell', z.object({ code: text(40, { min: 1, scanned: true }) }).strict(), {
    output: z
      .object({
        code: z.string(),
        /** What is left on the slip. */
        amount: decimal,
        currency: z.string(),
        /** Only an ACTIVE slip pays. */
        status: z.enum(BALANCE_STATUSES),
        expiresAt: utcTime.nullable(),
      })
      .strict(),
  }),
};
