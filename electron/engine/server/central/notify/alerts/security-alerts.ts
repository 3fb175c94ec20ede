// Alerts from the registers' audit trails, as their entries arrive at central (the fact
// audit.recorded): an employee or a whole register locked out by wrong PINs or passwords, to
// those who may unlock; a sign-in by someone known elsewhere from a register they never used
// before, to those who manage staff. A person's very first sign-in is not "a new device".
import type { SqlDatabase } from '#db/sql-session.ts';
import { dateTimeFormat, receiptLocale } from '#contract/receipt-document.ts';
import { storeSettings } from '#engine/services/settings/store-settings.ts';
import { raiseAlert } from './raise-alert.ts';

type Entry = {
  id: string;
  action: 'auth.lockout' | 'auth.sign_in';
  outcome: string;
  actor_user_id: string | null;
  actor_employee_id: string | null;
  device_id: string | null;
  created_at: string;
};

type Arrival = {
  entry: Entry;
  business_id: string;
  branch_id: string;
  register: string;
  branch: string;
  currency: string;
  employee: string | null;
  user: string | null;
};

export async function securityAlerts(sql: SqlDatabase, since: string): Promise<{ lockout: number; newDevice: number }> {
  const arrivals = await sql.query<Arrival>(
    `SELECT p.entry, t.business_id, t.branch_id, r.code AS register, br.name AS branch, b.currency,
            e.display_name AS employee, u.display_name AS user
     FROM sync.ledger l
     -- Parsed once a row: without OFFSET 0 the planner writes the call back in at every use of p.entry.
     CROSS JOIN LATERAL (SELECT sync.applied_payload(l.payload, l.status) AS entry OFFSET 0) p
     JOIN sync.terminals t ON t.register_id = l.register_id
     JOIN sales.cash_registers r ON r.id = l.register_id
     JOIN business.branches br ON br.id = t.branch_id
     JOIN business.businesses b ON b.id = t.business_id
     LEFT JOIN business.employees e ON e.id = (p.entry->>'actor_employee_id')::uuid
     LEFT JOIN auth.users u ON u.id = (p.entry->>'actor_user_id')::uuid
     -- Written as ledger_security_idx's predicate is, so the scan reads that index.
     WHERE l.kind = 'audit.recorded' AND sync.applied_payload(l.payload, l.status)->>'action' IN ('auth.lockout', 'auth.sign_in')
       AND l.received_at > $1 AND l.status = 'APPLIED'
     ORDER BY l.received_at, l.seq`,
    [since],
  );
  let lockout = 0;
  let newDevice = 0;
  for (const a of arrivals) {
    const settings = await storeSettings(sql, a.business_id, a.branch_id);
    const when = dateTimeFormat(receiptLocale(a.currency), settings.timezone)(a.entry.created_at);
    if (a.entry.action === 'auth.lockout') {
      lockout += await raiseAlert(sql, {
        code: 'auth.lockout',
        key: `auth.lockout:${a.entry.id}`,
        businessId: a.business_id,
        branchId: a.branch_id,
        permission: 'staff.unlock',
        severity: 'WARNING',
        // A register closed to everyone names no one: the guesses were for no particular person.
        data: { employee: a.employee ?? a.user ?? `todos en la caja ${a.register}`, register: a.register, when },
      });
      continue;
    }
    if (a.entry.outcome !== 'SUCCESS' || !a.entry.actor_user_id || !(await isNewDevice(sql, a.entry))) continue;
    newDevice += await raiseAlert(sql, {
      code: 'auth.new_device',
      key: `auth.new_device:${a.entry.id}`,
      businessId: a.business_id,
      branchId: a.branch_id,
      permission: 'staff.manage',
      severity: 'WARNING',
      data: { user: a.user ?? a.employee ?? '', device: `Caja ${a.register} · ${a.branch}`, when },
    });
  }
  return { lockout, newDevice };
}

/** Signed in before, and never at this device. */
async function isNewDevice(sql: SqlDatabase, entry: Entry): Promise<boolean> {
  const [seen] = await sql.query<{ before: boolean; here: boolean }>(
    `SELECT count(*) > 0 AS before, count(*) FILTER (WHERE a.device_id IS NOT DISTINCT FROM $3) > 0 AS here
     FROM auth.audit_logs a
     WHERE a.actor_user_id = $1 AND a.action = 'auth.sign_in' AND a.outcome = 'SUCCESS' AND a.id <> $2 AND a.created_at <= $4`,
    [entry.actor_user_id, entry.id, entry.device_id, entry.created_at],
  );
  return seen!.before && !seen!.here;
}
