// The back office's catalog: products, their variants, barcodes and prices. Every change checks
// the version the manager was looking at (a stale one is a CONFLICT, never a silent overwrite),
// is audited with what it changed, and is journaled so a power cut cannot take it back.
import { Decimal } from 'decimal.js';
import { and, eq, inArray, isNull, ne, sql as dsql } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import { businesses } from '#db/schema/business.ts';
import { categories, products, productVariants } from '#db/schema/inventory.ts';
import { defineHandlers, requireSession, type CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { storeSettings } from '../settings/store-settings.ts';
import { checkBarcode } from './barcode-rules.ts';
import { journalProduct, journalVariant } from './catalog-facts.ts';
import { badBarcode, duplicateConflict, notFound, staleVersion } from './catalog-errors.ts';
import { listProducts, productDetail } from './catalog-queries.ts';
import { taxCodesFor, taxRateOf } from '#contract/tax-codes.ts';

type Product = typeof products.$inferSelect;
type Variant = typeof productVariants.$inferSelect;

type Entry = Parameters<typeof recordSessionAudit>[2];

/** An audit entry for this call; `db` is the change's transaction, so the two commit together. */
const audit = (ctx: CallContext, entry: Entry, db: AppDb = ctx.services.db) =>
  recordSessionAudit({ ...ctx.services, db }, requireSession(ctx), entry, ctx.approver);

const bump = { version: dsql`version + 1` } as const;

async function scaleLayouts(ctx: CallContext) {
  const terminal = ctx.services.terminal;
  return terminal ? (await storeSettings(ctx.services.sql, terminal.businessId, terminal.branchId)).scaleLayouts : undefined;
}

/** The barcode as it will be stored, refused when it cannot be a barcode or another live item has it in either form. */
async function acceptableBarcode(ctx: CallContext, typed: string, variantId: string | null): Promise<string> {
  const check = checkBarcode(typed, (await scaleLayouts(ctx)) ?? []);
  if (!check.ok) throw badBarcode(check.problem, typed);
  const s = requireSession(ctx);
  const [taken] = await ctx.services.db
    .select({ id: productVariants.id })
    .from(productVariants)
    .where(
      and(
        eq(productVariants.businessId, s.businessId),
        isNull(productVariants.deletedAt),
        inArray(productVariants.barcode, check.forms),
        variantId ? ne(productVariants.id, variantId) : undefined,
      ),
    )
    .limit(1);
  if (taken)
    throw new EngineError('CONFLICT', 'another item already has that barcode', { reason: 'DUPLICATE_BARCODE', code: check.printed });
  return check.printed;
}

async function checkTaxCode(ctx: CallContext, taxCode: Product['taxCode']) {
  const [business] = await ctx.services.db
    .select({ country: businesses.country })
    .from(businesses)
    .where(eq(businesses.id, requireSession(ctx).businessId));
  const allowed = taxCodesFor(business?.country ?? '');
  if (!allowed.includes(taxCode)) {
    throw new EngineError('INVALID_INPUT', `taxCode: ${taxCode} is not a tax of this country (${allowed.join(', ')})`, {
      field: 'taxCode',
      reason: 'TAX_CODE',
      allowed: allowed.join(', '),
    });
  }
}

async function checkCategory(ctx: CallContext, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const [found] = await ctx.services.db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.businessId, requireSession(ctx).businessId), isNull(categories.deletedAt)));
  if (!found) throw notFound('category');
}

async function liveProduct(ctx: CallContext, id: string): Promise<Product> {
  const [row] = await ctx.services.db
    .select()
    .from(products)
    .where(and(eq(products.id, id), eq(products.businessId, requireSession(ctx).businessId), isNull(products.deletedAt)));
  if (!row) throw notFound('product');
  return row;
}

async function liveVariant(ctx: CallContext, id: string): Promise<Variant> {
  const [row] = await ctx.services.db
    .select()
    .from(productVariants)
    .where(
      and(eq(productVariants.id, id), eq(productVariants.businessId, requireSession(ctx).businessId), isNull(productVariants.deletedAt)),
    );
  if (!row) throw notFound('variant');
  return row;
}

/** Field by field, what an edit changed: the audit entry's details. */
function changes<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) {
    const was = before[k];
    const same =
      typeof was === 'string' && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(was) && /^-?\d+(\.\d+)?$/.test(v)
        ? new Decimal(was).equals(v)
        : was === v || (was == null && v == null);
    if (!same) out[k] = [was ?? null, v ?? null];
  }
  return out;
}

