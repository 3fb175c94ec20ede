// The cart is an open sale in PGlite, so a crash or a restart gives it back. Loading, repricing
// and writing it back; every write is one statement guarded by the sale's version.
import { Decimal } from 'decimal.js';
import { and, asc, eq } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { toRow } from '#db/row-json.ts';
import { saleItems, sales } from '#db/schema/sales.ts';
import type { SqlSession } from '#db/sql-session.ts';
import type { CartView } from '#contract/cart-view.ts';
import type { TaxCode } from '#contract/tax-codes.ts';
import { EngineError } from '#engine/errors.ts';
import type { StoreSettings } from '../settings/store-settings.ts';
import { priceCart, type Discount } from './cart-pricing.ts';
import { PricingError, type SaleTotals } from './pricing.ts';

export type SaleRow = typeof sales.$inferSelect;
export type ItemRow = typeof saleItems.$inferSelect;

/** `items` are the live lines in line order; `removed` are lines taken out since loading. */
export type Cart = { sale: SaleRow; items: ItemRow[]; removed: ItemRow[]; nextLineNo: number; totals: SaleTotals<TaxCode> | null };

/**
 * The carts this engine wrote last, so a scan does not read the cart back before changing it.
 * The engine is PGlite's only writer and every cart write goes through writeCart, which keeps
 * this current; anything else that changes a sale row forgets it here. A stale entry cannot do
 * harm: the version guard refuses the write and the caller reloads.
 */
export class CartCache {
  private readonly carts = new Map<string, Cart>();
  constructor(private readonly limit = 64) {}

  get(saleId: string): Cart | undefined {
    return this.carts.get(saleId);
  }

  put(cart: Cart): void {
    this.carts.delete(cart.sale.id);
    this.carts.set(cart.sale.id, cart);
    if (this.carts.size > this.limit) this.carts.delete(this.carts.keys().next().value!);
  }

  forget(saleId: string): void {
    this.carts.delete(saleId);
  }
}

type CartStore = { db: AppDb; sql: SqlSession; carts: CartCache };

export async function loadCart({ db, carts: cache }: Pick<CartStore, 'db' | 'carts'>, businessId: string, saleId: string): Promise<Cart> {
  const cached = cache.get(saleId);
  if (cached && cached.sale.businessId === businessId && !cached.sale.deletedAt) return cached;
  const [sale] = await db
    .select()
    .from(sales)
    .where(and(eq(sales.id, saleId), eq(sales.businessId, businessId)));
  if (!sale || sale.deletedAt) throw new EngineError('NOT_FOUND', 'no such sale', { what: 'sale', id: saleId });
  const rows = await db.select().from(saleItems).where(eq(saleItems.saleId, saleId)).orderBy(asc(saleItems.lineNo));
  const items = rows.filter((r) => r.deletedAt === null);
  const cart = { sale, items, removed: [], nextLineNo: rows.reduce((n, r) => Math.max(n, r.lineNo), 0) + 1, totals: null };
  cache.put(cart);
  return cart;
}

export function requireUnfinished(cart: Cart, registerId: string): void {
  if (cart.sale.registerId !== registerId) {
    throw new EngineError('CONFLICT', 'that sale belongs to another register', { reason: 'OTHER_REGISTER' });
  }
  if (cart.sale.status !== 'OPEN' && cart.sale.status !== 'PARKED') {
    throw new EngineError('CONFLICT', `that sale is already ${cart.sale.status.toLowerCase()}`, {
      reason: 'SALE_FINISHED',
      status: cart.sale.status,
    });
  }
}

const discountOf = (rate: string | null, fixed: string | null): Discount | null =>
  rate !== null ? { kind: 'rate', value: rate } : fixed !== null ? { kind: 'amount', value: fixed } : null;

export const lineDiscount = (item: ItemRow) => discountOf(item.lineDiscountRate, item.lineDiscountFixed);
export const saleDiscount = (sale: SaleRow) => discountOf(sale.saleDiscountRate, sale.saleDiscountFixed);

/**
 * The largest line or sale amount: what an amount field takes (13 digits), far inside the
 * columns' numeric(19,4), so a shift's sums of such sales still fit.
 */
const MAX_SALE_AMOUNT = new Decimal('9999999999999.9999');

