// What central sees that a manager should hear of, found by looking back over what arrived
// lately: a shift closed with a variance over the store's tolerance, a fact quarantined, a
// register with an open shift that stopped calling in, stock at or under its reorder point,
// lockouts and sign-ins from new devices (security-alerts.ts).
// The scan runs every half minute from the maintenance queue and looks back further than that;
// each alert's key (raise-alert.ts) keeps a second sighting from telling anyone twice.
import { Decimal } from 'decimal.js';
import type { SqlDatabase } from '#db/sql-session.ts';
import { dateTimeFormat, moneyFormat, quantityText, receiptLocale } from '#contract/receipt-document.ts';
import { storeSettings } from '#engine/services/settings/store-settings.ts';
import { overTolerance } from '#engine/services/shifts/cash-count.ts';
import { raiseAlert } from './raise-alert.ts';
import { securityAlerts } from './security-alerts.ts';

export type AlertScanOptions = {
  now: () => Date;
  /** How far back the scan reads what arrived: longer than the time between two scans. */
  lookbackMs: number;
};

export type AlertScanResult = {
  variance: number;
  quarantine: number;
  silent: number;
  lowStock: number;
  lockout: number;
  newDevice: number;
};

export async function scanAlerts(sql: SqlDatabase, opts: AlertScanOptions): Promise<AlertScanResult> {
  const now = opts.now();
  const since = new Date(now.getTime() - opts.lookbackMs).toISOString();
  return {
    ...(await ledgerAlerts(sql, since)),
    silent: await silentRegisters(sql, now),
    lowStock: await lowStock(sql, since),
    ...(await securityAlerts(sql, since)),
  };
}

type Place = { business_id: string; branch_id: string; register: string; branch: string; currency: string };

async function ledgerAlerts(sql: SqlDatabase, since: string): Promise<Pick<AlertScanResult, 'variance' | 'quarantine'>> {
  const facts = await sql.query<
    Place & { register_id: string; seq: string; kind: string; status: string; reason: string | null; shift: Record<string, unknown> | null }
  >(
    `SELECT l.register_id, l.seq::text, l.kind, l.status, l.reason, sync.applied_payload(l.payload, l.status)->'shift' AS shift,
            t.business_id, t.branch_id, r.code AS register, br.name AS branch, b.currency
     FROM sync.ledger l
     JOIN sync.terminals t ON t.register_id = l.register_id
     JOIN sales.cash_registers r ON r.id = l.register_id
     JOIN business.branches br ON br.id = t.branch_id
     JOIN business.businesses b ON b.id = t.business_id
     WHERE (l.kind = 'shift.closed' OR l.status = 'QUARANTINED') AND l.received_at > $1
     ORDER BY l.received_at`,
    [since],
  );
  let variance = 0;
  let quarantine = 0;
  for (const f of facts) {
    if (f.status === 'QUARANTINED') {
      quarantine += await raiseAlert(sql, {
        code: 'sync.quarantine',
        key: `sync.quarantine:${f.register_id}:${f.seq}`,
        businessId: f.business_id,
        branchId: f.branch_id,
        permission: 'sync.manage',
        severity: 'CRITICAL',
        data: { register: f.register, factKind: f.kind, reason: f.reason ?? '' },
      });
      continue;
    }
    const shift = f.shift;
    if (!shift || (typeof shift.variance !== 'string' && typeof shift.variance !== 'number')) continue;
    const settings = await storeSettings(sql, f.business_id, f.branch_id);
    const difference = new Decimal(String(shift.variance)).toFixed(4);
    if (!overTolerance(difference, settings.varianceTolerance)) continue;
    const money = moneyFormat(receiptLocale(f.currency), f.currency);
    const [cashier] = await sql.query<{ name: string }>(`SELECT display_name AS name FROM business.employees WHERE id = $1`, [
      shift.closed_by,
    ]);
    variance += await raiseAlert(sql, {
      code: 'shift.variance',
      key: `shift.variance:${String(shift.id)}`,
      businessId: f.business_id,
      branchId: f.branch_id,
      permission: 'shifts.approve_variance',
      severity: 'WARNING',
      data: {
        register: f.register,
        cashier: cashier?.name ?? '',
        expected: money(String(shift.expected_cash)),
        counted: money(String(shift.counted_cash)),
        variance: money(difference),
      },
    });
  }
  return { variance, quarantine };
}

