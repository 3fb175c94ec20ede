// The latest audit entries with the names of the people involved: for owners, `pos audit tail` on
// a register and `pos central audit` over every register of a business.
import type { AuditLine } from '#contract/audit-line.ts';
import type { SqlSession } from '#db/sql-session.ts';

export async function tailAudit(sql: SqlSession, opts: { businessId?: string; since?: Date; limit: number }): Promise<AuditLine[]> {
  const rows = await sql.query<Omit<AuditLine, 'at'> & { at: Date }>(
    `
    SELECT a.created_at AS at, a.action, a.outcome, coalesce(actor.display_name, u.display_name) AS actor,
           approver.display_name AS approver, a.entity_type AS "entityType", a.entity_id AS "entityId", a.details
    FROM auth.audit_logs a
    LEFT JOIN business.employees actor ON actor.id = a.actor_employee_id
    LEFT JOIN auth.users u ON u.id = a.actor_user_id
    LEFT JOIN business.employees approver ON approver.id = a.approver_employee_id
    WHERE ($1::uuid IS NULL OR a.business_id = $1::uuid) AND ($3::timestamptz IS NULL OR a.created_at >= $3::timestamptz)
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT $2`,
    [opts.businessId ?? null, opts.limit, opts.since?.toISOString() ?? null],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
