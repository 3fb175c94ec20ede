// The cart calls: open a sale, add by scan or tap, change quantities, discounts and prices,
// park and recall, cancel. Each change reprices the whole cart and writes it in one statement.
import { Decimal } from 'decimal.js';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { sales } from '#db/schema/sales.ts';
import type { SqlSession } from '#db/sql-session.ts';
import { defineHandlers, type CallContext, type OverrideDetails } from '#engine/call-context.ts';
import { conflictOnDuplicate } from '#engine/db-errors.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAuditIn } from '../audit/audit-log.ts';
import { itemByBarcode, itemByPlu, itemBySku, itemByVariant, type CatalogItem } from '../catalog/lookup.ts';
import { isOpenPriceSku } from '../catalog/open-price.ts';
import { GIFT_CARD_SKU } from '../payments/gift-cards.ts';
import { parseScannedCode } from '../catalog/scanned-code.ts';
import { cartView, loadCart, reprice, requireUnfinished, writeCart, type Cart, type ItemRow } from './cart.ts';
import { discountRate, withinLimit, type Discount } from './cart-pricing.ts';
import { findOpenShift, maxDiscountRateOf, requireOpenShift, saleContext, type SaleContext } from './sale-context.ts';
import { parkedSales } from './parked-sales.ts';
import { giveBackApprovedCharges, voidSale } from './void-sale.ts';
import { requireCartFree } from '../payments/charge-holds.ts';

export const MAX_LINES = 500;

/** What must be written with a cart change, in its transaction: the audit entry of an override. */
type AlsoWrite = (tx: SqlSession, before: Cart, sc: SaleContext) => Promise<unknown>;

/**
 * Loads, changes, reprices and writes a cart as one queued step; answers the new cart. With
 * `also`, the cart and what `also` writes commit together or not at all.
 */
export async function changeCart(
  ctx: CallContext,
  saleId: string,
  change: (cart: Cart, sc: SaleContext) => Promise<Cart> | Cart,
  also?: AlsoWrite,
) {
  return ctx.services.writes(async () => {
    const sc = await saleContext(ctx);
    const attempt = async () => {
      const cart = await loadCart(ctx.services, sc.terminal.businessId, saleId);
      requireUnfinished(cart, sc.terminal.registerId);
      if (cart.sale.status === 'PARKED') throw new EngineError('CONFLICT', 'recall the parked sale first', { reason: 'SALE_PARKED' });
      await requireCartFree(ctx.services.sql, saleId);
      const changed = await keepDiscountsWithinLimits(ctx, reprice(await change(cart, sc), sc.settings), sc);
      const now = ctx.services.now();
      if (!also) return cartView(await writeCart(ctx.services, changed, now));
      const written = await ctx.services.sql
        .transaction(async (tx) => {
          const w = await writeCart({ sql: tx, carts: ctx.services.carts }, changed, now);
          await also(tx, cart, sc);
          return w;
        })
        .catch((err: unknown) => {
          // writeCart cached the cart before the rollback: what PGlite holds is the truth.
          ctx.services.carts.forget(saleId);
          throw err;
        });
      return cartView(written);
    };
    // A cached cart someone else moved on is refused by its version and read again, once.
    return attempt().catch((err: unknown) => {
      if (err instanceof EngineError && err.params?.reason === 'STALE_SALE') return attempt();
      throw err;
    });
  });
}

/** What a new line says about its item; everything else starts blank and reprice() fills the amounts. */
type NewLine = Pick<
  ItemRow,
  'variantId' | 'productId' | 'name' | 'sku' | 'barcode' | 'unit' | 'unitPrice' | 'taxCode' | 'taxRate' | 'quantity' | 'isWeighed'
> &
  Partial<Pick<ItemRow, 'giftCardCode'>>;

