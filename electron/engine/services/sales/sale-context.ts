// Where a sale happens: this terminal's register, its open shift and the store's rules.
import type { SqlSession } from '#db/sql-session.ts';
import type { CallContext } from '#engine/call-context.ts';
import { requireSession } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { requireTerminal } from '#engine/container.ts';
import type { ActiveSession } from '../auth/sessions.ts';
import { storeSettings, type StoreSettings } from '../settings/store-settings.ts';
import type { Terminal } from '#engine/terminal.ts';

export type OpenShift = { id: string; businessDate: string; openedAt: Date; openingFloat: string; openedBy: string; registerCode: string };

export type SaleContext = { session: ActiveSession; terminal: Terminal; settings: StoreSettings };

export async function saleContext(ctx: CallContext): Promise<SaleContext> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  return { session, terminal, settings: await storeSettings(ctx.services.sql, terminal.businessId, terminal.branchId) };
}

// Read by every sale's opening and completion: planned once per connection.
const OPEN_SHIFT = `SELECT s.id, s.business_date::text, s.opened_at, s.opening_float::text, s.opened_by, r.code::text FROM sales.shifts s
  JOIN sales.cash_registers r ON r.id = s.register_id
  WHERE s.register_id = $1::uuid AND s.status = 'OPEN' AND s.deleted_at IS NULL`;

export async function findOpenShift(sql: SqlSession, registerId: string): Promise<OpenShift | null> {
  const [row] = await sql.query<{
    id: string;
    business_date: string;
    opened_at: Date;
    opening_float: string;
    opened_by: string;
    code: string;
  }>(OPEN_SHIFT, [registerId]);
  return row
    ? {
        id: row.id,
        businessDate: row.business_date,
        openedAt: row.opened_at,
        openingFloat: row.opening_float,
        openedBy: row.opened_by,
        registerCode: row.code,
      }
    : null;
}

export async function requireOpenShift(sql: SqlSession, registerId: string): Promise<OpenShift> {
  const shift = await findOpenShift(sql, registerId);
  if (!shift) throw new EngineError('CONFLICT', 'open a shift on this register first', { reason: 'NO_OPEN_SHIFT' });
  return shift;
}

export async function maxDiscountRateOf(sql: SqlSession, employeeId: string): Promise<string> {
  const [row] = await sql.query<{ rate: string }>(
    `SELECT r.max_discount_rate::text AS rate FROM business.employees e JOIN business.roles r ON r.id = e.role_id WHERE e.id = $1`,
    [employeeId],
  );
  return row?.rate ?? '0';
}
