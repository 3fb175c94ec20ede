// The owner changes a price at central, for every register of the business, without SQL: the
// item named by its SKU or its barcode, the new price as the receipt would print it. The row's
// version moves as any catalog edit's does, so a register's edit made from the older version is
// a conflict rather than a silent overwrite; the change is in central's audit trail with the
// operator; and the registers' probe sees it within a second or two (c0030).
import { Decimal } from 'decimal.js';
import type { Central } from '#db/central.ts';
import { recordAuditIn } from '#engine/services/audit/audit-log.ts';
import { RegisterError } from './central-registers.ts';

/** numeric(19,4): at most 15 digits before the point and 4 after it, never negative. */
const PRICE = /^\d{1,15}(\.\d{1,4})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PriceChange = { variantId: string; sku: string; name: string; from: string; to: string; changed: boolean };

export async function setCentralPrice(
  central: Central,
  input: { businessId: string; sku?: string | undefined; barcode?: string | undefined; price: string; operator: string },
): Promise<PriceChange> {
  if (!UUID.test(input.businessId)) throw new RegisterError('--business must be a UUID');
  if ((input.sku === undefined) === (input.barcode === undefined)) throw new RegisterError('name the item by one of --sku or --barcode');
  const price = input.price.trim();
  if (!PRICE.test(price))
    throw new RegisterError(`--price must be an amount such as 34.50 (up to 4 decimals, not negative): ${input.price}`);
  const to = new Decimal(price).toFixed(4);
  const [column, value] = input.sku !== undefined ? ['sku', input.sku.trim()] : ['barcode', input.barcode!.trim()];
  return central.sql.transaction(async (tx) => {
    const [item] = await tx.query<{ id: string; sku: string; name: string; price: string }>(
      `SELECT v.id, v.sku, p.name, v.price::text AS price
       FROM inventory.product_variants v JOIN inventory.products p ON p.id = v.product_id
       WHERE v.business_id = $1 AND v.${column} = $2 AND v.deleted_at IS NULL
       FOR UPDATE OF v`,
      [input.businessId, value],
    );
    if (!item) throw new RegisterError(`the business has no item with ${column} ${value}`);
    const from = new Decimal(item.price).toFixed(4);
    if (from === to) return { variantId: item.id, sku: item.sku, name: item.name, from, to, changed: false };
    await tx.query('UPDATE inventory.product_variants SET price = $2, version = version + 1 WHERE id = $1', [item.id, to]);
    await recordAuditIn(tx, {
      businessId: input.businessId,
      branchId: null,
      action: 'catalog.price_changed',
      outcome: 'SUCCESS',
      entityType: 'variant',
      entityId: item.id,
      details: { sku: item.sku, from, to, by: input.operator, via: 'pos central price set' },
    });
    return { variantId: item.id, sku: item.sku, name: item.name, from, to, changed: true };
  });
}
