// A card refund whose money went back at the provider while its return or void was never
// recorded: the cashier's retry of the same request records it (card-refunds.ts reads the
// charge and finds it given), but nobody may retry, after a kill or a cashier who walked away.
// At start the register looks over its refund intents (journal facts, keyed card-refund:…) that
// have no record, asks each provider what it gave back since the intent, and tells the managers
// once per intent, in words, what to repeat. Nothing is written to the ledger here: a refund
// without its return is not the register's to invent.
import { eq } from 'drizzle-orm';
import { Decimal } from 'decimal.js';
import { refunds } from '#db/schema/payments.ts';
import { returns } from '#db/schema/sales.ts';
import type { EngineContainer } from '#engine/container.ts';
import { CardProviderError } from '#engine/payments/card-terminals/card-terminal.ts';
import { log } from '#engine/log/logger.ts';
import { notifyEmployeesWith } from '../notifications/in-app.ts';
import { providerOf } from './card-charges.ts';
import type { CardRefundAskedFact } from './card-refund-facts.ts';

export const UNRECORDED_REFUND_CODE = 'payments.refund_unrecorded';

const RETURN_PREFIX = 'card-refund:return:';
const VOID_PREFIX = 'card-refund:void:';

async function recorded(services: EngineContainer, intentKey: string): Promise<boolean> {
  if (intentKey.startsWith(RETURN_PREFIX)) {
    const rows = await services.db
      .select({ id: returns.id })
      .from(returns)
      .where(eq(returns.idempotencyKey, intentKey.slice(RETURN_PREFIX.length)));
    return rows.length > 0;
  }
  const rows = await services.db
    .select({ id: refunds.id })
    .from(refunds)
    .where(eq(refunds.cardChargeId, intentKey.slice(VOID_PREFIX.length)));
  return rows.length > 0;
}

async function announced(services: EngineContainer, intentKey: string): Promise<boolean> {
  const rows = await services.sql.query(
    `SELECT 1 FROM communication.in_app_notifications WHERE data->>'code' = $1 AND data->>'intentKey' = $2 LIMIT 1`,
    [UNRECORDED_REFUND_CODE, intentKey],
  );
  return rows.length > 0;
}

/** Tells the managers of each refund given at the provider without its record; answers how many were told. */
export async function announceUnrecordedRefunds(services: EngineContainer): Promise<number> {
  const terminal = services.terminal;
  if (!terminal) return 0;
  let told = 0;
  for (const fact of services.journal.keyedFrom('card-refund:')) {
    const intent = fact.payload as CardRefundAskedFact;
    if ((await recorded(services, fact.idempotencyKey)) || (await announced(services, fact.idempotencyKey))) continue;
    let given = new Decimal(0);
    try {
      for (const ask of intent.asks) {
        const provider = await providerOf(services, { ...terminal, provider: ask.provider, terminalId: ask.terminalId });
        const charge = await provider.charge(ask.reference);
        given = given.plus(Decimal.min(ask.amount, Decimal.max(0, new Decimal(charge.refunded).minus(ask.refundedBefore))));
      }
    } catch (err) {
      // Unreachable now: the next start asks again.
      if (err instanceof CardProviderError) continue;
      throw err;
    }
    if (given.isZero()) continue;
    const isReturn = fact.idempotencyKey.startsWith(RETURN_PREFIX);
    const amount = given.toFixed(2);
    await services.writes(() =>
      notifyEmployeesWith(
        services.sql,
        terminal,
        'sales.void',
        {
          severity: 'WARNING',
          title: 'Reembolso a tarjeta sin registrar',
          body: isReturn
            ? `El proveedor de la terminal devolvió ${amount} a la tarjeta del cliente, pero la devolución no quedó registrada en esta caja. Repita la misma devolución (mismo ticket y mismos artículos): se registra sin devolver el dinero otra vez.`
            : `El proveedor de la terminal devolvió ${amount} a la tarjeta del cliente para cancelar una venta, pero la cancelación no quedó registrada en esta caja. Cancele de nuevo esa venta: se registra sin devolver el dinero otra vez.`,
          data: { code: UNRECORDED_REFUND_CODE, intentKey: fact.idempotencyKey, amount, registerId: terminal.registerId },
        },
        services.now(),
      ),
    );
    told++;
  }
  if (told > 0) services.events.emit('notification', { severity: 'WARNING', code: UNRECORDED_REFUND_CODE });
  return told;
}

/** At start, in the background: a provider that is down must not hold the start, and a failure is a log line. */
export function announceUnrecordedRefundsAtStart(services: EngineContainer): Promise<void> {
  return announceUnrecordedRefunds(services).then(
    () => undefined,
    (err: unknown) => log.warn({ err }, 'card refunds: the unrecorded ones could not be looked over at start'),
  );
}
