// Loads the demo store into a terminal's database, or central's, in one transaction. Running it
// again on a seeded database changes nothing. Every row's id comes from its natural key, so a
// terminal and central that were both seeded hold the same rows under the same ids, and the
// terminal's pulls from central update them instead of colliding with them.
import { createHash } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AppDb } from '#db/app-db.ts';
import {
  branches,
  businesses,
  cashRegisters,
  categories,
  employeeBranches,
  employees,
  fiscalProfiles,
  paymentMethods,
  permissions,
  productVariants,
  products,
  rolePermissions,
  roles,
  settings,
  stockLevels,
  stockMovements,
  userIdentities,
  users,
} from '#db/schema/index.ts';
import { ensurePermissions } from '../services/auth/grants.ts';
import { hashSecret } from '../services/auth/secret-hash.ts';
import { openPriceSku } from '../services/catalog/open-price.ts';
import { GIFT_CARD_SKU } from '../services/payments/gift-cards.ts';
import { taxRateOf } from '#contract/tax-codes.ts';
import { rolePermissions as permissionsOf, type CatalogRow, type DemoStore } from './demo-store.ts';
import { seedId } from './seed-ids.ts';

/** Counts only when this call seeded: counting a store seeded before costs its every start (0.4 s at 1,000,000 products). */
export type SeedResult =
  | { seeded: true; businessId: string; products: number; variants: number; employees: number }
  | { seeded: false; businessId: string };

const CHUNK = 500;

