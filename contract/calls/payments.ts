// Integrated card terminals: a charge put on the register's terminal through its provider's API,
// followed until the card is approved or declined, cancelled while not taken; and the terminals
// an account has, for the back office to pair one with this register. An approved charge pays
// the sale as a tender ({ methodId, chargeId } in sales.complete); a charge is never made twice
// for one request, whatever is retried.
import { z } from 'zod';
import { amount, call, decimal, idempotencyKey, utcTime } from '../fields.ts';
import { CARD_CHARGE_STATUSES, CARD_PROVIDERS } from '../payment-vocabulary.ts';

/** A charge as the pay screen shows it. */
export const cardCharge = z
  .object({
    id: z.uuid(),
    saleId: z.uuid(),
    methodId: z.uuid(),
    provider: z.enum(CARD_PROVIDERS),
    terminalId: z.string(),
    amount: decimal,
    status: z.enum(CARD_CHARGE_STATUSES),
    /** The provider's own word for the state (status_detail), for a manager. */
    statusDetail: z.string().nullable(),
    cardLast4: z.string().nullable(),
    cardBrand: z.string().nullable(),
    approvalCode: z.string().nullable(),
    /** Approved and already a tender of the completed sale. */
    spent: z.boolean(),
    /**
     * Why the provider could not be asked just now (UNAVAILABLE, TIMEOUT, AUTH…): the charge stands
     * as last known and is asked about again; null when the last question was answered.
     */
    unreachable: z.string().nullable(),
    requestedAt: utcTime,
  })
  .strict();

export type CardChargeView = z.output<typeof cardCharge>;

const chargeRef = { chargeId: z.uuid() };

export const paymentsCalls = {
  /**
   * Puts `amount` of the open sale on this register's card terminal. Written before the provider
   * is asked, so a crash or a lost answer is settled by asking again with the same key: the same
   * key answers the same charge, never a second one. Refused with the reason for a method that is
   * not an integrated card, a register with no terminal, an amount over what is due, or a charge
   * of the sale still open at the terminal.
   */
  'payments.startCharge': call('sales.sell', z.object({ saleId: z.uuid(), methodId: z.uuid(), amount, idempotencyKey }).strict(), {
    output: cardCharge,
  }),
  /** The charge as the provider has it now (asked while it is open; a final one is answered as stored). */
  'payments.charge': call('sales.sell', z.object(chargeRef).strict(), { output: cardCharge }),
  /** The sale's charges, newest first: what the pay screen shows and what an approved one still pays. */
  'payments.chargesOfSale': call('sales.sell', z.object({ saleId: z.uuid() }).strict(), { output: z.array(cardCharge) }),
  /**
   * Takes a charge not yet paid off the terminal. One the customer paid meanwhile is answered
   * APPROVED (it then pays the sale); one already final is answered as it is.
   */
  'payments.cancelCharge': call('sales.sell', z.object(chargeRef).strict(), { output: cardCharge }),
};
