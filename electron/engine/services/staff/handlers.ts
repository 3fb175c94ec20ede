// Employees of a business: who they are, their role, where they work, their PIN and lock.
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { userIdentities, users } from '#db/schema/auth.ts';
import { branches, employeeBranches, employees, roles } from '#db/schema/business.ts';
import { defineHandlers, requireSession, type CallContext } from '#engine/call-context.ts';
import { conflictOnDuplicate } from '#engine/db-errors.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { requireWithinAuthority } from '../auth/authority.ts';
import { permissionsOfRole } from '../auth/grants.ts';
import { hashSecret } from '../auth/secret-hash.ts';
import type { StaffMember } from '#contract/staff-member.ts';

export const kycContext = (userId: string) => `auth.users.kyc_data:${userId}`;

/** An audit entry for this call; `db` is the change's transaction, so the two commit together. */
const audit = (ctx: CallContext, entry: Parameters<typeof recordSessionAudit>[2], db: AppDb = ctx.services.db) =>
  recordSessionAudit({ ...ctx.services, db }, requireSession(ctx), entry, ctx.approver);

async function employeeOf(ctx: CallContext, employeeId: string) {
  const [row] = await ctx.services.db
    .select()
    .from(employees)
    .where(and(eq(employees.id, employeeId), eq(employees.businessId, requireSession(ctx).businessId), isNull(employees.deletedAt)));
  if (!row) throw new EngineError('NOT_FOUND', 'no such employee in this business');
  return row;
}