/** Registers with an open shift that central has not heard from for longer than their store allows; one alert per silence. */
async function silentRegisters(sql: SqlDatabase, now: Date): Promise<number> {
  const quiet = await sql.query<Place & { register_id: string; last_seen_at: Date }>(
    `SELECT t.register_id, t.business_id, t.branch_id, r.code AS register, br.name AS branch, b.currency, t.last_seen_at
     FROM sync.terminals t
     JOIN sales.cash_registers r ON r.id = t.register_id
     JOIN business.branches br ON br.id = t.branch_id
     JOIN business.businesses b ON b.id = t.business_id
     WHERE t.revoked_at IS NULL AND t.last_seen_at IS NOT NULL AND t.last_seen_at < $1
       AND EXISTS (SELECT 1 FROM sales.shifts s WHERE s.register_id = t.register_id AND s.status = 'OPEN' AND s.deleted_at IS NULL)`,
    // No register's threshold is under a minute: the rest is filtered per store below.
    [new Date(now.getTime() - 60_000).toISOString()],
  );
  let added = 0;
  for (const r of quiet) {
    const settings = await storeSettings(sql, r.business_id, r.branch_id);
    if (now.getTime() - r.last_seen_at.getTime() < settings.silentAfterMinutes * 60_000) continue;
    added += await raiseAlert(sql, {
      code: 'register.silent',
      key: `register.silent:${r.register_id}:${r.last_seen_at.toISOString()}`,
      businessId: r.business_id,
      branchId: r.branch_id,
      permission: 'sync.manage',
      severity: 'WARNING',
      data: {
        register: r.register,
        branch: r.branch,
        lastSeen: dateTimeFormat(receiptLocale(r.currency), settings.timezone)(r.last_seen_at.toISOString()),
      },
    });
  }
  return added;
}

/** Stock levels that changed lately and are at or under their reorder point: once per level per day. */
async function lowStock(sql: SqlDatabase, since: string): Promise<number> {
  const low = await sql.query<{
    id: string;
    business_id: string;
    branch_id: string;
    branch: string;
    product: string;
    quantity: string;
    reorder_point: string;
    day: string;
  }>(
    `SELECT sl.id, br.business_id, sl.branch_id, br.name AS branch,
            p.name || CASE WHEN v.name IS NULL OR v.name = '' THEN '' ELSE ' ' || v.name END AS product,
            sl.quantity::text, sl.reorder_point::text,
            (now() AT TIME ZONE br.timezone)::date::text AS day
     FROM inventory.stock_levels sl
     JOIN inventory.product_variants v ON v.id = sl.variant_id
     JOIN inventory.products p ON p.id = v.product_id
     JOIN business.branches br ON br.id = sl.branch_id
     WHERE sl.reorder_point IS NOT NULL AND sl.updated_at > $1 AND sl.deleted_at IS NULL AND sl.quantity <= sl.reorder_point`,
    [since],
  );
  let added = 0;
  for (const s of low) {
    added += await raiseAlert(sql, {
      code: 'stock.low',
      key: `stock.low:${s.id}:${s.day}`,
      businessId: s.business_id,
      branchId: s.branch_id,
      permission: 'inventory.receive',
      severity: 'INFO',
      data: { product: s.product, branch: s.branch, onHand: quantityText(s.quantity), reorderPoint: quantityText(s.reorder_point) },
    });
  }
  return added;
}
