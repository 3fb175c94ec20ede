// Catalog conflicts as the back office and `pos sync status` show them: an edit made at one
// register that central refused because another register's edit of the same product or variant
// got there first. Field by field, what the refused edit says ("ours": what the register that
// made it saved) and what central holds ("theirs"), so a manager can keep one.
import { z } from 'zod';
import { utcTime } from './fields.ts';

/** The fields a manager edits in the back office, in the order the screens show them. */
export const PRODUCT_CONFLICT_FIELDS = [
  'name',
  'brand',
  'description',
  'category',
  'soldBy',
  'unit',
  'taxCode',
  'fiscalProductCode',
  'fiscalUnitCode',
  'isActive',
] as const;
export const VARIANT_CONFLICT_FIELDS = ['name', 'sku', 'barcode', 'plu', 'price', 'cost', 'isActive'] as const;
export const CONFLICT_FIELDS = [...new Set([...PRODUCT_CONFLICT_FIELDS, ...VARIANT_CONFLICT_FIELDS])] as [
  ConflictField,
  ...ConflictField[],
];
export type ConflictField = (typeof PRODUCT_CONFLICT_FIELDS)[number] | (typeof VARIANT_CONFLICT_FIELDS)[number];

/** A field's value: text (money as a decimal string, a category by its name), a yes/no, or nothing. */
export const conflictValue = z.union([z.string(), z.boolean(), z.null()]);

export const conflictDifference = z.object({ field: z.enum(CONFLICT_FIELDS), ours: conflictValue, theirs: conflictValue }).strict();
export type ConflictDifference = z.output<typeof conflictDifference>;

export const KEEP_CHOICES = ['OURS', 'THEIRS'] as const;
export type KeepChoice = (typeof KEEP_CHOICES)[number];

export const catalogConflict = z
  .object({
    id: z.uuid(),
    kind: z.enum(['product', 'variant']),
    /** The product's or the variant's id. */
    rowId: z.uuid(),
    productId: z.uuid().nullable(),
    /** The product's name as central has it now. */
    productName: z.string().nullable(),
    /** A variant's SKU as central has it now (null for a product). */
    sku: z.string().nullable(),
    /** The register whose edit was refused. */
    register: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).strict().nullable(),
    /** Who made the refused edit. */
    author: z.object({ id: z.uuid(), name: z.string() }).strict().nullable(),
    createdAt: utcTime,
    ourVersion: z.number().int(),
    theirVersion: z.number().int(),
    /** The fields the two sides disagree on (none left when a later edit made them agree). */
    differences: z.array(conflictDifference),
  })
  .strict();
export type CatalogConflict = z.output<typeof catalogConflict>;

/** What central answered, or why it could not be asked (`none`: this register has no central). */
export const catalogConflicts = z.discriminatedUnion('central', [
  z.object({ central: z.literal('answered'), conflicts: z.array(catalogConflict) }).strict(),
  z.object({ central: z.literal('unreachable'), reason: z.string() }).strict(),
  z.object({ central: z.literal('none') }).strict(),
]);
export type CatalogConflicts = z.output<typeof catalogConflicts>;

export const conflictResolution = z
  .object({
    conflictId: z.uuid(),
    keep: z.enum(KEEP_CHOICES),
    resolvedAt: utcTime,
    /** Keeping ours: the edit saved again at this register (the product's or variant's new version), null when nothing needed saving. */
    savedVersion: z.number().int().nullable(),
  })
  .strict();