export const staffHandlers = defineHandlers({
  async 'staff.list'(_input, ctx) {
    return ctx.services.sql.query<StaffMember>(
      `
      SELECT e.id, e.code, e.display_name AS "displayName", e.status, r.id AS "roleId", r.name AS role,
             u.email, u.phone, u.kyc_level AS "kycLevel",
             ARRAY(SELECT eb.branch_id FROM business.employee_branches eb WHERE eb.employee_id = e.id AND eb.deleted_at IS NULL) AS "branchIds",
             coalesce(pin.locked_until > $2, false) AS "pinLocked", pin.id IS NOT NULL AS "hasPin"
      FROM business.employees e JOIN business.roles r ON r.id = e.role_id JOIN auth.users u ON u.id = e.user_id
      LEFT JOIN auth.user_identities pin ON pin.user_id = e.user_id AND pin.provider = 'PIN' AND pin.business_id = e.business_id AND pin.deleted_at IS NULL
      WHERE e.business_id = $1 AND e.deleted_at IS NULL ORDER BY e.code`,
      [requireSession(ctx).businessId, ctx.services.now()],
    );
  },

  async 'staff.save'(input, ctx) {
    const s = requireSession(ctx);
    const { db, sealer } = ctx.services;
    const [role] = await db
      .select()
      .from(roles)
      .where(and(eq(roles.id, input.roleId), eq(roles.businessId, s.businessId), isNull(roles.deletedAt)));
    if (!role) throw new EngineError('NOT_FOUND', 'no such role in this business');
    const found = await db
      .select({ id: branches.id })
      .from(branches)
      .where(and(inArray(branches.id, input.branchIds), eq(branches.businessId, s.businessId), isNull(branches.deletedAt)));
    if (found.length !== new Set(input.branchIds).size) throw new EngineError('NOT_FOUND', 'a branch is not in this business');
    const previous = input.id ? await employeeOf(ctx, input.id) : undefined;
    if (previous) {
      await requireWithinAuthority(ctx, await permissionsOfRole(ctx.services.sql, previous.roleId), {
        entityType: 'employee',
        entityId: previous.id,
        what: `changing ${previous.displayName}`,
      });
    }
    await requireWithinAuthority(ctx, await permissionsOfRole(ctx.services.sql, role.id), {
      entityType: 'employee',
      entityId: previous?.id ?? null,
      what: `giving the role ${role.name}`,
    });
    const email = input.email?.toLowerCase();

    const saved = await db
      .transaction(async (tx) => {
        let userId = previous?.userId;
        if (!userId) {
          // The same person may already work for another business: one user, one more employee.
          const [existing] =
            email || input.phone
              ? await tx
                  .select({ id: users.id })
                  .from(users)
                  .where(or(email ? eq(users.email, email) : undefined, input.phone ? eq(users.phone, input.phone) : undefined))
              : [];
          userId =
            existing?.id ??
            (await tx.insert(users).values({ email, phone: input.phone, displayName: input.displayName }).returning({ id: users.id }))[0]!
              .id;
        } else if (email !== undefined || input.phone !== undefined) {
          await tx
            .update(users)
            .set({ ...(email ? { email } : {}), ...(input.phone ? { phone: input.phone } : {}) })
            .where(eq(users.id, userId));
        }
        if (input.kyc) {
          await tx
            .update(users)
            .set({ kycLevel: input.kyc.level, kycData: sealer.seal(input.kyc.data, kycContext(userId)) })
            .where(eq(users.id, userId));
        }
        const fields = {
          code: input.code,
          displayName: input.displayName,
          roleId: input.roleId,
          status: input.status ?? previous?.status ?? 'ACTIVE',
        };
        const employeeId = previous
          ? (await tx.update(employees).set(fields).where(eq(employees.id, previous.id)).returning({ id: employees.id }))[0]!.id
          : (
              await tx
                .insert(employees)
                .values({ businessId: s.businessId, userId, ...fields })
                .returning({ id: employees.id })
            )[0]!.id;
        const links = await tx
          .select()
          .from(employeeBranches)
          .where(and(eq(employeeBranches.employeeId, employeeId), isNull(employeeBranches.deletedAt)));
        const gone = links.filter((l) => !input.branchIds.includes(l.branchId)).map((l) => l.id);
        if (gone.length > 0)
          await tx.update(employeeBranches).set({ deletedAt: ctx.services.now() }).where(inArray(employeeBranches.id, gone));
        const added = input.branchIds.filter((b) => !links.some((l) => l.branchId === b));
        if (added.length > 0) await tx.insert(employeeBranches).values(added.map((branchId) => ({ employeeId, branchId })));
        await audit(
          ctx,
          {
            action: previous ? 'staff.updated' : 'staff.created',
            outcome: 'SUCCESS',
            entityType: 'employee',
            entityId: employeeId,
            details: { displayName: input.displayName, code: input.code, branchIds: input.branchIds, kycUpdated: input.kyc !== undefined },
          },
          tx,
        );
        if (previous?.roleId !== input.roleId) {
          await audit(
            ctx,
            {
              action: 'roles.assigned',
              outcome: 'SUCCESS',
              entityType: 'employee',
              entityId: employeeId,
              details: { employee: input.displayName, fromRoleId: previous?.roleId ?? null, toRoleId: input.roleId, toRole: role.name },
            },
            tx,
          );
        }
        return { employeeId, userId };
      })
      .catch((err: unknown) =>
        conflictOnDuplicate(err, {
          employees_business_id_code_key: `employee code ${input.code} is already used`,
          employees_business_id_user_id_key: 'this person is already an employee of this business',
          users_email_key: 'that email belongs to someone else',
          users_phone_key: 'that phone belongs to someone else',
        }),
      );
    return saved;
  },

  async 'staff.setPin'(input, ctx) {
    const s = requireSession(ctx);
    const employee = await employeeOf(ctx, input.employeeId);
    // Whoever sets a PIN can sign in with it: only for someone who holds no more than they do.
    await requireWithinAuthority(ctx, await permissionsOfRole(ctx.services.sql, employee.roleId), {
      entityType: 'employee',
      entityId: employee.id,
      what: `setting the PIN of ${employee.displayName}`,
    });
    const secretHash = await hashSecret(input.pin);
    const live = and(
      eq(userIdentities.userId, employee.userId),
      eq(userIdentities.provider, 'PIN'),
      eq(userIdentities.businessId, s.businessId),
      isNull(userIdentities.deletedAt),
    );
    await ctx.services.db.transaction(async (tx) => {
      const updated = await tx
        .update(userIdentities)
        .set({ secretHash, failedAttempts: 0, lockedUntil: null })
        .where(live)
        .returning({ id: userIdentities.id });
      if (updated.length === 0) {
        await tx.insert(userIdentities).values({ userId: employee.userId, businessId: s.businessId, provider: 'PIN', secretHash });
      }
      await audit(
        ctx,
        {
          action: 'auth.pin_set',
          outcome: 'SUCCESS',
          entityType: 'employee',
          entityId: employee.id,
          details: { employee: employee.displayName },
        },
        tx,
      );
    });
    return { set: true };
  },

  async 'staff.unlock'(input, ctx) {
    const s = requireSession(ctx);
    const employee = await employeeOf(ctx, input.employeeId);
    await ctx.services.db.transaction(async (tx) => {
      await tx
        .update(userIdentities)
        .set({ failedAttempts: 0, lockedUntil: null })
        .where(
          and(
            eq(userIdentities.userId, employee.userId),
            isNull(userIdentities.deletedAt),
            or(eq(userIdentities.businessId, s.businessId), isNull(userIdentities.businessId)),
          ),
        );
      await audit(
        ctx,
        {
          action: 'auth.unlock',
          outcome: 'SUCCESS',
          entityType: 'employee',
          entityId: employee.id,
          details: { reason: 'manual', employee: employee.displayName, approvedBy: ctx.approver?.displayName ?? null },
        },
        tx,
      );
    });
    return { unlocked: true };
  },
});
