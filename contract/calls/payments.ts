// Integrated card terminals: a charge put on the register's terminal through its provider's API,
// followed until the card is approved or declined, cancelled while not taken; and the terminals
// an account has, for the back office to pair one with this register. An approved charge pays
// the sale as a tender ({ methodId, chargeId } in sales.complete); a charge is never made twice
// for one request, whatever is retried.
import { z } from 'zod';
import { amount, call, decimal, idempotencyKey, utcTime } from '../fields.ts';
import { cardTerminal } from '../device-settings.ts';
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

/**
 * A provider's token or webhook secret as pasted: printable ASCII with no spaces (Mercado Pago's
 * APP_USR-…, Clip's api_key:secret_key or its base64), what security/payment-secrets.ts keeps.
 * Refused without being quoted: a refusal's words never carry what was typed. The form trims a paste.
 */
export const providerSecret = z
  .string()
  .min(8, 'at least 8 characters')
  .max(500, 'at most 500 characters')
  .regex(/^[\x21-\x7e]+$/, 'letters, digits and signs only, no spaces');

/** What this register has installed for a provider, nothing secret: the token's last four characters tell which. */
export const providerCredentials = z
  .object({
    provider: z.enum(CARD_PROVIDERS),
    installed: z.boolean(),
    /** The token's last four characters; null when none is installed. */
    tokenEnds: z.string().nullable(),
    /** A webhook secret is installed with it. */
    webhookSecret: z.boolean(),
  })
  .strict();

/** A terminal of the provider's account, as the back office offers it for pairing. */
export const providerTerminal = z
  .object({
    id: z.string(),
    /** The name the account gave it, or its serial. */
    label: z.string().nullable(),
    /** In the provider's integrated (PDV) mode: only such a terminal takes charges from the register. */
    integrated: z.boolean(),
    /** The one this register is paired with now. */
    paired: z.boolean(),
  })
  .strict();

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

  /**
   * Installs the provider's token (and webhook secret) on this register, as `pos payments set-token`
   * does: a file of the data directory, never the database, a fact or a log. The token is tried
   * first by listing the account's terminals (at `baseUrl`, the provider's own when not given): one
   * the provider refuses, or a provider that does not answer, installs nothing. A webhook secret not
   * given keeps the one installed. Answers what is installed, never the token, and the terminals.
   * Administrative: a token charges and refunds cards in the owner's name (step-up).
   */
  'payments.setProviderToken': call(
    'settings.manage',
    z
      .object({
        provider: z.enum(CARD_PROVIDERS),
        token: providerSecret,
        webhookSecret: providerSecret.optional(),
        baseUrl: cardTerminal.shape.baseUrl,
      })
      .strict(),
    { output: providerCredentials.extend({ terminals: z.array(providerTerminal) }).strict() },
  ),
  /**
   * The account's terminals, asked of the provider with the token installed here (at `baseUrl`, the
   * provider's own when not given). No token, a token refused or a provider that does not answer
   * is refused in words. Step-up: the installed token goes to the address given.
   */
  'payments.providerTerminals': call(
    'settings.manage',
    z.object({ provider: z.enum(CARD_PROVIDERS), baseUrl: cardTerminal.shape.baseUrl }).strict(),
    { output: z.object({ provider: z.enum(CARD_PROVIDERS), terminals: z.array(providerTerminal) }).strict() },
  ),
  /** Which providers have credentials on this register (nothing secret) and the terminal it is paired with. */
  'payments.providerStatus': call('devices.manage', z.object({}).strict(), {
    output: z
      .object({
        registerCode: z.string(),
        cardTerminal: cardTerminal.nullable(),
        providers: z.array(providerCredentials),
      })
      .strict(),
  }),
};
