// shifts.reconcileCards: a shift of this register, its card-terminal tenders read from the
// ledger, each provider asked what its terminals took over the shift's span, and the two set
// side by side (card-reconciliation.ts). Only this register's shifts: the providers' credentials
// are kept in its data directory. The providers are asked outside the write queue (a read, and
// one that takes seconds), each once, for the whole account; a provider that cannot be asked, or
// whose list cannot be read whole, is answered as such, its terminals UNCHECKED.
import type { CardReconciliation } from '#contract/card-reconciliation.ts';
import type { CardTerminalSetting } from '#contract/device-settings.ts';
import type { CardProvider } from '#contract/payment-vocabulary.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { CardProviderError } from '#engine/payments/card-terminals/card-terminal.ts';
import { saleContext } from '../sales/sale-context.ts';
import { type OurCardTender, type ProviderList, reconcileCards } from './card-reconciliation.ts';

/** How far around the shift the providers are asked: their clocks and ours differ a little. */
const MARGIN_MS = 15 * 60_000;

export async function reconcileShiftCards(ctx: CallContext, shiftId: string | undefined): Promise<CardReconciliation> {
  const { services } = ctx;
  const sc = await saleContext(ctx);
  const [shift] = await services.sql.query<{ id: string; opened_at: Date; closed_at: Date | null; code: string }>(
    `SELECT s.id, s.opened_at, s.closed_at, r.code FROM sales.shifts s JOIN sales.cash_registers r ON r.id = s.register_id
     WHERE s.register_id = $1 AND s.deleted_at IS NULL AND ($2::uuid IS NULL OR s.id = $2::uuid)
     ORDER BY (s.status = 'OPEN') DESC, s.opened_at DESC LIMIT 1`,
    [sc.terminal.registerId, shiftId ?? null],
  );
  if (!shift) {
    throw new EngineError('NOT_FOUND', shiftId ? 'no such shift on this register' : 'this register has had no shift', {
      what: 'shift',
      ...(shiftId ? { id: shiftId } : {}),
    });
  }
  const span = { from: shift.opened_at, to: shift.closed_at ?? services.now() };

  const ours = await services.sql.query<OurCardTender>(
    `SELECT coalesce(t.provider, c.provider) AS provider,
            coalesce(t.provider_data->>'terminalId', c.terminal_id) AS "terminalId",
            t.sale_id AS "saleId",
            coalesce(t.provider_data->>'paymentId', c.provider_payment_id) AS "paymentId",
            coalesce(t.provider_reference, c.provider_reference) AS reference,
            t.amount::text AS amount,
            (SELECT coalesce(sum(r.amount), 0) FROM payments.refunds r WHERE r.transaction_id = t.id AND r.status = 'CONFIRMED')::text AS refunded
     FROM payments.transactions t JOIN payments.card_charges c ON c.id = t.card_charge_id
     WHERE t.shift_id = $1 AND t.status = 'CONFIRMED'
     ORDER BY t.occurred_at, t.id`,
    [shift.id],
  );
  const configured = sc.settings.devices[shift.code]?.cardTerminal;
  const providers = [...new Set<CardProvider>([...ours.map((t) => t.provider), ...(configured ? [configured.provider] : [])])];

  const lists: ProviderList[] = await Promise.all(
    providers.map(async (provider): Promise<ProviderList> => {
      // The register's setting carries the provider's address; a provider it no longer uses is asked at its own.
      const setting: CardTerminalSetting =
        configured?.provider === provider ? configured : { provider, terminalId: ours.find((t) => t.provider === provider)!.terminalId };
      try {
        const client = services.cardTerminals.open(setting);
        const payments = await client.payments({
          from: new Date(span.from.getTime() - MARGIN_MS),
          to: new Date(span.to.getTime() + MARGIN_MS),
        });
        return { provider, payments };
      } catch (error) {
        if (error instanceof CardProviderError) return { provider, failure: error.failure, message: error.message };
        if (error instanceof EngineError && error.params?.reason === 'NO_PROVIDER_TOKEN') {
          return {
            provider,
            failure: 'NO_CREDENTIALS',
            message: `Esta caja no tiene las credenciales de ${provider === 'clip' ? 'Clip' : 'Mercado Pago'}: instálelas en Administración, Terminal de tarjetas (o con pos payments set-token).`,
          };
        }
        throw error;
      }
    }),
  );

  // What the providers list beyond this shift's tenders: another shift's tender, or a charge of ours
  // approved and never made a tender (its sale was not completed).
  const ids = lists.flatMap((l) => ('payments' in l ? l.payments.map((p) => p.id) : []));
  const mine = new Set(ours.map((t) => t.paymentId).filter((id): id is string => id !== null));
  const others = ids.filter((id) => !mine.has(id));
  const tenderedElsewhere = new Set<string>();
  const untendered = new Map<string, string>();
  if (others.length > 0) {
    const rows = await services.sql.query<{ payment_id: string; charge_id: string; tendered: boolean }>(
      `SELECT c.provider_payment_id AS payment_id, c.id AS charge_id,
              EXISTS (SELECT 1 FROM payments.transactions t WHERE t.card_charge_id = c.id) AS tendered
       FROM payments.card_charges c WHERE c.provider_payment_id = ANY($1::text[]) AND c.status = 'APPROVED'`,
      [others],
    );
    for (const r of rows) {
      if (r.tendered) tenderedElsewhere.add(r.payment_id);
      else untendered.set(r.payment_id, r.charge_id);
    }
  }

  const providersResult = reconcileCards({
    ours,
    lists,
    span,
    terminals: configured ? [{ provider: configured.provider, terminalId: configured.terminalId }] : [],
    tenderedElsewhere,
    untendered,
  });
  return {
    shiftId: shift.id,
    from: span.from.toISOString(),
    to: span.to.toISOString(),
    complete: providersResult.every((p) => p.reachable),
    providers: providersResult,
  };
}
