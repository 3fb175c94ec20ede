// The sales on hold at a register, as the parked list shows them: who parked each, what is in
// it and since when. Sales parked in an earlier shift are listed too (they stay recallable after
// a close), marked so the cashier knows they are left over.
import type { SqlSession } from '#db/sql-session.ts';
import type { ParkedSale } from '#contract/calls/sales.ts';

const NAMES_SHOWN = 3;

export async function parkedSales(sql: SqlSession, registerId: string, openShiftId: string | null): Promise<ParkedSale[]> {
  const rows = await sql.query<{
    id: string;
    park_label: string | null;
    total: string;
    opened_at: Date;
    parked_at: Date;
    employee_id: string;
    employee_name: string | null;
    lines: number;
    names: string[] | null;
    shift_id: string | null;
  }>(
    `SELECT s.id, s.park_label, s.total::numeric(19,4)::text AS total, s.opened_at, s.updated_at AS parked_at, s.employee_id,
            e.display_name AS employee_name, s.shift_id,
            (SELECT count(*) FROM sales.sale_items i WHERE i.sale_id = s.id AND i.deleted_at IS NULL)::int AS lines,
            (SELECT array_agg(n.name ORDER BY n.line_no) FROM (SELECT i.name, i.line_no FROM sales.sale_items i
               WHERE i.sale_id = s.id AND i.deleted_at IS NULL ORDER BY i.line_no LIMIT ${NAMES_SHOWN}) n) AS names
     FROM sales.sales s LEFT JOIN business.employees e ON e.id = s.employee_id
     WHERE s.register_id = $1 AND s.status = 'PARKED' AND s.deleted_at IS NULL
     ORDER BY s.updated_at, s.id`,
    [registerId],
  );
  return rows.map((r) => ({
    id: r.id,
    parkLabel: r.park_label,
    total: r.total,
    openedAt: r.opened_at.toISOString(),
    parkedAt: r.parked_at.toISOString(),
    employeeId: r.employee_id,
    employeeName: r.employee_name ?? '',
    lines: r.lines,
    names: r.names ?? [],
    earlierShift: r.shift_id !== openShiftId,
  }));
}
