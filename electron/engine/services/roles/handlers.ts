// Roles of a business and the permissions each grants.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { permissions, rolePermissions, roles } from '#db/schema/business.ts';
import { defineHandlers, requireSession } from '#engine/call-context.ts';
import { conflictOnDuplicate } from '#engine/db-errors.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { requireWithinAuthority } from '../auth/authority.ts';
import { permissionsOfRole } from '../auth/grants.ts';
import type { Permission } from '#contract/permissions.ts';
import type { Role } from '#contract/calls/roles.ts';

export const rolesHandlers = defineHandlers({
  async 'roles.list'(_input, ctx) {
    return ctx.services.sql.query<Role>(
      `
      SELECT r.id, r.name, r.description, r.max_discount_rate AS "maxDiscountRate",
             ARRAY(SELECT p.code FROM business.role_permissions rp JOIN business.permissions p ON p.id = rp.permission_id
                   WHERE rp.role_id = r.id AND rp.deleted_at IS NULL ORDER BY p.code) AS permissions
      FROM business.roles r WHERE r.business_id = $1 AND r.deleted_at IS NULL ORDER BY r.name`,
      [requireSession(ctx).businessId],
    );
  },

  async 'roles.save'(input, ctx) {
    const s = requireSession(ctx);
    const { db } = ctx.services;
    const wanted = [...new Set(input.permissions as Permission[])].sort();
    if (input.id) {
      const [role] = await db
        .select()
        .from(roles)
        .where(and(eq(roles.id, input.id), eq(roles.businessId, s.businessId), isNull(roles.deletedAt)));
      if (!role) throw new EngineError('NOT_FOUND', 'no such role in this business');
      const [me] = await ctx.services.sql.query<{ role_id: string }>('SELECT role_id FROM business.employees WHERE id = $1', [
        s.employeeId,
      ]);
      if (me?.role_id === role.id && !wanted.includes('roles.manage')) {
        throw new EngineError('CONFLICT', 'this would take away your own permission to edit roles');
      }
      await requireWithinAuthority(ctx, await permissionsOfRole(ctx.services.sql, role.id), {
        entityType: 'role',
        entityId: role.id,
        what: `changing the role ${role.name}`,
      });
    }
    await requireWithinAuthority(ctx, wanted, {
      entityType: 'role',
      entityId: input.id ?? null,
      what: `a role with ${wanted.length} permissions`,
    });
    const result = await db
      .transaction(async (tx) => {
        const fields = { name: input.name, description: input.description ?? null, maxDiscountRate: input.maxDiscountRate };
        const roleId = input.id
          ? (await tx.update(roles).set(fields).where(eq(roles.id, input.id)).returning({ id: roles.id }))[0]!.id
          : (
              await tx
                .insert(roles)
                .values({ businessId: s.businessId, ...fields })
                .returning({ id: roles.id })
            )[0]!.id;
        const current = await tx
          .select({ id: rolePermissions.id, code: permissions.code })
          .from(rolePermissions)
          .innerJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
          .where(and(eq(rolePermissions.roleId, roleId), isNull(rolePermissions.deletedAt)));
        const removed = current.filter((c) => !wanted.includes(c.code as Permission));
        const added = wanted.filter((code) => !current.some((c) => c.code === code));
        if (removed.length > 0)
          await tx
            .update(rolePermissions)
            .set({ deletedAt: ctx.services.now() })
            .where(
              inArray(
                rolePermissions.id,
                removed.map((r) => r.id),
              ),
            );
        if (added.length > 0) {
          const ids = await tx.select({ id: permissions.id }).from(permissions).where(inArray(permissions.code, added));
          await tx.insert(rolePermissions).values(ids.map((p) => ({ roleId, permissionId: p.id })));
        }
        const gone = removed.map((r) => r.code as Permission).sort();
        // In the change's transaction: a role never changes without its entry.
        await recordSessionAudit({ ...ctx.services, db: tx }, s, {
          action: 'roles.changed',
          outcome: 'SUCCESS',
          entityType: 'role',
          entityId: roleId,
          details: { role: input.name, created: !input.id, added, removed: gone, maxDiscountRate: input.maxDiscountRate },
        });
        return { roleId, added, removed: gone };
      })
      .catch((err: unknown) => conflictOnDuplicate(err, { roles_business_id_name_key: `a role named ${input.name} already exists` }));
    return result;
  },
});
