// What an employee may do right now: the permissions of their role.
import type { AppDb } from '#db/app-db.ts';
import { permissions } from '#db/schema/business.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { isPermission, PERMISSIONS, type Permission } from '#contract/permissions.ts';
import { seedId } from '#engine/demo/seed-ids.ts';

export async function permissionsOf(sql: SqlSession, employeeId: string): Promise<Set<Permission>> {
  const rows = await sql.query<{ code: string }>(
    `
    SELECT p.code FROM business.employees e
    JOIN business.role_permissions rp ON rp.role_id = e.role_id AND rp.deleted_at IS NULL
    JOIN business.permissions p ON p.id = rp.permission_id AND p.deleted_at IS NULL
    WHERE e.id = $1`,
    [employeeId],
  );
  return new Set(rows.map((r) => r.code).filter(isPermission));
}

/** What a role grants, whoever holds it. */
export async function permissionsOfRole(sql: SqlSession, roleId: string): Promise<Set<Permission>> {
  const rows = await sql.query<{ code: string }>(
    `
    SELECT p.code FROM business.role_permissions rp JOIN business.permissions p ON p.id = rp.permission_id AND p.deleted_at IS NULL
    WHERE rp.role_id = $1 AND rp.deleted_at IS NULL`,
    [roleId],
  );
  return new Set(rows.map((r) => r.code).filter(isPermission));
}

/** Every database gives a permission the same id, so roles pulled from central point at the terminal's rows. */
export const permissionId = (code: string) => seedId('00000000-0000-0000-0000-000000000000', 'permission', code);

/** Writes the permission vocabulary this build knows; codes already present are left alone. */
export async function ensurePermissions(db: AppDb): Promise<void> {
  await db
    .insert(permissions)
    .values(Object.entries(PERMISSIONS).map(([code, description]) => ({ id: permissionId(code), code, description })))
    .onConflictDoNothing();
}
