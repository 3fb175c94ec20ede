// The business settings the back office edits. A change is the business-wide row of its key
// (business-setting.ts: soft-deleted to take it away), audited in the same transaction, and read
// afresh at once by the receipts that follow.
import type { CallOutput } from '#contract/calls.ts';
import { SELF_INVOICING_SETTING, selfInvoicingPage } from '#contract/self-invoicing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { recordSessionAuditIn } from '../audit/audit-log.ts';
import { saleContext } from '../sales/sale-context.ts';
import { selfInvoicingBaseOf, setBusinessSetting } from './business-setting.ts';
import { forgetStoreSettings, type StoreSettings } from './store-settings.ts';

async function receiptSettingsOf(sql: SqlSession, businessId: string, settings: StoreSettings): Promise<CallOutput<'settings.receipts'>> {
  const [business] = await sql.query<{ country: string }>('SELECT country FROM business.businesses WHERE id = $1', [businessId]);
  const base = settings.selfInvoicingBase;
  return { selfInvoicingUrl: base, selfInvoicingPage: base ? selfInvoicingPage(base) : null, country: business?.country ?? '' };
}

export const settingsHandlers = defineHandlers({
  async 'settings.receipts'(_input, ctx) {
    const sc = await saleContext(ctx);
    return receiptSettingsOf(ctx.services.sql, sc.terminal.businessId, sc.settings);
  },

  async 'settings.setSelfInvoicing'(input, ctx) {
    const sc = await saleContext(ctx);
    const base = selfInvoicingBaseOf(input.url);
    const businessId = sc.terminal.businessId;
    await ctx.services.writes(() =>
      ctx.services.sql.transaction(async (tx) => {
        const change = await setBusinessSetting(tx, { businessId, key: SELF_INVOICING_SETTING, value: base, now: ctx.services.now() });
        // In the change's transaction: what every receipt points at never changes without the entry.
        await recordSessionAuditIn(tx, ctx.services, sc.session, {
          action: 'settings.set',
          outcome: 'SUCCESS',
          entityType: 'setting',
          entityId: change.settingId,
          details: { key: SELF_INVOICING_SETTING, from: change.from, to: change.to },
        });
      }),
    );
    forgetStoreSettings(ctx.services.sql);
    const fresh = await saleContext(ctx);
    return receiptSettingsOf(ctx.services.sql, businessId, fresh.settings);
  },
});
