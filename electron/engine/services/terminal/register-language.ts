// The language a register's screens speak, chosen on the register itself (on the sign-in screen
// or in its settings) and kept in the engine, per register, beside its devices: every screen of
// that register, after a restart too, opens in it. Until one is chosen the business's country
// decides (terminal.info).
import { and, eq, isNull, sql as dsql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { settings } from '#db/schema/business.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { recordAudit, recordSessionAudit } from '../audit/audit-log.ts';
import { loadSession } from '../auth/sessions.ts';
import { registerCodeOf } from './register-code.ts';
import { LOCALES, type Locale } from '#contract/calls/terminal-language.ts';

/** Branch setting: register code to the language its screens speak. */
const SETTING = 'register.locales';

/** The language chosen for this register, or null while none has been. */
export async function registerLocale(sql: SqlSession, businessId: string, branchId: string, registerCode: string): Promise<Locale | null> {
  const [row] = await sql.query<{ value: unknown }>(
    `SELECT value FROM business.settings WHERE business_id = $1 AND branch_id = $2 AND key = $3 AND deleted_at IS NULL`,
    [businessId, branchId, SETTING],
  );
  const chosen =
    row && typeof row.value === 'object' && row.value !== null ? (row.value as Record<string, unknown>)[registerCode] : undefined;
  return (LOCALES as readonly unknown[]).includes(chosen) ? (chosen as Locale) : null;
}

export const registerLanguageHandlers = defineHandlers({
  async 'terminal.setLocale'(input, ctx) {
    const terminal = requireTerminal(ctx.services);
    const registerCode = await registerCodeOf(ctx.services, terminal.registerId);
    // A public call carries no session; one sent along (the settings screen's) names who chose.
    const session = ctx.token ? await loadSession(ctx.services.sql, ctx.token, ctx.services.now()).catch(() => null) : null;
    const actor = session && session.businessId === terminal.businessId ? session : null;
    // In the write queue: two registers' choices are one row, read and written whole.
    return ctx.services.writes(() =>
      ctx.services.db.transaction(async (tx) => {
        const [row] = await tx
          .select({ id: settings.id, value: settings.value })
          .from(settings)
          .where(
            and(
              eq(settings.businessId, terminal.businessId),
              eq(settings.branchId, terminal.branchId),
              eq(settings.key, SETTING),
              isNull(settings.deletedAt),
            ),
          )
          .for('update');
        const current = row && typeof row.value === 'object' && row.value !== null ? (row.value as Record<string, unknown>) : {};
        const previous = typeof current[registerCode] === 'string' ? current[registerCode] : null;
        // The same choice again (a double tap, a retried request) changes nothing and writes nothing.
        if (previous === input.locale) return { registerCode, locale: input.locale, changed: false };
        const value = { ...current, [registerCode]: input.locale };
        if (row) {
          await tx
            .update(settings)
            .set({ value, version: dsql`${settings.version} + 1`, updatedAt: ctx.services.now() })
            .where(eq(settings.id, row.id));
        } else {
          await tx
            .insert(settings)
            .values({ id: uuidv7(), businessId: terminal.businessId, branchId: terminal.branchId, key: SETTING, value });
        }
        const entry = {
          action: 'terminal.set_locale',
          outcome: 'SUCCESS' as const,
          entityType: 'register',
          entityId: terminal.registerId,
          details: { registerCode, from: previous, to: input.locale, idempotencyKey: input.idempotencyKey },
        };
        const where = { ...ctx.services, db: tx };
        if (actor) await recordSessionAudit(where, actor, entry);
        else await recordAudit(tx, { businessId: terminal.businessId, branchId: terminal.branchId, deviceId: terminal.deviceId, ...entry });
        return { registerCode, locale: input.locale, changed: true };
      }),
    );
  },
});
