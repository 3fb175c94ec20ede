// The back office's catalog calls: products with their variants, barcodes and prices. Reads are
// open to anyone signed in (a cashier searches the same catalog at the till); every change needs
// catalog.manage and names the version it edits, so two managers cannot overwrite each other.
import { z } from 'zod';
import { TAX_CODES, SOLD_BY } from '../tax-codes.ts';
import { amount, call, name, text } from '../fields.ts';
import { productDetail, productPage } from '../catalog-products.ts';

const version = z.number().int().min(1).max(2_000_000_000);
const sku = text(40, { min: 1 }).regex(/^[A-Za-z0-9._/-]+$/, 'a SKU is letters, digits and . _ / -');
const barcode = text(14).regex(/^\d{8,14}$/, 'a barcode is 8 to 14 digits');
const plu = text(6).regex(/^\d{1,6}$/, 'a PLU is 1 to 6 digits');

/** What an edit of a variant answers: the version to name in the next edit. */
const variantVersion = z.object({ variantId: z.uuid(), version: z.number().int().min(1) }).strict();

const firstVariant = z
  .object({
    name: text(80).optional(),
    sku,
    price: amount,
    cost: amount.optional(),
    barcode: barcode.optional(),
    plu: plu.optional(),
  })
  .strict();

export const catalogCalls = {
  /** One page of products: the best matches for `text`, or every product newest first, page by page. */
  'catalog.products': call(
    'session',
    z
      .object({
        text: text(100).optional(),
        categoryId: z.uuid().optional(),
        /** The last product of the previous page (browsing without text). */
        after: z.uuid().optional(),
        limit: z.number().int().min(1).max(100).default(25),
      })
      .strict(),
    { output: productPage },
  ),
  'catalog.product': call('session', z.object({ productId: z.uuid() }).strict(), { output: productDetail }),
  /** In the order the store gave them, then by name. */
  'catalog.categories': call('session', z.object({}).strict(), {
    output: z.array(z.object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable(), color: z.string().nullable() }).strict()),
  }),
  'catalog.saveProduct': call(
    'catalog.manage',
    z
      .object({
        /** With `version` to edit a product; without both, a new product with its first variant. */
        id: z.uuid().optional(),
        version: version.optional(),
        name,
        brand: text(80).optional(),
        description: text(500, { multiline: true }).optional(),
        categoryId: z.uuid().nullable().optional(),
        soldBy: z.enum(SOLD_BY).default('UNIT'),
        unit: text(10, { min: 1 }).default('pza'),
        taxCode: z.enum(TAX_CODES),
        fiscalProductCode: text(20)
          .regex(/^[A-Za-z0-9]{1,20}$/, 'a fiscal product code is letters and digits')
          .optional(),
        fiscalUnitCode: text(10)
          .regex(/^[A-Za-z0-9]{1,10}$/, 'a fiscal unit code is letters and digits')
          .optional(),
        isActive: z.boolean().default(true),
        variant: firstVariant.optional(),
      })
      .strict()
      .refine((v) => (v.id === undefined) === (v.version === undefined), 'an edit names the product and the version it changes')
      .refine((v) => v.id !== undefined || v.variant !== undefined, {
        message: 'a new product needs its first variant (SKU and price)',
        path: ['variant'],
      }),
    {
      /** The product's new version; variantId is its first variant's when the product is new, else null. */
      output: z.object({ productId: z.uuid(), version: z.number().int().min(1), variantId: z.uuid().nullable() }).strict(),
    },
  ),
  'catalog.saveVariant': call(
    'catalog.manage',
    z
      .object({
        /** With `version` to edit a variant; without both, a new variant of `productId`. */
        id: z.uuid().optional(),
        version: version.optional(),
        productId: z.uuid(),
        name: text(80).optional(),
        sku,
        plu: plu.nullable().optional(),
        cost: amount.nullable().optional(),
        isActive: z.boolean().default(true),
        /** A new variant's first price and barcode; afterwards catalog.setPrice and catalog.addBarcode. */
        price: amount.optional(),
        barcode: barcode.optional(),
      })
      .strict()
      .refine((v) => (v.id === undefined) === (v.version === undefined), 'an edit names the variant and the version it changes')
      .refine((v) => v.id !== undefined || v.price !== undefined, { message: 'a new variant needs a price', path: ['price'] }),
    { output: variantVersion },
  ),
  'catalog.addBarcode': call('catalog.manage', z.object({ variantId: z.uuid(), version, barcode }).strict(), { output: variantVersion }),
  'catalog.removeBarcode': call('catalog.manage', z.object({ variantId: z.uuid(), version }).strict(), { output: variantVersion }),
  /** `changed` is false when the price and cost were already these: nothing was written, the version stays. */
  'catalog.setPrice': call('catalog.manage', z.object({ variantId: z.uuid(), version, price: amount, cost: amount.optional() }).strict(), {
    output: variantVersion.extend({ changed: z.boolean() }).strict(),
  }),
};
