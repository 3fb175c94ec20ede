// Charges on the register's integrated card terminal. The rule that keeps a card from being
// charged twice: a charge's row is written (SENT) and journaled before its provider is asked,
// and every question to the provider about it carries the row's own external reference as the
// idempotency key. A request repeated after a timeout, a crash between "sent" and "answer
// stored", or a lost answer is the same request to the provider, which answers the charge it
// already made. A charge follows the provider's states until a final one, stored once; an
// APPROVED one pays the sale when it completes (checkout.ts), and a sale is never paid by a
// charge without its approval.
//
// Provider calls take seconds: they are made outside the write queue, so selling at other
// screens never waits on them; only the short writes of what was asked and answered go through it.
import { and, desc, eq, sql as dsql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { toRow } from '#db/row-json.ts';
import { cardCharges, paymentMethods, transactions } from '#db/schema/payments.ts';
import type { CallInput } from '#contract/calls.ts';
import type { CardChargeView } from '#contract/calls/payments.ts';
import { FINAL_CARD_CHARGE_STATUSES, type CardChargeStatus } from '#contract/payment-vocabulary.ts';
import type { CallContext } from '#engine/call-context.ts';
import type { EngineContainer } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { CardProviderError, type ChargeStatus, isOpenCharge, type ProviderCharge } from '#engine/payments/card-terminals/card-terminal.ts';
import { loadCart, reprice, requireUnfinished } from '../sales/cart.ts';
import { requireOpenShift, saleContext } from '../sales/sale-context.ts';
import { storeSettings } from '../settings/store-settings.ts';
import { type CardChargeRow, journalCardCharge } from './card-charge-facts.ts';
import { D, dueAfterCharges, twoPlaces } from './charge-amounts.ts';

const isFinal = (status: CardChargeStatus) => (FINAL_CARD_CHARGE_STATUSES as readonly string[]).includes(status);

/** A provider's state as the charge keeps it: taken and given back since is still a charge that was approved. */
const storedStatus = (status: ChargeStatus): CardChargeStatus => (status === 'REFUNDED' ? 'APPROVED' : status);

export function chargeView(row: CardChargeRow, opts: { spent?: boolean; unreachable?: string | null } = {}): CardChargeView {
  return {
    id: row.id,
    saleId: row.saleId,
    methodId: row.paymentMethodId,
    provider: row.provider,
    terminalId: row.terminalId,
    amount: row.amount,
    status: row.status,
    statusDetail: row.statusDetail,
    cardLast4: row.cardLast4,
    cardBrand: row.cardBrand,
    approvalCode: row.approvalCode,
    spent: opts.spent ?? false,
    unreachable: opts.unreachable ?? null,
    requestedAt: row.createdAt.toISOString(),
  };
}

async function chargeOf(services: EngineContainer, businessId: string, chargeId: string): Promise<CardChargeRow> {
  const [row] = await services.db
    .select()
    .from(cardCharges)
    .where(and(eq(cardCharges.id, chargeId), eq(cardCharges.businessId, businessId)));
  if (!row) throw new EngineError('NOT_FOUND', 'no such card charge', { what: 'cardCharge', id: chargeId });
  return row;
}

async function spent(services: EngineContainer, chargeId: string): Promise<boolean> {
  const rows = await services.db.select({ id: transactions.id }).from(transactions).where(eq(transactions.cardChargeId, chargeId));
  return rows.length > 0;
}

/** The sale's charges, newest first. */
export async function chargesOfSale(services: EngineContainer, businessId: string, saleId: string): Promise<CardChargeView[]> {
  const rows = await services.db
    .select({ charge: cardCharges, spentBy: transactions.id })
    .from(cardCharges)
    .leftJoin(transactions, eq(transactions.cardChargeId, cardCharges.id))
    .where(and(eq(cardCharges.saleId, saleId), eq(cardCharges.businessId, businessId)))
    .orderBy(desc(cardCharges.createdAt), desc(cardCharges.id));
  return rows.map((r) => chargeView(r.charge, { spent: r.spentBy !== null }));
}

export async function startCharge(ctx: CallContext, input: CallInput<'payments.startCharge'>): Promise<CardChargeView> {
  const { services } = ctx;
  const sc = await saleContext(ctx);
  const businessId = sc.terminal.businessId;
  const [earlier] = await services.db.select().from(cardCharges).where(eq(cardCharges.idempotencyKey, input.idempotencyKey));
  if (earlier) {
    if (earlier.saleId !== input.saleId || earlier.paymentMethodId !== input.methodId || !new D(earlier.amount).equals(input.amount)) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another charge', { reason: 'KEY_REUSED' });
    }
    return settleCharge(services, earlier);
  }

  const row = await services.writes(async () => {
    const cart = await loadCart(services, businessId, input.saleId);
    requireUnfinished(cart, sc.terminal.registerId);
    if (cart.sale.status === 'PARKED') throw new EngineError('CONFLICT', 'recall the parked sale first', { reason: 'SALE_PARKED' });
    if (cart.items.length === 0) throw new EngineError('CONFLICT', 'the sale has no items', { reason: 'EMPTY_SALE' });
    const shift = await requireOpenShift(services.sql, sc.terminal.registerId);
    const [method] = await services.db
      .select()
      .from(paymentMethods)
      .where(and(eq(paymentMethods.id, input.methodId), eq(paymentMethods.businessId, businessId)));
    if (!method?.isActive || method.deletedAt || method.kind !== 'CARD' || method.settings.integrated !== true) {
      throw new EngineError('INVALID_INPUT', "that payment method is not the register's card terminal", {
        field: 'methodId',
        reason: 'NOT_INTEGRATED_CARD',
      });
    }
    const setting = sc.settings.devices[shift.registerCode]?.cardTerminal;
    if (!setting) throw new EngineError('CONFLICT', 'this register has no card terminal', { reason: 'NO_CARD_TERMINAL' });
    // No token here, or an address its token may not go to: refused before anything is written.
    await providerOf(services, { ...sc.terminal, provider: setting.provider, terminalId: setting.terminalId });

    const charges = await services.db.select().from(cardCharges).where(eq(cardCharges.saleId, cart.sale.id));
    const open = charges.find((c) => !isFinal(c.status));
    if (open) {
      throw new EngineError('CONFLICT', 'a charge of this sale is still at the card terminal', {
        reason: 'CHARGE_OPEN',
        chargeId: open.id,
      });
    }
    const payable = reprice(cart, sc.settings).totals!.payable;
    const due = dueAfterCharges(
      payable,
      charges.filter((c) => c.status === 'APPROVED').map((c) => c.amount),
    );
    if (new D(input.amount).greaterThan(due)) {
      throw new EngineError('INVALID_INPUT', `only ${twoPlaces(due)} is still due`, {
        field: 'amount',
        reason: 'TENDER_TOO_LARGE',
        remaining: due.toFixed(4),
      });
    }
    const now = services.now();
    const id = uuidv7();
    const written: CardChargeRow = {
      id,
      businessId,
      branchId: sc.terminal.branchId,
      registerId: sc.terminal.registerId,
      shiftId: shift.id,
      saleId: cart.sale.id,
      paymentMethodId: method.id,
      employeeId: sc.session.employeeId,
      provider: setting.provider,
      terminalId: setting.terminalId,
      amount: new D(input.amount).toFixed(4),
      currency: cart.sale.currency,
      // Ours on the provider's record and its idempotency key for the charge: a UUID's 32 hex
      // digits fit the 64 characters of [A-Za-z0-9_-] every provider takes.
      externalReference: `pos-${id.replaceAll('-', '')}`,
      providerReference: null,
      status: 'SENT',
      statusDetail: null,
      cardLast4: null,
      cardBrand: null,
      approvalCode: null,
      providerPaymentId: null,
      providerData: {},
      idempotencyKey: input.idempotencyKey,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await services.sql.query(
      'INSERT INTO payments.card_charges SELECT * FROM jsonb_populate_record(NULL::payments.card_charges, $1::jsonb)',
      [JSON.stringify(toRow(cardCharges, written))],
    );
    // Journaled before the provider hears of it: whatever happens next, start-up finds it.
    journalCardCharge(services.journal, written);
    return written;
  });
  services.chargeWatch?.kick();
  return settleCharge(services, row, { justWritten: true });
}

/**
 * Asks the provider where the charge stands and stores what changed. A charge whose answer never
 * came (SENT) is asked for again with the same key, which answers the charge made the first time,
 * or makes it now if the first request never arrived. Answers the charge as stored, with why the
 * provider could not be asked when it could not.
 */
export async function settleCharge(
  services: EngineContainer,
  row: CardChargeRow,
  opts: { justWritten?: boolean } = {},
): Promise<CardChargeView> {
  if (isFinal(row.status)) return chargeView(row, { spent: await spent(services, row.id) });
  let answer: ProviderCharge;
  try {
    const provider = await providerOf(services, row);
    if (row.providerReference) answer = await provider.charge(row.providerReference);
    else {
      answer = await provider.startCharge({
        idempotencyKey: row.externalReference,
        externalReference: row.externalReference,
        terminalId: row.terminalId,
        amount: twoPlaces(row.amount),
        currency: row.currency,
        description: 'Venta',
      });
      // Asked again with a used key, a provider answers as it answered the first time: what the
      // charge is now (paid meanwhile, say) is read, not taken from that.
      if (!opts.justWritten && isOpenCharge(answer.status)) answer = await provider.charge(answer.reference);
    }
  } catch (err) {
    if (!(err instanceof CardProviderError)) throw err;
    // The provider may have acted: the charge stands as it was, and is asked about again.
    if (err.uncertain || err.failure === 'BAD_ANSWER') return chargeView(row, { unreachable: err.failure });
    if (row.providerReference === null) {
      // Refused before it was ever made (an unknown terminal, a token refused): nothing was
      // charged; the charge ends here with the provider's words, and the cashier hears them.
      await record(services, row, { status: 'CANCELLED', detail: err.message });
      throw refusal(err);
    }
    return chargeView(row, { unreachable: err.failure });
  }
  return chargeView(await record(services, row, answer), { spent: false });
}

export async function cancelCharge(ctx: CallContext, input: CallInput<'payments.cancelCharge'>): Promise<CardChargeView> {
  const { services } = ctx;
  const { terminal } = await saleContext(ctx);
  let row = await chargeOf(services, terminal.businessId, input.chargeId);
  if (isFinal(row.status)) return chargeView(row, { spent: await spent(services, row.id) });
  if (row.providerReference === null) {
    // Learn the charge first (the same key): there is no cancelling what the provider never named.
    const learnt = await settleCharge(services, row);
    row = await chargeOf(services, terminal.businessId, input.chargeId);
    if (row.providerReference === null || isFinal(row.status)) return learnt;
  }
  const provider = await providerOf(services, row);
  try {
    const answer = await provider.cancelCharge(row.providerReference!, `${row.externalReference}-cancel`);
    return chargeView(await record(services, row, answer));
  } catch (err) {
    if (!(err instanceof CardProviderError)) throw err;
    if (err.failure === 'REFUSED') {
      // Too late to cancel (the customer paid, say): the charge is what the provider says it is.
      return settleCharge(services, row);
    }
    if (err.uncertain || err.failure === 'BAD_ANSWER') return chargeView(row, { unreachable: err.failure });
    throw refusal(err);
  }
}

/** Whose provider client: a charge, or the register giving money back on one. */
export type ProviderHolder = Pick<CardChargeRow, 'businessId' | 'branchId' | 'registerId' | 'provider' | 'terminalId'>;

/** The charge's provider client, with this register's credentials and terminal's base URL. */
export async function providerOf(services: EngineContainer, row: ProviderHolder) {
  const settings = await storeSettings(services.sql, row.businessId, row.branchId);
  const [register] = await services.sql.query<{ code: string }>('SELECT code FROM sales.cash_registers WHERE id = $1', [row.registerId]);
  const setting = settings.devices[register!.code]?.cardTerminal;
  return services.cardTerminals.open({
    provider: row.provider,
    terminalId: row.terminalId,
    ...(setting?.provider === row.provider && setting.baseUrl ? { baseUrl: setting.baseUrl } : {}),
  });
}

type Answer = ProviderCharge | { status: 'CANCELLED'; detail: string };

const RANK: Record<CardChargeStatus, number> = {
  SENT: 0,
  CREATED: 1,
  AT_TERMINAL: 2,
  PROCESSING: 3,
  APPROVED: 4,
  DECLINED: 4,
  CANCELLED: 4,
  EXPIRED: 4,
};

/** Stores the provider's answer when it says something new; answers the row as it now stands. */
async function record(services: EngineContainer, row: CardChargeRow, answer: Answer): Promise<CardChargeRow> {
  const charge = 'reference' in answer ? answer : null;
  const status: CardChargeStatus = 'reference' in answer ? storedStatus(answer.status) : answer.status;
  const payment = charge?.payment ?? null;
  const next = {
    status,
    statusDetail: answer.detail ?? null,
    providerReference: charge?.reference ?? row.providerReference,
    cardLast4: payment?.cardLast4 && /^\d{4}$/.test(payment.cardLast4) ? payment.cardLast4 : row.cardLast4,
    cardBrand: payment?.cardBrand ?? row.cardBrand,
    approvalCode: payment?.approvalCode ?? row.approvalCode,
    providerPaymentId: payment?.id ?? row.providerPaymentId,
    providerData: charge ? charge.data : row.providerData,
  };
  // Answers can cross (a retried start answered as first made, a slow read after a fast one): an
  // open charge's state never goes back.
  if (!isFinal(next.status) && RANK[next.status] < RANK[row.status]) next.status = row.status;
  const unchanged =
    next.status === row.status &&
    next.statusDetail === row.statusDetail &&
    next.providerReference === row.providerReference &&
    next.providerPaymentId === row.providerPaymentId;
  if (unchanged) return row;
  return services.writes(async () => {
    const [updated] = await services.db
      .update(cardCharges)
      .set({ ...next, version: dsql`${cardCharges.version} + 1`, updatedAt: services.now() })
      .where(and(eq(cardCharges.id, row.id), eq(cardCharges.version, row.version)))
      .returning();
    // Another question about the same charge stored its answer first: that one stands.
    if (!updated) return (await services.db.select().from(cardCharges).where(eq(cardCharges.id, row.id)))[0]!;
    journalCardCharge(services.journal, updated);
    return updated;
  });
}

function refusal(err: CardProviderError): EngineError {
  if (err.failure === 'AUTH') {
    return new EngineError('CONFLICT', `the card provider refused this register's token: ${err.message}`, {
      reason: 'PROVIDER_AUTH',
      provider: err.details.provider,
    });
  }
  return new EngineError('CONFLICT', `the card provider refused the charge: ${err.message}`, {
    reason: 'PROVIDER_REFUSED',
    provider: err.details.provider,
    words: err.message,
  });
}

/** The charges start-up finds still open (a crash, a kill, a cut between "sent" and "answer stored"): each asked about again. */
export async function settleOpenCharges(services: EngineContainer): Promise<CardChargeView[]> {
  const open = await services.db
    .select()
    .from(cardCharges)
    .where(dsql`${cardCharges.status} NOT IN ('APPROVED', 'DECLINED', 'CANCELLED', 'EXPIRED')`)
    .orderBy(cardCharges.createdAt);
  const settled: CardChargeView[] = [];
  for (const row of open) {
    try {
      settled.push(await settleCharge(services, row));
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      settled.push(chargeView((await services.db.select().from(cardCharges).where(eq(cardCharges.id, row.id)))[0]!));
    }
  }
  return settled;
}

/**
 * payments.charge: the charge as the provider has it now. Where the provider's webhooks reach
 * central and the provider was asked a moment ago, the stored row is that answer (charge-watch.ts).
 */
export async function readCharge(ctx: CallContext, input: CallInput<'payments.charge'>): Promise<CardChargeView> {
  const { services } = ctx;
  const { terminal } = await saleContext(ctx);
  const row = await chargeOf(services, terminal.businessId, input.chargeId);
  const watch = services.chargeWatch;
  if (!watch || isFinal(row.status)) return settleCharge(services, row);
  watch.kick();
  const stored = watch.storedAnswer(row);
  if (stored) return chargeView(row, { unreachable: stored.unreachable });
  const view = await settleCharge(services, row);
  watch.asked(row.id, view.unreachable);
  return view;
}
