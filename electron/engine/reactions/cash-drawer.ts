// The drawer opens for a sale or a return paid with a method that opens it (payment_methods.
// opens_drawer: cash does), at most once, and only while the cashier is still there: the fact
// is marked handled before the pulse is sent, so a restart never opens it a second time; and
// after a restart a fact older than DRAWER_FRESH_MS is passed over, because a drawer springing
// open minutes after a crash, in front of whoever stands there, is worse than one that did not.
// Within that window a drawer the crash kept shut opens when the engine is back.
// A printer that fails to open it is said on the cashier's screen (the 'drawer.failed' event:
// the sale's answer has gone by then) and audited; a register with no printer is neither (see
// contract/drawer-kick.ts).
import type { DrawerKick } from '#contract/drawer-kick.ts';
import type { Fact } from '#db/journal.ts';
import type { EngineContainer } from '../container.ts';
import { log } from '../log/logger.ts';
import { recordAudit } from '../services/audit/audit-log.ts';
import { SALE_COMPLETED, type CompletedSaleFact } from '../services/sales/completed-sale.ts';
import { RETURN_RECORDED, type ReturnFact } from '../services/sales/returns.ts';
import { storeSettings } from '../services/settings/store-settings.ts';
import { kickDrawer } from '../services/shifts/cash-drawer.ts';
import { registerCodeOf } from '../services/terminal/register-code.ts';
import type { Handled, Reaction } from './fact-reactions.ts';
import { happenedWithin } from './happened-at.ts';

export const CASH_DRAWER = 'cash-drawer';
export const DRAWER_FRESH_MS = 15_000;

type Row = Record<string, unknown>;

/** The record a drawer opening is about (the sale, or the return) and the methods its money moved by. */
function moneyOf(fact: Fact): { record: Row; methodIds: string[] } {
  if (fact.kind === SALE_COMPLETED) {
    const sale = fact.payload as CompletedSaleFact;
    return { record: sale.sale, methodIds: sale.payments.map((p) => String(p.payment_method_id)) };
  }
  const ret = fact.payload as ReturnFact;
  return { record: ret.ret, methodIds: [String(ret.refund.payment_method_id)] };
}

/**
 * A drawer the printer failed to open: on record first, then on the screen, so whoever is told
 * can find the entry. The entry is under the cashier of the sale or the return: who stood at the
 * drawer that stayed shut. A failed entry does not keep the cashier from being told.
 */
async function sayDrawerFailed(services: EngineContainer, fact: Fact, record: Row, registerCode: string, message: string) {
  const isSale = fact.kind === SALE_COMPLETED;
  const id = String(record.id);
  try {
    await recordAudit(services.db, {
      businessId: String(record.business_id),
      branchId: String(record.branch_id),
      deviceId: services.terminal?.deviceId,
      actorEmployeeId: record.employee_id ? String(record.employee_id) : undefined,
      action: 'drawer.open',
      outcome: 'FAILURE',
      entityType: isSale ? 'sale' : 'return',
      entityId: id,
      details: { registerCode, reason: 'PRINTER_FAILED', message },
    });
  } catch (err) {
    log.warn({ err, seq: fact.seq }, 'drawer: the failed opening could not be audited');
  }
  services.events.emit('drawer.failed', {
    saleId: isSale ? id : null,
    returnId: isSale ? null : id,
    registerCode,
    reason: 'PRINTER_FAILED',
    message,
    at: services.now().toISOString(),
  });
}

export function cashDrawerReaction(services: EngineContainer): Reaction {
  return {
    name: CASH_DRAWER,
    purpose: 'abrir el cajón',
    kinds: [SALE_COMPLETED, RETURN_RECORDED],
    async handle(fact: Fact, handled: Handled) {
      if (!happenedWithin(fact, services.now(), DRAWER_FRESH_MS)) return;
      const { record, methodIds } = moneyOf(fact);
      const [opens] = await services.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM payments.payment_methods WHERE id = ANY($1::uuid[]) AND opens_drawer`,
        [methodIds],
      );
      if (!opens?.n) return;
      const settings = await storeSettings(services.sql, String(record.business_id), String(record.branch_id));
      const registerCode = await registerCodeOf(services, String(record.register_id));
      // At most once: on record before the pulse, so no restart sends it again.
      await services.sql.transaction(handled);
      // Awaited (it never throws: the fact is handled already, a retry would open it twice), so the
      // receipt, which waits for this reaction, comes out after the drawer has opened: the pulse
      // has a connection of its own and would otherwise race the receipt's.
      try {
        const kick: DrawerKick = await kickDrawer(services, settings, registerCode);
        if (kick.opened || kick.reason !== 'PRINTER_FAILED') return;
        const message = kick.message ?? 'the printer did not say why';
        log.warn({ seq: fact.seq, registerCode }, `drawer: register ${registerCode}'s drawer did not open: ${message}`);
        await sayDrawerFailed(services, fact, record, registerCode, message);
      } catch (err) {
        log.warn({ err, seq: fact.seq }, 'drawer: opening the drawer, or saying it did not open, failed');
      }
    },
  };
}
