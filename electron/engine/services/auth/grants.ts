// What an employee may do right now: the permissions of their role.
import type { SqlSession } from '../../../../db/sql-session.ts';
import { isPermission, type Permission } from './permissions.ts';

export async function permissionsOf(sql: SqlSession, employeeId: string): Promise<Set<Permission>> {
  const rows = await sql.query<{ code: string }>(`
    SELECT p.code FROM business.employees e
    JOIN business.role_permissions rp ON rp.role_id = e.role_id AND rp.deleted_at IS NULL
    JOIN business.permissions p ON p.id = rp.permission_id AND p.deleted_at IS NULL
    WHERE e.id = $1`, [employeeId]);
  return new Set(rows.map((r) => r.code).filter(isPermission));
}
