// A business-wide setting as every writer keeps it, the register's back office and central's
// command line alike: one live row per key (branch NULL), changed in place with its version moved
// on, taken away by soft delete, never deleted. The caller audits the change in the same
// transaction; the registers that sync get central's row with their pulls (business.settings is
// pulled by its updated_at, which the database stamps).
import { v7 as uuidv7 } from 'uuid';
import { parseSelfInvoicingBase, type SelfInvoicingProblem } from '#contract/self-invoicing.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { EngineError } from '#engine/errors.ts';

export type SettingChange = {
  /** The live row after the change, or the row taken away; null when there was none and none was made. */
  settingId: string | null;
  from: unknown;
  to: unknown;
};

/** Sets the business-wide `key` to `value` inside `tx`, or takes it away (null). */
export async function setBusinessSetting(
  tx: SqlSession,
  { businessId, key, value, now }: { businessId: string; key: string; value: unknown; now: Date },
): Promise<SettingChange> {
  const [row] = await tx.query<{ id: string; value: unknown }>(
    `SELECT id, value FROM business.settings WHERE business_id = $1 AND branch_id IS NULL AND key = $2 AND deleted_at IS NULL FOR UPDATE`,
    [businessId, key],
  );
  const to = value ?? null;
  if (row && to === null) {
    await tx.query(`UPDATE business.settings SET deleted_at = $2, updated_at = $2, version = version + 1 WHERE id = $1`, [row.id, now]);
  } else if (row) {
    await tx.query(`UPDATE business.settings SET value = $2::jsonb, updated_at = $3, version = version + 1 WHERE id = $1`, [
      row.id,
      JSON.stringify(to),
      now,
    ]);
  } else if (to !== null) {
    const id = uuidv7();
    await tx.query(
      `INSERT INTO business.settings (id, business_id, branch_id, key, value, created_at, updated_at)
       VALUES ($1, $2, NULL, $3, $4::jsonb, $5, $5)`,
      [id, businessId, key, JSON.stringify(to), now],
    );
    return { settingId: id, from: null, to };
  }
  return { settingId: row?.id ?? null, from: row?.value ?? null, to };
}

/** Why an address cannot be the self-invoicing base, in the engine's words (the screens have their own, by reason). */
export const SELF_INVOICING_PROBLEMS: Record<SelfInvoicingProblem, string> = {
  SELF_INVOICING_NOT_A_URL: 'give the whole address of the self-invoicing page, such as https://factura.example.mx',
  SELF_INVOICING_NOT_HTTPS: 'the self-invoicing page must be an https address: it asks for the customer’s fiscal data',
  SELF_INVOICING_HAS_QUERY: 'give the address without ? or #: receipts add /factura?r=… themselves',
  SELF_INVOICING_HAS_CREDENTIALS: 'the address may not carry a user or a password',
  SELF_INVOICING_TOO_LONG: 'the address is too long for the receipt’s QR code',
};

/** The base as kept, or null to take it away (null or empty); an address it cannot be is INVALID_INPUT with the reason. */
export function selfInvoicingBaseOf(typed: string | null): string | null {
  if (typed === null || typed === '') return null;
  const parsed = parseSelfInvoicingBase(typed);
  if ('problem' in parsed) {
    throw new EngineError('INVALID_INPUT', `url: ${SELF_INVOICING_PROBLEMS[parsed.problem]}`, { field: 'url', reason: parsed.problem });
  }
  return parsed.base;
}
