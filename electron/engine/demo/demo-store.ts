// Reads and validates the demo store in resources/demo: a Mexican corner shop with staff,
// registers and a 2,000-product catalog. Files are a boundary like any other: checked here.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { BUSINESS_TYPES } from '#db/schema/business.ts';
import { SOLD_BY, TAX_CODES } from '#db/schema/inventory.ts';
import { TENDER_KINDS } from '#db/schema/payments.ts';
import { isValidGtin } from '#contract/gtin.ts';
import { isPermission, PERMISSION_CODES, type Permission } from '#contract/permissions.ts';
import { APP_LAYOUT } from '#db/app-root.ts';

export const DEMO_DIR = APP_LAYOUT.demo;

const decimal = (scale: number) =>
  z.string().regex(new RegExp(`^\\d{1,15}(\\.\\d{1,${scale}})?$`), `a decimal with at most ${scale} places`);
const rateString = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'a fraction between 0 and 1');

const storeSchema = z
  .object({
    business: z.object({
      id: z.uuid(),
      name: z.string().min(1),
      legalName: z.string().min(1),
      type: z.enum(BUSINESS_TYPES),
      country: z.string().regex(/^[A-Z]{2}$/),
      currency: z.string().regex(/^[A-Z]{3}$/),
      taxId: z.string().min(1),
      pricesIncludeTax: z.boolean(),
      features: z.record(z.string(), z.boolean()),
    }),
    branch: z.object({
      code: z.string().min(1),
      name: z.string().min(1),
      timezone: z.string().refine(isTimeZone, 'an IANA time zone'),
      addressLine1: z.string().min(1),
      addressLine2: z.string().optional(),
      city: z.string().min(1),
      state: z.string().min(1),
      postalCode: z.string().min(1),
      country: z.string().regex(/^[A-Z]{2}$/),
      phone: z.string().optional(),
    }),
    registers: z.array(z.object({ code: z.string().min(1), name: z.string().min(1) })).min(1),
    roles: z
      .array(
        z.object({
          key: z.string().min(1),
          name: z.string().min(1),
          description: z.string(),
          maxDiscountRate: rateString,
          permissions: z.union([z.literal('*'), z.array(z.string().refine(isPermission, 'a known permission'))]),
        }),
      )
      .min(1),
    employees: z
      .array(
        z.object({
          code: z.string().min(1),
          displayName: z.string().min(1),
          email: z.email(),
          phone: z.string().regex(/^\+[1-9][0-9]{6,14}$/),
          role: z.string().min(1),
          pin: z.string().regex(/^\d{4,8}$/, '4 to 8 digits'),
          password: z.string().min(12).optional(),
          /** The authenticator secret (base32) the demo gives this person, printed in the README. */
          totpSecret: z
            .string()
            .regex(/^[A-Z2-7]{32}$/, '32 base32 characters')
            .optional(),
        }),
      )
      .min(1),
    /**
     * The branch's issuer of CFDIs: the legal name as on the Constancia de Situación Fiscal (for a
     * company, without its "S.A. de C.V."), its régimen fiscal, the series of its invoices and its PAC.
     */
    fiscalProfile: z
      .object({
        legalName: z.string().min(1),
        taxRegime: z.string().regex(/^[0-9]{3}$/),
        series: z.string().regex(/^[A-Z0-9]{1,10}$/),
        provider: z.string().min(1),
        environment: z.enum(['TEST', 'PRODUCTION']),
      })
      .optional(),
    paymentMethods: z
      .array(
        z.object({
          code: z.string().min(1),
          name: z.string().min(1),
          kind: z.enum(TENDER_KINDS),
          opensDrawer: z.boolean(),
          /** { integrated: true }: the register's card terminal, offered where one is paired. */
          settings: z.record(z.string(), z.unknown()).default({}),
        }),
      )
      .min(1),
    /** The shop's open-price items ("Varios"), one per tax rate (services/catalog/open-price.ts). */
    openPriceItems: z.array(z.object({ taxCode: z.enum(TAX_CODES), name: z.string().min(1) })).default([]),
    /** The item a gift card is sold as (services/payments/gift-cards.ts): tax-exempt, priced when sold. */
    giftCardItem: z.object({ name: z.string().min(1) }).optional(),
    settings: z.record(z.string(), z.unknown()),
  })
  .superRefine((store, ctx) => {
    const roleKeys = new Set(store.roles.map((r) => r.key));
    store.employees.forEach((e, i) => {
      if (!roleKeys.has(e.role)) ctx.addIssue({ code: 'custom', path: ['employees', i, 'role'], message: `unknown role "${e.role}"` });
    });
    store.openPriceItems.forEach((item, i) => {
      if (store.openPriceItems.findIndex((o) => o.taxCode === item.taxCode) !== i) {
        ctx.addIssue({ code: 'custom', path: ['openPriceItems', i, 'taxCode'], message: `a second open-price item at ${item.taxCode}` });
      }
    });
  });

const catalogRowSchema = z
  .object({
    product_key: z.string().min(1),
    category: z.string().min(1),
    product: z.string().min(1),
    brand: z.string(),
    variant: z.string(),
    sku: z.string().min(1),
    barcode: z.string().refine((b) => b === '' || isValidGtin(b), 'a GTIN with a valid check digit'),
    plu: z.string().regex(/^(\d{5})?$/, 'empty or 5 digits'),
    price: decimal(4),
    cost: z.union([z.literal(''), decimal(4)]),
    sold_by: z.enum(SOLD_BY),
    unit: z.string().min(1),
    tax_code: z.enum(TAX_CODES),
    tax_rate: rateString,
    fiscal_product_code: z.string(),
    fiscal_unit_code: z.string(),
  })
  .refine((r) => r.barcode !== '' || r.plu !== '', 'a barcode or a PLU');

export type DemoStore = z.infer<typeof storeSchema>;
export type CatalogRow = z.infer<typeof catalogRowSchema>;

export function rolePermissions(role: DemoStore['roles'][number]): Permission[] {
  return role.permissions === '*' ? PERMISSION_CODES : (role.permissions as Permission[]);
}

export function readDemoStore(dir = DEMO_DIR): { store: DemoStore; catalog: CatalogRow[] } {
  const store = parseOrExplain(storeSchema, JSON.parse(readFileSync(`${dir}/store.json`, 'utf8')), 'store.json');
  let catalog: CatalogRow[] | undefined;
  return {
    store,
    // Parsed and checked on first use: every start of the demo store reads this, and only the
    // first one seeds (the 2,000 rows cost about 0.3 s of an engine child's 2.3 s start here).
    get catalog() {
      catalog ??= readCatalog(dir);
      return catalog;
    },
  };
}

function readCatalog(dir: string): CatalogRow[] {
  const records = parse(readFileSync(`${dir}/catalog.csv`, 'utf8'), { columns: true, skip_empty_lines: true }) as unknown[];
  return records.map((row, i) => parseOrExplain(catalogRowSchema, row, `catalog.csv line ${i + 2}`));
}

function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(`${where}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
