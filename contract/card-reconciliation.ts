// A shift's card-terminal tenders set against what each provider says its terminals took: per
// terminal, the payments both sides have (and whether the amounts agree), the ones only we have
// (missing at the provider) and the ones only the provider has (unknown to us). A provider that
// could not be asked says so in words, and its terminals stay UNCHECKED: never half a list
// presented as the whole.
import { z } from 'zod';
import { decimal, utcTime } from './fields.ts';
import { CARD_PROVIDERS } from './payment-vocabulary.ts';

const count = z.number().int().min(0);
const total = z.object({ count, amount: decimal }).strict();

/** One payment as each side has it; amounts net of what was refunded of it, two places. */
export const reconciledPayment = z
  .object({
    /** The provider's id of the payment (the tender's paymentId). */
    paymentId: z.string(),
    /** The provider's charge (order, intent) when known. */
    reference: z.string().nullable(),
    /** Our sale it paid, when it is one of our tenders. */
    saleId: z.uuid().nullable(),
    /** Ours: an approved charge of this register that never became a tender (the sale was not completed). */
    chargeId: z.uuid().nullable(),
    ours: decimal.nullable(),
    theirs: decimal.nullable(),
    /** When the provider took it, if the provider listed it. */
    at: utcTime.nullable(),
  })
  .strict();

export const terminalReconciliation = z
  .object({
    terminalId: z.string(),
    /** BALANCED: every payment on both sides, same amounts; DIFFERENT: not; UNCHECKED: the provider could not be asked. */
    status: z.enum(['BALANCED', 'DIFFERENT', 'UNCHECKED']),
    ours: total,
    /** Null when the provider could not be asked. */
    theirs: total.nullable(),
    matched: z.array(reconciledPayment),
    /** On both sides, for different amounts. */
    differing: z.array(reconciledPayment),
    missingAtProvider: z.array(reconciledPayment),
    unknownToUs: z.array(reconciledPayment),
  })
  .strict();

export const providerReconciliation = z
  .object({
    provider: z.enum(CARD_PROVIDERS),
    reachable: z.boolean(),
    /** Why not: the provider's failure (UNAVAILABLE, TIMEOUT, AUTH…) or NO_CREDENTIALS on this register. */
    failure: z.string().nullable(),
    /** In words, for the manager: what failed and what to do. */
    message: z.string().nullable(),
    terminals: z.array(terminalReconciliation),
    /** Payments of the account in the span whose terminal the provider did not name and we do not know: not put on any terminal. */
    unattributed: total,
  })
  .strict();

export const cardReconciliation = z
  .object({
    shiftId: z.uuid(),
    /** The shift's span: opened, and closed (or now, for an open shift). */
    from: utcTime,
    to: utcTime,
    /** Every provider answered: nothing below is UNCHECKED. */
    complete: z.boolean(),
    providers: z.array(providerReconciliation),
  })
  .strict();

export type ReconciledPayment = z.output<typeof reconciledPayment>;
export type TerminalReconciliation = z.output<typeof terminalReconciliation>;
export type ProviderReconciliation = z.output<typeof providerReconciliation>;
export type CardReconciliation = z.output<typeof cardReconciliation>;
