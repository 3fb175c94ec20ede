// The business settings the back office edits. A change is the business-wide row of its key
// (soft-deleted to take it away), audited in the same transaction, and read afresh at once by
// the receipts that follow.
import { v7 as uuidv7 } from 'uuid';
import type { CallOutput } from '#contract/calls.ts';
import { parseSelfInvoicingBase, SELF_INVOICING_SETTING, selfInvoicingPage } from '#contract/self-invoicing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAuditIn } from '../audit/audit-log.ts';
import { saleContext } from '../sales/sale-context.ts';
import { forgetStoreSettings, type StoreSettings } from './store-settings.ts';

/** Why an address is refused, in the engine's words (the screens have their own, by reason). */
const PROBLEM_MESSAGES: Record<string, string> = {
  SELF_INVOICING_NOT_A_URL: 'give the whole address of the self-invoicing page, such as https://factura.example.mx',
  SELF_INVOICING_NOT_HTTPS: 'the self-invoicing page must be an https address: it asks for the customer’s fiscal data',
  SELF_INVOICING_HAS_QUERY: 'give the address without ? or #: receipts add /factura?r=… themselves',
  SELF_INVOICING_HAS_CREDENTIALS: 'the address may not carry a user or a password',
  SELF_INVOICING_TOO_LONG: 'the address is too long for the receipt’s QR code',
};

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
    let base: string | null = null;
    if (input.url !== null && input.url !== '') {
      const parsed = parseSelfInvoicingBase(input.url);
      if ('problem' in parsed) {
        throw new EngineError('INVALID_INPUT', `url: ${PROBLEM_MESSAGES[parsed.problem]}`, { field: 'url', reason: parsed.problem });
      }
      base = parsed.base;
    }
    const now = ctx.services.now();
    const businessId = sc.terminal.businessId;
    await ctx.services.writes(() =>
      ctx.services.sql.transaction(async (tx) => {
        const [row] = await tx.query<{ id: string; value: unknown }>(
          `SELECT id, value FROM business.settings WHERE business_id = $1 AND branch_id IS NULL AND key = $2 AND deleted_at IS NULL FOR UPDATE`,
          [businessId, SELF_INVOICING_SETTING],
        );
        let settingId = row?.id ?? null;
        if (row && base === null) {
          await tx.query(`UPDATE business.settings SET deleted_at = $2, updated_at = $2, version = version + 1 WHERE id = $1`, [
            row.id,
            now,
          ]);
        } else if (row) {
          await tx.query(`UPDATE business.settings SET value = $2::jsonb, updated_at = $3, version = version + 1 WHERE id = $1`, [
            row.id,
            JSON.stringify(base),
            now,
          ]);
        } else if (base !== null) {
          settingId = uuidv7();
          await tx.query(
            `INSERT INTO business.settings (id, business_id, branch_id, key, value, created_at, updated_at)
             VALUES ($1, $2, NULL, $3, $4::jsonb, $5, $5)`,
            [settingId, businessId, SELF_INVOICING_SETTING, JSON.stringify(base), now],
          );
        }
        // In the change's transaction: what every receipt points at never changes without the entry.
        await recordSessionAuditIn(tx, ctx.services, sc.session, {
          action: 'settings.set',
          outcome: 'SUCCESS',
          entityType: 'setting',
          entityId: settingId,
          details: { key: SELF_INVOICING_SETTING, from: row?.value ?? null, to: base },
        });
      }),
    );
    forgetStoreSettings();
    const fresh = await saleContext(ctx);
    return receiptSettingsOf(ctx.services.sql, businessId, fresh.settings);
  },
});