export async function seedDemoStore(db: AppDb, demo: { store: DemoStore; catalog: CatalogRow[] }): Promise<SeedResult> {
  const { store } = demo;
  // A pull from central that has begun (its users come before the business) counts as seeded:
  // the rest of the store is on its way down.
  const id = (kind: string, key: string) => seedId(store.business.id, kind, key);
  const existing = [
    ...(await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.id, store.business.id))),
    ...(await db
      .select({ id: users.id })
      .from(users)
      .where(
        inArray(
          users.id,
          store.employees.map((e) => id('user', e.code)),
        ),
      )),
  ];
  if (existing.length > 0) return { seeded: false, businessId: store.business.id };
  // Read only now: a store seeded before opens without parsing the catalog file (demo-store.ts).
  const { catalog } = demo;

  // Hash outside the transaction: Argon2 is deliberately slow and PGlite runs one thing at a time.
  const secrets = await Promise.all(
    store.employees.map(async (e) => ({
      pin: await hashSecret(e.pin),
      password: e.password === undefined ? undefined : await hashSecret(e.password),
    })),
  );
  const now = new Date();

  await db.transaction(async (tx) => {
    await ensurePermissions(tx as unknown as AppDb);
    const permissionIds = new Map((await tx.select().from(permissions)).map((p) => [p.code, p.id]));

    const people = store.employees.map((e) => ({ ...e, userId: id('user', e.code), employeeId: id('employee', e.code) }));
    await tx.insert(users).values(
      people.map((p) => ({
        id: p.userId,
        email: p.email.toLowerCase(),
        phone: p.phone,
        displayName: p.displayName,
        locale: 'es-MX',
      })),
    );
    const owner = people.find((p) => p.role === 'owner') ?? people[0]!;

    const businessId = store.business.id;
    await tx.insert(businesses).values({ ...store.business, ownerUserId: owner.userId });
    const branchId = id('branch', store.branch.code);
    await tx.insert(branches).values({ id: branchId, businessId, ...store.branch });
    await tx.insert(cashRegisters).values(store.registers.map((r) => ({ id: id('register', r.code), businessId, branchId, ...r })));
    if (store.fiscalProfile) {
      // The branch issues from the business's RFC; LugarExpedicion is the branch's postal code.
      await tx.insert(fiscalProfiles).values({
        id: id('fiscal-profile', store.branch.code),
        businessId,
        branchId,
        country: store.business.country,
        taxId: store.business.taxId,
        postalCode: store.branch.postalCode,
        ...store.fiscalProfile,
      });
    }

    const roleIds = new Map(store.roles.map((r) => [r.key, id('role', r.key)]));
    await tx.insert(roles).values(
      store.roles.map((r) => ({
        id: roleIds.get(r.key)!,
        businessId,
        name: r.name,
        description: r.description,
        maxDiscountRate: r.maxDiscountRate,
      })),
    );
    await tx.insert(rolePermissions).values(
      store.roles.flatMap((r) =>
        permissionsOf(r).map((code) => ({
          id: id('role-permission', `${r.key}:${code}`),
          roleId: roleIds.get(r.key)!,
          permissionId: permissionIds.get(code)!,
        })),
      ),
    );

    await tx.insert(employees).values(
      people.map((p) => ({
        id: p.employeeId,
        businessId,
        userId: p.userId,
        roleId: roleIds.get(p.role)!,
        code: p.code,
        displayName: p.displayName,
      })),
    );
    await tx
      .insert(employeeBranches)
      .values(people.map((p) => ({ id: id('employee-branch', `${p.code}:${store.branch.code}`), employeeId: p.employeeId, branchId })));
    await tx.insert(userIdentities).values(
      people.flatMap((p, i) => [
        { id: id('identity', `${p.code}:PIN`), userId: p.userId, businessId, provider: 'PIN' as const, secretHash: secrets[i]!.pin },
        ...(secrets[i]!.password === undefined
          ? []
          : [
              {
                id: id('identity', `${p.code}:PASSWORD`),
                userId: p.userId,
                provider: 'PASSWORD' as const,
                subject: p.email.toLowerCase(),
                secretHash: secrets[i]!.password,
              },
            ]),
      ]),
    );

    await tx
      .insert(paymentMethods)
      .values(store.paymentMethods.map((m, i) => ({ id: id('payment-method', m.code), businessId, sortOrder: i, ...m })));
    await tx
      .insert(settings)
      .values(Object.entries(store.settings).map(([key, value]) => ({ id: id('setting', key), businessId, key, value })));

    const categoryIds = new Map<string, string>();
    for (const row of catalog) if (!categoryIds.has(row.category)) categoryIds.set(row.category, id('category', row.category));
    await tx.insert(categories).values([...categoryIds].map(([name, id], sortOrder) => ({ id, businessId, name, sortOrder })));

    const productIds = new Map<string, string>();
    const productRows: (typeof products.$inferInsert)[] = [];
    for (const row of catalog) {
      if (productIds.has(row.product_key)) continue;
      const productId = id('product', row.product_key);
      productIds.set(row.product_key, productId);
      productRows.push({
        id: productId,
        businessId,
        categoryId: categoryIds.get(row.category)!,
        name: row.product,
        brand: row.brand || null,
        soldBy: row.sold_by,
        unit: row.unit,
        taxCode: row.tax_code,
        taxRate: row.tax_rate,
        fiscalProductCode: row.fiscal_product_code || null,
        fiscalUnitCode: row.fiscal_unit_code || null,
      });
    }
    const variantRows = catalog.map((row) => ({
      id: id('variant', row.sku),
      businessId,
      productId: productIds.get(row.product_key)!,
      name: row.variant || null,
      sku: row.sku,
      barcode: row.barcode || null,
      plu: row.plu || null,
      price: row.price,
      cost: row.cost || null,
    }));
    // Opening stock arrives as a RECEIVE movement so the level equals the sum of the ledger.
    const opening = variantRows.map((variant, i) => ({ variant, row: catalog[i]!, quantity: openingStock(catalog[i]!) }));

    for (const chunk of chunks(productRows)) await tx.insert(products).values(chunk);
    for (const chunk of chunks(variantRows)) await tx.insert(productVariants).values(chunk);
    // Open-price items have no category (they are not tapped in the grid), no barcode and no
    // stock to count: the cashier rings them up with a description and a price.
    for (const item of store.openPriceItems) {
      const sku = openPriceSku(item.taxCode);
      await tx.insert(products).values({
        id: id('product', sku),
        businessId,
        categoryId: null,
        name: item.name,
        soldBy: 'UNIT',
        unit: 'pza',
        taxCode: item.taxCode,
        taxRate: taxRateOf(item.taxCode),
        fiscalProductCode: '01010101',
        fiscalUnitCode: 'H87',
      });
      await tx.insert(productVariants).values({ id: id('variant', sku), businessId, productId: id('product', sku), sku, price: '0' });
    }
    if (store.giftCardItem) {
      await tx.insert(products).values({
        id: id('product', GIFT_CARD_SKU),
        businessId,
        categoryId: null,
        name: store.giftCardItem.name,
        soldBy: 'UNIT',
        unit: 'pza',
        taxCode: 'EXENTO',
        taxRate: taxRateOf('EXENTO'),
        fiscalProductCode: '01010101',
        fiscalUnitCode: 'H87',
      });
      await tx
        .insert(productVariants)
        .values({ id: id('variant', GIFT_CARD_SKU), businessId, productId: id('product', GIFT_CARD_SKU), sku: GIFT_CARD_SKU, price: '0' });
    }
    for (const chunk of chunks(opening)) {
      await tx.insert(stockMovements).values(
        chunk.map(({ variant, row, quantity }) => ({
          id: id('opening-stock', row.sku),
          variantId: variant.id,
          branchId,
          kind: 'RECEIVE' as const,
          quantity,
          unitCost: variant.cost,
          reason: 'Inventario inicial de la tienda de demostración',
          idempotencyKey: `demo-seed:${variant.id}`,
          occurredAt: now,
        })),
      );
      await tx.insert(stockLevels).values(
        chunk.map(({ variant, row, quantity }) => ({
          id: id('stock-level', row.sku),
          variantId: variant.id,
          branchId,
          quantity,
          reorderPoint: row.sold_by === 'WEIGHT' ? '5.000' : '6',
        })),
      );
    }
  });
  return { seeded: true, ...(await heldCounts(db, store.business.id)) };
}

/** What the database holds of the business, counted rather than taken from the files it was seeded from. */
async function heldCounts(db: AppDb, businessId: string) {
  const live = <T extends typeof products | typeof productVariants | typeof employees>(table: T) =>
    db.$count(table, and(eq(table.businessId, businessId), isNull(table.deletedAt)));
  return { businessId, products: await live(products), variants: await live(productVariants), employees: await live(employees) };
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK);
}

/** A stable, varied opening quantity per SKU: whole units, or kilograms to the gram. */
function openingStock(row: CatalogRow): string {
  const n = createHash('sha256').update(row.sku).digest().readUInt32BE(0);
  if (row.sold_by === 'WEIGHT') return `${10 + (n % 50)}.${String(n % 1000).padStart(3, '0')}`;
  return String(8 + (n % 113));
}