/**
 * Updates a variant at the version the manager saw, with the audit entry `entry` makes of the new
 * row in the same transaction; a stale version is a CONFLICT naming the current one.
 */
async function updateVariant(
  ctx: CallContext,
  before: Variant,
  version: number,
  fields: Partial<Variant>,
  entry: (row: Variant) => Entry,
): Promise<Variant> {
  const row = await ctx.services.db
    .transaction(async (tx) => {
      const [updated] = await tx
        .update(productVariants)
        .set({ ...fields, ...bump })
        .where(and(eq(productVariants.id, before.id), eq(productVariants.version, version), isNull(productVariants.deletedAt)))
        .returning();
      if (updated) await audit(ctx, entry(updated), tx);
      return updated;
    })
    .catch(duplicateConflict);
  if (!row) throw staleVersion('variant', (await liveVariant(ctx, before.id)).version);
  journalVariant(ctx.services.journal, row, requireSession(ctx).employeeId);
  return row;
}

const variantFields = (v: Variant) => ({ variantId: v.id, version: v.version });

export const catalogHandlers = defineHandlers({
  async 'catalog.products'(input, ctx) {
    return listProducts(ctx.services.sql, {
      businessId: requireSession(ctx).businessId,
      branchId: ctx.services.terminal?.branchId ?? null,
      text: input.text,
      categoryId: input.categoryId,
      after: input.after,
      limit: input.limit,
    });
  },

  async 'catalog.product'(input, ctx) {
    const s = requireSession(ctx);
    const detail = await productDetail(ctx.services.sql, s.businessId, ctx.services.terminal?.branchId ?? null, input.productId);
    if (!detail) throw notFound('product');
    // What an item costs is for the people who buy it and set its price.
    const seesCost = s.permissions.has('catalog.manage') || s.permissions.has('inventory.receive');
    return seesCost ? detail : { ...detail, variants: detail.variants.map((v) => ({ ...v, cost: null })) };
  },

  async 'catalog.categories'(_input, ctx) {
    return ctx.services.db
      .select({ id: categories.id, name: categories.name, parentId: categories.parentId, color: categories.color })
      .from(categories)
      .where(and(eq(categories.businessId, requireSession(ctx).businessId), isNull(categories.deletedAt)))
      .orderBy(categories.sortOrder, categories.name);
  },

  async 'catalog.saveProduct'(input, ctx) {
    const s = requireSession(ctx);
    const { db, journal } = ctx.services;
    await checkTaxCode(ctx, input.taxCode);
    await checkCategory(ctx, input.categoryId);
    const fields = {
      name: input.name,
      brand: input.brand || null,
      description: input.description || null,
      categoryId: input.categoryId ?? null,
      soldBy: input.soldBy,
      unit: input.unit,
      taxCode: input.taxCode,
      taxRate: taxRateOf(input.taxCode),
      fiscalProductCode: input.fiscalProductCode ?? null,
      fiscalUnitCode: input.fiscalUnitCode ?? null,
      isActive: input.isActive,
    };
    if (input.id !== undefined) {
      const before = await liveProduct(ctx, input.id);
      const row = await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(products)
          .set({ ...fields, ...bump })
          .where(and(eq(products.id, before.id), eq(products.version, input.version!), isNull(products.deletedAt)))
          .returning();
        if (updated) {
          await audit(
            ctx,
            {
              action: 'catalog.product_updated',
              outcome: 'SUCCESS',
              entityType: 'product',
              entityId: updated.id,
              details: { name: updated.name, version: updated.version, changed: changes(before, fields) },
            },
            tx,
          );
        }
        return updated;
      });
      if (!row) throw staleVersion('product', (await liveProduct(ctx, before.id)).version);
      journalProduct(journal, row, s.employeeId);
      return { productId: row.id, version: row.version, variantId: null };
    }
    const first = input.variant!;
    const barcode = first.barcode ? await acceptableBarcode(ctx, first.barcode, null) : null;
    const saved = await db
      .transaction(async (tx) => {
        const [product] = await tx
          .insert(products)
          .values({ businessId: s.businessId, ...fields })
          .returning();
        const [variant] = await tx
          .insert(productVariants)
          .values({
            businessId: s.businessId,
            productId: product!.id,
            name: first.name || null,
            sku: first.sku,
            barcode,
            plu: first.plu ?? null,
            price: first.price,
            cost: first.cost ?? null,
          })
          .returning();
        await audit(
          ctx,
          {
            action: 'catalog.product_created',
            outcome: 'SUCCESS',
            entityType: 'product',
            entityId: product!.id,
            details: { name: product!.name, sku: variant!.sku, barcode, price: variant!.price, taxCode: input.taxCode },
          },
          tx,
        );
        return { product: product!, variant: variant! };
      })
      .catch(duplicateConflict);
    journalProduct(journal, saved.product, s.employeeId);
    journalVariant(journal, saved.variant, s.employeeId);
    return { productId: saved.product.id, version: saved.product.version, variantId: saved.variant.id };
  },

  async 'catalog.saveVariant'(input, ctx) {
    const s = requireSession(ctx);
    const product = await liveProduct(ctx, input.productId);
    const fields = {
      name: input.name || null,
      sku: input.sku,
      isActive: input.isActive,
      ...(input.plu !== undefined ? { plu: input.plu } : {}),
      ...(input.cost !== undefined ? { cost: input.cost } : {}),
    };
    if (input.id !== undefined) {
      const before = await liveVariant(ctx, input.id);
      if (before.productId !== product.id) throw notFound('variant');
      if (input.price !== undefined || input.barcode !== undefined) {
        throw new EngineError('INVALID_INPUT', 'change a price with catalog.setPrice and barcodes with catalog.addBarcode', {
          field: 'price',
          reason: 'USE_SET_PRICE',
        });
      }
      const row = await updateVariant(ctx, before, input.version!, fields, (r) => ({
        action: 'catalog.variant_updated',
        outcome: 'SUCCESS',
        entityType: 'variant',
        entityId: r.id,
        details: { product: product.name, sku: r.sku, version: r.version, changed: changes(before, fields) },
      }));
      return variantFields(row);
    }
    const barcode = input.barcode ? await acceptableBarcode(ctx, input.barcode, null) : null;
    const row = await ctx.services.db
      .transaction(async (tx) => {
        const [created] = await tx
          .insert(productVariants)
          .values({
            businessId: s.businessId,
            productId: product.id,
            price: input.price!,
            barcode,
            ...fields,
          })
          .returning();
        await audit(
          ctx,
          {
            action: 'catalog.variant_created',
            outcome: 'SUCCESS',
            entityType: 'variant',
            entityId: created!.id,
            details: { product: product.name, sku: created!.sku, barcode, price: created!.price },
          },
          tx,
        );
        return created;
      })
      .catch(duplicateConflict);
    journalVariant(ctx.services.journal, row!, s.employeeId);
    return variantFields(row!);
  },

  async 'catalog.addBarcode'(input, ctx) {
    const before = await liveVariant(ctx, input.variantId);
    if (before.barcode) {
      throw new EngineError('CONFLICT', `this item already has the barcode ${before.barcode}; remove it first`, {
        reason: 'HAS_BARCODE',
        code: before.barcode,
      });
    }
    const barcode = await acceptableBarcode(ctx, input.barcode, before.id);
    const row = await updateVariant(ctx, before, input.version, { barcode }, (r) => ({
      action: 'catalog.barcode_added',
      outcome: 'SUCCESS',
      entityType: 'variant',
      entityId: r.id,
      details: { sku: r.sku, barcode },
    }));
    return variantFields(row);
  },

  async 'catalog.removeBarcode'(input, ctx) {
    const before = await liveVariant(ctx, input.variantId);
    if (!before.barcode) throw new EngineError('CONFLICT', 'this item has no barcode to remove', { reason: 'NO_BARCODE' });
    // The variant keeps living without it; the code it had stays in the audit trail and the journal.
    const row = await updateVariant(ctx, before, input.version, { barcode: null }, (r) => ({
      action: 'catalog.barcode_removed',
      outcome: 'SUCCESS',
      entityType: 'variant',
      entityId: r.id,
      details: { sku: r.sku, barcode: before.barcode },
    }));
    return variantFields(row);
  },

  async 'catalog.setPrice'(input, ctx) {
    const before = await liveVariant(ctx, input.variantId);
    const fields = {
      price: new Decimal(input.price).toFixed(4),
      ...(input.cost !== undefined ? { cost: new Decimal(input.cost).toFixed(4) } : {}),
    };
    const changed = changes(before, fields);
    if (Object.keys(changed).length === 0) {
      if (before.version !== input.version) throw staleVersion('variant', before.version);
      return { ...variantFields(before), changed: false };
    }
    const row = await updateVariant(ctx, before, input.version, fields, (r) => ({
      action: 'catalog.price_changed',
      outcome: 'SUCCESS',
      entityType: 'variant',
      entityId: r.id,
      details: { sku: r.sku, from: before.price, to: r.price, ...(changed.cost ? { costFrom: before.cost, costTo: r.cost } : {}) },
    }));
    return { ...variantFields(row), changed: true };
  },
});