/** The cart with one more line at its end, within the limit of lines a sale holds. */
export function appendLine(cart: Cart, now: Date, fields: NewLine): Cart {
  if (cart.items.length >= MAX_LINES)
    throw new EngineError('CONFLICT', `a sale holds at most ${MAX_LINES} lines`, { reason: 'TOO_MANY_LINES' });
  const line: ItemRow = {
    id: uuidv7(),
    saleId: cart.sale.id,
    lineNo: cart.nextLineNo,
    giftCardCode: null,
    ...fields,
    listPrice: null,
    priceOverriddenBy: null,
    lineDiscountRate: null,
    lineDiscountFixed: null,
    discountAmount: '0',
    discountApprovedBy: null,
    subtotal: '0',
    taxAmount: '0',
    total: '0',
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  return { ...cart, items: [...cart.items, line], nextLineNo: cart.nextLineNo + 1 };
}

function lineOf(cart: Cart, lineId: string): ItemRow {
  const line = cart.items.find((i) => i.id === lineId);
  if (!line) throw new EngineError('NOT_FOUND', 'that line is not in the sale', { what: 'line', id: lineId });
  return line;
}

function withLine(cart: Cart, line: ItemRow): Cart {
  return { ...cart, items: cart.items.map((i) => (i.id === line.id ? line : i)) };
}

/** Pieces are whole; weighed goods take up to three decimals of a kilogram. */
export function checkQuantity(item: { soldBy?: string; isWeighed?: boolean }, quantity: string): string {
  const q = new Decimal(quantity);
  const weighed = item.soldBy === 'WEIGHT' || item.isWeighed === true;
  if (q.lessThanOrEqualTo(0))
    throw new EngineError('INVALID_INPUT', 'the quantity must be more than zero', { field: 'quantity', reason: 'NOT_POSITIVE' });
  if (!weighed && !q.isInteger())
    throw new EngineError('INVALID_INPUT', 'this item is sold by the piece: use a whole quantity', {
      field: 'quantity',
      reason: 'WHOLE_PIECES',
    });
  if (q.greaterThan(weighed ? 999 : 9999))
    throw new EngineError('INVALID_INPUT', 'that quantity is too large for one line', { field: 'quantity', reason: 'TOO_LARGE' });
  return q.toFixed(4);
}

type Resolved = { item: CatalogItem; quantity: string | null; unitPrice: string | null; weighed: boolean };

/** What a scanned or typed code means in this store's catalog. */
async function resolveCode(ctx: CallContext, sc: SaleContext, code: string): Promise<Resolved> {
  const { sql } = ctx.services;
  const businessId = sc.terminal.businessId;
  const scanned = parseScannedCode(code, sc.settings.scaleLayouts);
  const bySku = async (text: string) => itemBySku(sql, businessId, text);
  if (!scanned.ok) {
    // An internal SKU may be all digits and fail a GTIN check digit: the catalog decides.
    const item = scanned.error.code === 'BAD_CHECK_DIGIT' ? await bySku(code.trim()) : null;
    if (item) return { item, quantity: null, unitPrice: null, weighed: false };
    throw new EngineError('INVALID_INPUT', scanned.error.message, { field: 'code', reason: scanned.error.code, code });
  }
  const v = scanned.value;
  let item: CatalogItem | null = null;
  switch (v.kind) {
    case 'gtin':
      item = (await itemByBarcode(sql, businessId, v.gtin, v.printed)) ?? (await bySku(v.printed));
      if (item) return { item, quantity: null, unitPrice: null, weighed: false };
      break;
    case 'measured':
      item = await itemByPlu(sql, businessId, v.plu);
      if (item) return { item, quantity: v.weightKg, unitPrice: null, weighed: true };
      break;
    case 'priced':
      item = await itemByPlu(sql, businessId, v.plu);
      // The scale priced this package: the label's price is the line's price for one package.
      if (item) return { item, quantity: '1', unitPrice: v.price, weighed: false };
      break;
    case 'receipt':
      throw new EngineError('INVALID_INPUT', 'that is a receipt: scan it on the returns screen', {
        field: 'code',
        reason: 'RECEIPT_SCANNED',
        code,
      });
    case 'text':
      // Produce is keyed in by its PLU (4 or 5 digits) and weighed on the scale.
      item = (await bySku(v.text)) ?? (/^\d{4,5}$/.test(v.text) ? await itemByPlu(sql, businessId, v.text) : null);
      if (item) return { item, quantity: null, unitPrice: null, weighed: item.soldBy === 'WEIGHT' };
      break;
  }
  throw new EngineError('NOT_FOUND', `no product with the code ${code.trim()}`, { what: 'product', code: code.trim() });
}

/**
 * A fixed discount grows as a share of its line or sale when the quantity drops or lines go:
 * 31.50 off twenty rice bags is 5 %, off one it is everything. After every change each fixed
 * discount must still fit the limit of whoever approved it, or be approved again.
 */
async function keepDiscountsWithinLimits(ctx: CallContext, cart: Cart, sc: SaleContext): Promise<Cart> {
  const { sql } = ctx.services;
  const minor = sc.settings.rules.minorUnits;
  const fits = async (rate: string, holder: string | null) =>
    withinLimit(rate, await maxDiscountRateOf(sql, holder ?? ctx.session!.employeeId));
  let result = cart;
  for (const line of cart.items) {
    if (line.lineDiscountFixed === null) continue; // a rate stays the same share of its line
    const gross = new Decimal(line.unitPrice).times(line.quantity).toDecimalPlaces(minor, Decimal.ROUND_HALF_UP).toFixed(minor);
    const rate = discountRate(line.lineDiscountFixed, gross);
    if (await fits(rate, line.discountApprovedBy)) continue;
    result = withLine(result, {
      ...line,
      discountApprovedBy: await approveDiscount(ctx, rate, { subject: line.name, amount: line.lineDiscountFixed }),
    });
  }
  if (cart.sale.saleDiscountFixed !== null) {
    const before = reprice({ ...result, sale: { ...result.sale, saleDiscountRate: null, saleDiscountFixed: null } }, sc.settings);
    const rate = discountRate(cart.sale.saleDiscountFixed, before.sale.total);
    if (!(await fits(rate, cart.sale.saleDiscountApprovedBy))) {
      result = {
        ...result,
        sale: { ...result.sale, saleDiscountApprovedBy: await approveDiscount(ctx, rate, { amount: cart.sale.saleDiscountFixed }) },
      };
    }
  }
  return result;
}

/** A discount over the giver's own limit needs someone whose limit covers it; `about` says on what, and how much when fixed. */
async function approveDiscount(ctx: CallContext, rate: string, about: OverrideDetails = {}): Promise<string | null> {
  const session = ctx.session!;
  if (withinLimit(rate, await maxDiscountRateOf(ctx.services.sql, session.employeeId))) return ctx.approver?.employeeId ?? null;
  const approver = await ctx.approve(
    'sales.discount',
    `a discount of ${new Decimal(rate).times(100).toDecimalPlaces(2).toString()} %`,
    async (employeeId) => withinLimit(rate, await maxDiscountRateOf(ctx.services.sql, employeeId)),
    { ...about, rate },
  );
  return approver.employeeId;
}

export const cartHandlers = defineHandlers({
  async 'sales.current'(_input, ctx) {
    const sc = await saleContext(ctx);
    const [open] = await ctx.services.db
      .select({ id: sales.id })
      .from(sales)
      .where(and(eq(sales.registerId, sc.terminal.registerId), eq(sales.status, 'OPEN'), isNull(sales.deletedAt)))
      .orderBy(asc(sales.openedAt))
      .limit(1);
    if (!open) return null;
    return cartView(reprice(await loadCart(ctx.services, sc.terminal.businessId, open.id), sc.settings));
  },

  async 'sales.get'(input, ctx) {
    const sc = await saleContext(ctx);
    return cartView(reprice(await loadCart(ctx.services, sc.terminal.businessId, input.saleId), sc.settings));
  },

  async 'sales.open'(input, ctx) {
    return ctx.services.writes(async () => {
      const sc = await saleContext(ctx);
      const { db } = ctx.services;
      // The request already answered, or the sale in progress that refuses it: one read for both.
      const found = await db
        .select({ id: sales.id, same: sql<boolean>`${sales.idempotencyKey} = ${input.idempotencyKey}` })
        .from(sales)
        .where(
          or(
            eq(sales.idempotencyKey, input.idempotencyKey),
            and(eq(sales.registerId, sc.terminal.registerId), eq(sales.status, 'OPEN'), isNull(sales.deletedAt)),
          ),
        );
      const same = found.find((row) => row.same);
      if (same) return cartView(reprice(await loadCart(ctx.services, sc.terminal.businessId, same.id), sc.settings));
      const open = found[0];
      if (open)
        throw new EngineError('CONFLICT', 'this register already has a sale in progress; finish or park it first', {
          reason: 'SALE_IN_PROGRESS',
          saleId: open.id,
        });
      const shift = await requireOpenShift(ctx.services.sql, sc.terminal.registerId);
      const now = ctx.services.now();
      const id = uuidv7();
      const [sale] = await db
        .insert(sales)
        .values({
          id,
          businessId: sc.terminal.businessId,
          branchId: sc.terminal.branchId,
          registerId: sc.terminal.registerId,
          shiftId: shift.id,
          employeeId: sc.session.employeeId,
          currency: sc.settings.currency,
          pricesIncludeTax: sc.settings.pricesIncludeTax,
          idempotencyKey: input.idempotencyKey,
          openedAt: now,
        })
        .returning()
        .catch((err: unknown) => conflictOnDuplicate(err, { sales_idempotency_key: 'that request was already used for another sale' }));
      // A sale just opened has no lines: the row written is the whole cart, with nothing to read back.
      const cart: Cart = { sale: sale!, items: [], removed: [], nextLineNo: 1, totals: null };
      ctx.services.carts.put(cart);
      return cartView(reprice(cart, sc.settings));
    });
  },

  async 'sales.addItem'(input, ctx) {
    return changeCart(ctx, input.saleId, async (cart, sc) => {
      const found =
        input.variantId !== undefined
          ? {
              item: await itemByVariant(ctx.services.sql, sc.terminal.businessId, input.variantId),
              quantity: null,
              unitPrice: null,
              weighed: false,
            }
          : await resolveCode(ctx, sc, input.code!);
      if (!found.item) throw new EngineError('NOT_FOUND', 'that product is not sold here', { what: 'product', id: input.variantId });
      const { item } = found;
      // Its catalog price means nothing: the cashier gives the price in the open-price dialog.
      if (isOpenPriceSku(item.sku)) {
        throw new EngineError('INVALID_INPUT', `${item.name} is an open-price item: ring it up with its description and price`, {
          field: 'code',
          reason: 'OPEN_PRICE',
        });
      }
      if (item.sku === GIFT_CARD_SKU) {
        throw new EngineError('INVALID_INPUT', `${item.name}: scan the card to sell and give its amount`, {
          field: 'code',
          reason: 'GIFT_CARD_LINE',
        });
      }
      if (item.soldBy === 'WEIGHT' && found.quantity === null && input.quantity === undefined) {
        throw new EngineError('INVALID_INPUT', `${item.name} is sold by weight: weigh it or enter the kilograms`, {
          field: 'quantity',
          reason: 'WEIGHT_NEEDED',
        });
      }
      const quantity = checkQuantity({ soldBy: item.soldBy, isWeighed: found.weighed }, found.quantity ?? input.quantity ?? '1');
      const unitPrice = found.unitPrice ?? item.price;
      const weighed = found.weighed || item.soldBy === 'WEIGHT';
      // Scanning the same piece again adds one to its line, as the cashier expects.
      const same =
        !weighed && found.unitPrice === null
          ? cart.items.find(
              (i) =>
                i.variantId === item.variantId &&
                !i.isWeighed &&
                i.listPrice === null &&
                i.lineDiscountRate === null &&
                i.lineDiscountFixed === null,
            )
          : undefined;
      if (same) return withLine(cart, { ...same, quantity: checkQuantity(same, new Decimal(same.quantity).plus(quantity).toString()) });
      return appendLine(cart, ctx.services.now(), {
        variantId: item.variantId,
        productId: item.productId,
        name: item.name,
        sku: item.sku,
        barcode: item.barcode,
        unit: item.unit,
        unitPrice,
        taxCode: item.taxCode,
        taxRate: item.taxRate,
        quantity,
        isWeighed: weighed,
      });
    });
  },

  async 'sales.setQuantity'(input, ctx) {
    return changeCart(ctx, input.saleId, (cart) => {
      const line = lineOf(cart, input.lineId);
      // One card per line: the line's total is what that card is loaded with.
      if (line.giftCardCode !== null && !new Decimal(input.quantity).equals(1))
        throw new EngineError('INVALID_INPUT', 'a gift card line is one card: add another card on its own line', {
          field: 'quantity',
          reason: 'GIFT_CARD_LINE',
        });
      return withLine(cart, { ...line, quantity: checkQuantity(line, input.quantity) });
    });
  },

  async 'sales.removeLine'(input, ctx) {
    return changeCart(ctx, input.saleId, (cart) => {
      const line = lineOf(cart, input.lineId);
      return { ...cart, items: cart.items.filter((i) => i.id !== line.id), removed: [{ ...line, deletedAt: ctx.services.now() }] };
    });
  },

  async 'sales.setLineDiscount'(input, ctx) {
    return changeCart(ctx, input.saleId, async (cart, sc) => {
      const line = lineOf(cart, input.lineId);
      const discounted = withLine(cart, { ...line, ...discountColumns('line', input.discount), discountApprovedBy: null });
      if (!input.discount) return discounted;
      const priced = reprice(discounted, sc.settings).items.find((i) => i.id === line.id)!;
      const gross = new Decimal(priced.unitPrice).times(priced.quantity).toDecimalPlaces(2).toFixed(2);
      const own = input.discount.kind === 'amount' ? input.discount.value : new Decimal(gross).times(input.discount.value).toFixed(4);
      const approvedBy = await approveDiscount(ctx, discountRate(own, gross), {
        subject: line.name,
        ...(input.discount.kind === 'amount' ? { amount: own } : {}),
      });
      return withLine(discounted, { ...lineOf(discounted, line.id), discountApprovedBy: approvedBy });
    });
  },

  async 'sales.setSaleDiscount'(input, ctx) {
    return changeCart(ctx, input.saleId, async (cart, sc) => {
      const discounted = { ...cart, sale: { ...cart.sale, ...discountColumns('sale', input.discount), saleDiscountApprovedBy: null } };
      if (!input.discount) return discounted;
      const before = reprice({ ...cart, sale: { ...cart.sale, saleDiscountRate: null, saleDiscountFixed: null } }, sc.settings);
      const after = reprice(discounted, sc.settings);
      const given = new Decimal(after.sale.discountTotal).minus(before.sale.discountTotal).toFixed(4);
      const base = new Decimal(before.sale.total).toFixed(4);
      const approvedBy = await approveDiscount(ctx, discountRate(given, base), input.discount.kind === 'amount' ? { amount: given } : {});
      return { ...discounted, sale: { ...discounted.sale, saleDiscountApprovedBy: approvedBy } };
    });
  },

  async 'sales.overridePrice'(input, ctx) {
    return changeCart(
      ctx,
      input.saleId,
      async (current, sc) => {
        const line = lineOf(current, input.lineId);
        const catalog = line.listPrice ?? line.unitPrice;
        const back = new Decimal(input.unitPrice).equals(catalog);
        return withLine(current, {
          ...line,
          unitPrice: new Decimal(input.unitPrice).toFixed(4),
          listPrice: back ? null : catalog,
          priceOverriddenBy: back ? null : (ctx.approver?.employeeId ?? sc.session.employeeId),
        });
      },
      (tx, before, sc) => {
        const line = lineOf(before, input.lineId);
        return recordSessionAuditIn(
          tx,
          ctx.services,
          sc.session,
          {
            action: 'sales.price_override',
            outcome: 'SUCCESS',
            entityType: 'sale_item',
            entityId: line.id,
            details: {
              saleId: input.saleId,
              sku: line.sku,
              from: line.unitPrice,
              to: input.unitPrice,
              listPrice: line.listPrice ?? line.unitPrice,
              reason: input.reason,
            },
          },
          ctx.approver,
        );
      },
    );
  },

  async 'sales.park'(input, ctx) {
    return ctx.services.writes(async () => {
      const sc = await saleContext(ctx);
      const cart = await loadCart(ctx.services, sc.terminal.businessId, input.saleId);
      requireUnfinished(cart, sc.terminal.registerId);
      if (cart.items.length === 0) throw new EngineError('CONFLICT', 'an empty sale cannot be parked', { reason: 'EMPTY_SALE' });
      await requireCartFree(ctx.services.sql, cart.sale.id);
      const parked = reprice(
        { ...cart, sale: { ...cart.sale, status: 'PARKED', parkLabel: input.label ?? cart.sale.parkLabel } },
        sc.settings,
      );
      return cartView(await writeCart(ctx.services, parked, ctx.services.now()));
    });
  },

  async 'sales.parked'(_input, ctx) {
    const sc = await saleContext(ctx);
    const shift = await findOpenShift(ctx.services.sql, sc.terminal.registerId);
    return parkedSales(ctx.services.sql, sc.terminal.registerId, shift?.id ?? null);
  },

  async 'sales.recall'(input, ctx) {
    return ctx.services.writes(async () => {
      const sc = await saleContext(ctx);
      const { db, sql } = ctx.services;
      const cart = await loadCart(ctx.services, sc.terminal.businessId, input.saleId);
      requireUnfinished(cart, sc.terminal.registerId);
      if (cart.sale.status === 'OPEN') return cartView(reprice(cart, sc.settings));
      const open = await db
        .select({ id: sales.id })
        .from(sales)
        .where(and(eq(sales.registerId, sc.terminal.registerId), eq(sales.status, 'OPEN'), isNull(sales.deletedAt)));
      for (const o of open) {
        const other = await loadCart(ctx.services, sc.terminal.businessId, o.id);
        if (other.items.length > 0)
          throw new EngineError('CONFLICT', 'park or finish the current sale first', { reason: 'SALE_IN_PROGRESS', saleId: o.id });
        // An empty cart never became a sale: it is set aside, not voided.
        await writeCart(
          ctx.services,
          reprice({ ...other, sale: { ...other.sale, deletedAt: ctx.services.now() } }, sc.settings),
          ctx.services.now(),
        );
      }
      const shift = await requireOpenShift(sql, sc.terminal.registerId);
      // A sale parked in an earlier shift is finished in this one, where its cash will be.
      const recalled = reprice(
        { ...cart, sale: { ...cart.sale, status: 'OPEN', shiftId: shift.id, employeeId: sc.session.employeeId } },
        sc.settings,
      );
      return cartView(await writeCart(ctx.services, recalled, ctx.services.now()));
    });
  },

  async 'sales.void'(input, ctx) {
    // An approved charge is given back whole first, outside the write queue (the provider takes seconds).
    const given = await giveBackApprovedCharges(ctx, input.saleId);
    return ctx.services.writes(async () => voidSale(ctx, input.saleId, input.reason, given));
  },
});

function discountColumns(scope: 'line', d: Discount | null): { lineDiscountRate: string | null; lineDiscountFixed: string | null };
function discountColumns(scope: 'sale', d: Discount | null): { saleDiscountRate: string | null; saleDiscountFixed: string | null };
function discountColumns(scope: 'line' | 'sale', d: Discount | null) {
  const rate = d?.kind === 'rate' ? new Decimal(d.value).toFixed(6) : null;
  const fixed = d?.kind === 'amount' ? new Decimal(d.value).toFixed(4) : null;
  return scope === 'line' ? { lineDiscountRate: rate, lineDiscountFixed: fixed } : { saleDiscountRate: rate, saleDiscountFixed: fixed };
}