/** Prices every line and the sale from the stored discount specs; amounts are what gets written. */
export function reprice(cart: Cart, settings: StoreSettings, opts: { cashRounding?: boolean } = {}): Cart {
  let priced;
  try {
    priced = priceCart(
      cart.items.map((i) => ({
        id: i.id,
        unitPrice: i.unitPrice,
        quantity: i.quantity,
        taxCode: i.taxCode,
        taxRate: i.taxRate,
        discount: lineDiscount(i),
      })),
      saleDiscount(cart.sale),
      settings.rules,
      { pricesIncludeTax: cart.sale.pricesIncludeTax, ...opts },
    );
  } catch (err) {
    if (err instanceof PricingError) throw new EngineError('INVALID_INPUT', err.message, { reason: err.code });
    throw err;
  }
  const tooLarge = [priced.totals.subtotal, priced.totals.total, ...priced.lines.flatMap((l) => [l.subtotal, l.total])].some((v) =>
    new Decimal(v).abs().greaterThan(MAX_SALE_AMOUNT),
  );
  if (tooLarge) {
    throw new EngineError('INVALID_INPUT', 'that makes the sale larger than a register can record; check the price and the quantity', {
      reason: 'TOO_LARGE',
    });
  }
  const items = cart.items.map((item, i) => {
    const line = priced.lines[i]!;
    return { ...item, discountAmount: line.discountAmount, subtotal: line.subtotal, taxAmount: line.taxAmount, total: line.total };
  });
  const t = priced.totals;
  return {
    ...cart,
    items,
    totals: t,
    sale: { ...cart.sale, subtotal: t.subtotal, discountTotal: t.discountTotal, taxTotal: t.taxTotal, total: t.total, rounding: '0' },
  };
}

// One statement: the header moves to the next version only if nobody else did, and the lines
// are written only if the header was.
const WRITE_CART = `
WITH f AS (SELECT $1::jsonb AS d),
h AS (
  UPDATE sales.sales s SET
    status = x.status, park_label = x.park_label, employee_id = x.employee_id, shift_id = x.shift_id,
    subtotal = x.subtotal, discount_total = x.discount_total, tax_total = x.tax_total, rounding = x.rounding, total = x.total,
    sale_discount_rate = x.sale_discount_rate, sale_discount_fixed = x.sale_discount_fixed,
    sale_discount_approved_by = x.sale_discount_approved_by, deleted_at = x.deleted_at,
    voided_at = x.voided_at, voided_by = x.voided_by, void_reason = x.void_reason, version = s.version + 1
  FROM f, jsonb_populate_record(NULL::sales.sales, f.d->'sale') x
  WHERE s.id = x.id AND s.version = x.version AND s.status IN ('OPEN', 'PARKED')
  RETURNING s.version
),
i AS (
  INSERT INTO sales.sale_items SELECT x.* FROM f, h, jsonb_populate_recordset(NULL::sales.sale_items, f.d->'items') x
  ON CONFLICT (id) DO UPDATE SET
    quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price, list_price = EXCLUDED.list_price,
    price_overridden_by = EXCLUDED.price_overridden_by, line_discount_rate = EXCLUDED.line_discount_rate,
    line_discount_fixed = EXCLUDED.line_discount_fixed, discount_amount = EXCLUDED.discount_amount,
    discount_approved_by = EXCLUDED.discount_approved_by, subtotal = EXCLUDED.subtotal, tax_amount = EXCLUDED.tax_amount,
    total = EXCLUDED.total, deleted_at = EXCLUDED.deleted_at
)
SELECT version FROM h`;

/** `lines: false` writes the header only: a void, whose lines are final as they stand. */
export async function writeCart(
  { sql, carts }: Pick<CartStore, 'sql' | 'carts'>,
  cart: Cart,
  now: Date,
  opts: { lines?: boolean } = {},
): Promise<Cart> {
  const items = opts.lines === false ? [] : [...cart.items, ...cart.removed].map((item) => toRow(saleItems, item));
  const [row] = await sql.query<{ version: number }>(WRITE_CART, [JSON.stringify({ sale: toRow(sales, cart.sale), items })]);
  if (!row) {
    carts.forget(cart.sale.id);
    throw new EngineError('CONFLICT', 'the sale changed meanwhile; look at it again', { reason: 'STALE_SALE' });
  }
  const written = { ...cart, removed: [], sale: { ...cart.sale, version: row.version, updatedAt: now } };
  carts.put(written);
  return written;
}

/** What the screens show of a cart. */
export function cartView(cart: Cart): CartView {
  const s = cart.sale;
  return {
    id: s.id,
    status: s.status,
    version: s.version,
    parkLabel: s.parkLabel,
    employeeId: s.employeeId,
    openedAt: s.openedAt.toISOString(),
    currency: s.currency,
    pricesIncludeTax: s.pricesIncludeTax,
    saleDiscount: saleDiscount(s),
    lines: cart.items.map((i) => ({
      id: i.id,
      lineNo: i.lineNo,
      variantId: i.variantId,
      name: i.name,
      sku: i.sku,
      barcode: i.barcode,
      unit: i.unit,
      quantity: i.quantity,
      isWeighed: i.isWeighed,
      unitPrice: i.unitPrice,
      listPrice: i.listPrice,
      taxCode: i.taxCode,
      taxRate: i.taxRate,
      discount: lineDiscount(i),
      discountAmount: i.discountAmount,
      subtotal: i.subtotal,
      taxAmount: i.taxAmount,
      total: i.total,
    })),
    totals: {
      subtotal: s.subtotal,
      discountTotal: s.discountTotal,
      taxTotal: s.taxTotal,
      total: s.total,
      taxes: cart.totals?.taxes ?? [],
    },
  };
}
