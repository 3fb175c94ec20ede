// Shift facts for the journal and their replay: opened, cash moved, closed. Each replay is
// idempotent, so the start-up reconciliation can apply them as often as it likes.
import { columnsOf, type JsonRow } from '#db/row-json.ts';
import { shifts } from '#db/schema/sales.ts';
import type { SqlSession } from '#db/sql-session.ts';

export const SHIFT_OPENED = 'shift.opened';
export const CASH_MOVED = 'cash.moved';
export const SHIFT_CLOSED = 'shift.closed';

/** `requestKey`: the idempotency key of the call that opened or closed it, to answer a retry. */
export type ShiftFact = { shift: JsonRow; requestKey?: string };

export const shiftFactKey = (shiftId: string, what: 'opened' | 'closed') => `shift:${shiftId}:${what}`;
export type CashMovedFact = { movement: JsonRow };

const SHIFT_SET = columnsOf(shifts)
  .filter((c) => c !== 'id' && c !== 'created_at')
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ');

export async function replayShiftOpened(sql: SqlSession, fact: ShiftFact): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO sales.shifts SELECT * FROM jsonb_populate_record(NULL::sales.shifts, $1::jsonb)
    ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify(fact.shift)],
  );
  return rows.length > 0;
}

export async function replayCashMoved(sql: SqlSession, fact: CashMovedFact): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO sales.cash_movements SELECT * FROM jsonb_populate_record(NULL::sales.cash_movements, $1::jsonb)
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [JSON.stringify(fact.movement)],
  );
  return rows.length > 0;
}

export async function replayShiftClosed(sql: SqlSession, fact: ShiftFact): Promise<boolean> {
  const rows = await sql.query(
    `
    WITH f AS (SELECT $1::jsonb AS d),
    s AS (
      INSERT INTO sales.shifts SELECT x.* FROM f, jsonb_populate_record(NULL::sales.shifts, f.d) x
      ON CONFLICT (id) DO UPDATE SET ${SHIFT_SET} WHERE sales.shifts.status = 'OPEN'
      RETURNING register_id, z_number
    )
    UPDATE sales.cash_registers r SET last_z_number = GREATEST(r.last_z_number, s.z_number) FROM s WHERE r.id = s.register_id
    RETURNING r.id`,
    [JSON.stringify(fact.shift)],
  );
  return rows.length > 0;
}
