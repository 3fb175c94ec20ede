// The address of a business's self-invoicing page set at central (`pos central set-self-invoicing`),
// for the operator who runs central rather than a register: the same parse and the same row as the
// register's back office (services/settings/business-setting.ts), so every register of the business
// gets it with its next pull of business.settings. Audited in central's own trail, in the change's
// transaction; there is no session or register behind it, so the entry names the operator's login
// on the machine that ran the command.
import { SELF_INVOICING_SETTING } from '#contract/self-invoicing.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';
import { recordAuditIn } from '#engine/services/audit/audit-log.ts';
import { selfInvoicingBaseOf, setBusinessSetting } from '#engine/services/settings/business-setting.ts';

export type CentralSelfInvoicing = { business: string; country: string; from: unknown; to: string | null };

/**
 * Sets the business's self-invoicing base from the address typed (null takes it away); answers
 * what it was and is. An address it cannot be is INVALID_INPUT (params.reason), an unknown
 * business NOT_FOUND; neither writes anything.
 */
export async function setSelfInvoicingAtCentral(
  sql: SqlDatabase,
  input: { businessId: string; address: string | null; operator: string; now: Date },
): Promise<CentralSelfInvoicing> {
  const base = selfInvoicingBaseOf(input.address);
  return sql.transaction(async (tx) => {
    const [business] = await tx.query<{ name: string; country: string }>(
      'SELECT name, country FROM business.businesses WHERE id = $1 AND deleted_at IS NULL',
      [input.businessId],
    );
    if (!business) throw new EngineError('NOT_FOUND', `no business ${input.businessId} at central`);
    const change = await setBusinessSetting(tx, { businessId: input.businessId, key: SELF_INVOICING_SETTING, value: base, now: input.now });
    await recordAuditIn(tx, {
      businessId: input.businessId,
      action: 'settings.set',
      outcome: 'SUCCESS',
      entityType: 'setting',
      entityId: change.settingId,
      details: { key: SELF_INVOICING_SETTING, from: change.from, to: change.to, by: input.operator, via: 'pos central set-self-invoicing' },
    });
    return { business: business.name, country: business.country, from: change.from, to: base };
  });
}
