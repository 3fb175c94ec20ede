// In-app notifications: rows for the people who must act, shown under the bell until read.
// Rows are never deleted; reading one sets read_at.
import { v7 as uuidv7 } from 'uuid';
import type { SqlSession } from '#db/sql-session.ts';
import type { Terminal } from '#engine/terminal.ts';
import type { Permission } from '#contract/permissions.ts';
import type { InAppNotification, Severity } from '#contract/notification.ts';

export type NewNotification = {
  severity: Severity;
  title: string;
  body: string;
  /** `code` names the message so each screen can say it in its own language. */
  data: { code: string } & Record<string, unknown>;
};

/** One notification for each active employee of this branch whose role has `permission`. */
export async function notifyEmployeesWith(
  sql: SqlSession,
  terminal: Terminal,
  permission: Permission,
  note: NewNotification,
  now: Date,
): Promise<number> {
  const people = await sql.query<{ employee_id: string; user_id: string }>(
    `
    SELECT DISTINCT e.id AS employee_id, e.user_id FROM business.employees e
    JOIN business.employee_branches eb ON eb.employee_id = e.id AND eb.branch_id = $2 AND eb.deleted_at IS NULL
    JOIN business.role_permissions rp ON rp.role_id = e.role_id AND rp.deleted_at IS NULL
    JOIN business.permissions p ON p.id = rp.permission_id AND p.code = $3
    WHERE e.business_id = $1 AND e.deleted_at IS NULL AND e.status = 'ACTIVE'`,
    [terminal.businessId, terminal.branchId, permission],
  );
  if (people.length === 0) return 0;
  await sql.query(
    `
    INSERT INTO communication.in_app_notifications (id, user_id, business_id, branch_id, employee_id, severity, title, body, data, created_at, updated_at)
    SELECT (x->>'id')::uuid, (x->>'user_id')::uuid, $2, $3, (x->>'employee_id')::uuid, $4, $5, $6, $7::jsonb, $8, $8
    FROM jsonb_array_elements($1::jsonb) x`,
    [
      JSON.stringify(people.map((p) => ({ ...p, id: uuidv7({ msecs: now.getTime() }) }))),
      terminal.businessId,
      terminal.branchId,
      note.severity,
      note.title,
      note.body,
      JSON.stringify(note.data),
      now.toISOString(),
    ],
  );
  return people.length;
}

export async function notificationsFor(
  sql: SqlSession,
  employeeId: string,
  limit: number,
): Promise<{ unread: number; items: InAppNotification[] }> {
  const items = await sql.query<InAppNotification>(
    `
    SELECT id, severity, title, body, data, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
      to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "readAt"
    FROM communication.in_app_notifications WHERE employee_id = $1 AND deleted_at IS NULL
    ORDER BY created_at DESC, id DESC LIMIT $2`,
    [employeeId, limit],
  );
  const [count] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM communication.in_app_notifications
    WHERE employee_id = $1 AND read_at IS NULL AND deleted_at IS NULL`,
    [employeeId],
  );
  return { unread: count?.n ?? 0, items };
}

/** Marks the employee's own notifications read; someone else's ids change nothing. */
export async function markRead(sql: SqlSession, employeeId: string, ids: string[] | 'all', now: Date): Promise<number> {
  const rows = await sql.query<{ id: string }>(
    `
    UPDATE communication.in_app_notifications SET read_at = $3
    WHERE employee_id = $1 AND read_at IS NULL AND deleted_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
    RETURNING id`,
    [employeeId, ids === 'all' ? null : ids, now.toISOString()],
  );
  return rows.length;
}
