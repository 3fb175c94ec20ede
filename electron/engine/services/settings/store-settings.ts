// The business and branch settings the selling and shift code reads, validated once and
// cached briefly: a branch row overrides the business-wide row of the same key.
import { z } from 'zod';
import type { SqlSession } from '#db/sql-session.ts';
import { DEFAULT_SCALE_LAYOUTS, type ScaleLayout } from '../catalog/scanned-code.ts';
import { devicesByRegisterSchema, type RegisterDevices } from '#contract/device-settings.ts';
import { DEFAULT_PRINTER_PORTS } from '#contract/printer-uri.ts';
import { UNCERTAIN_PRINT_CHOICES, type UncertainPrintChoice } from '#contract/sales-vocabulary.ts';
import { parseSelfInvoicingBase, SELF_INVOICING_SETTING } from '#contract/self-invoicing.ts';
import type { CashLimits } from '../shifts/cash-count.ts';
import { CURRENCY_RULES, type CurrencyRules } from '../sales/pricing.ts';
import { log } from '#engine/log/logger.ts';

const decimal = z.string().regex(/^\d+(\.\d+)?$/);

const layoutSchema = z
  .object({
    prefixes: z.array(z.string().regex(/^\d{2}$/)).min(1),
    itemDigits: z.number().int().min(4).max(6),
    value: z.enum(['weight', 'price']),
    valueDecimals: z.number().int().min(0).max(3),
    valueCheckDigit: z.boolean(),
  })
  .strict();

const SETTINGS = {
  'sale.cashIncrement': decimal.optional(),
  /** Cash received over this many times what is due (and over the change a large banknote gives) is confirmed first. */
  'sale.cashConfirmMultiple': z
    .string()
    .regex(/^\d{1,4}(\.\d{1,2})?$/)
    .default('20'),
  'scale.layouts': z.array(layoutSchema).optional(),
  'shift.varianceTolerance': decimal.default('0'),
  'shift.blindClose': z.boolean().default(true),
  'shift.denominations': z.array(decimal).default([]),
  /** The largest pay-in, pay-out and opening float a cashier records alone; above, a manager authorises it. Absent: no limit. */
  'shift.maxPayIn': decimal.optional(),
  'shift.maxPayOut': decimal.optional(),
  'shift.maxOpeningFloat': decimal.optional(),
  'receipt.footer': z.string().max(500).optional(),
  'receipt.paperWidth': z.union([z.literal(58), z.literal(80)]).default(80),
  /** A receipt whose printing outcome is unknown (the printer hung mid-job, the engine was killed): print a copy marked as a reprint, or ask the cashier. */
  'receipt.uncertain': z.enum(UNCERTAIN_PRINT_CHOICES).default('copy'),
  /** Register code to its printer, scanners, display and scale (contract/device-settings.ts). */
  'devices.registers': devicesByRegisterSchema.default({}),
  /** TCP ports a printer may be on besides 9100–9109 (contract/printer-uri.ts). */
  'devices.printerPorts': z.array(z.number().int().min(1).max(65535)).max(50).default([]),
  /** The store's logo for the top of receipts: a PNG, base64 (up to about 300 KB). */
  'receipt.logo': z
    .string()
    .max(400_000)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .optional(),
  /** The self-invoicing page a receipt's QR code points at; {code} becomes the receipt code. */
  'receipt.invoiceUrl': z.string().url().max(300).optional(),
  /** Central's self-invoicing page for a Mexican business: a receipt's QR opens {base}/factura?r=CODE (contract/self-invoicing.ts). */
  [SELF_INVOICING_SETTING]: z
    .string()
    .transform((value, ctx) => {
      const parsed = parseSelfInvoicingBase(value);
      if ('base' in parsed) return parsed.base;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    })
    .optional(),
  /** A gift card sold now expires after this many months; never when absent. */
  'giftCard.validMonths': z.number().int().min(1).max(120).optional(),
  /** What a register cut off from central may take of one gift card in a business day, on its own word. */
  'giftCard.offlineLimit': decimal.default('0'),
  /** Central tells the managers when a register with an open shift has not been in touch for this long. */
  'register.silentAfterMinutes': z.number().int().min(1).max(1440).default(15),
};

export type StoreSettings = {
  businessId: string;
  branchId: string;
  currency: string;
  rules: CurrencyRules;
  pricesIncludeTax: boolean;
  timezone: string;
  scaleLayouts: readonly ScaleLayout[];
  varianceTolerance: string;
  cashConfirmMultiple: string;
  blindClose: boolean;
  denominations: string[];
  cashLimits: CashLimits;
  receiptFooter: string | null;
  paperWidth: 58 | 80;
  uncertainPrint: UncertainPrintChoice;
  devices: Record<string, RegisterDevices>;
  /** The TCP ports a printer may be configured or tested on: 9100–9109 and the store's own. */
  printerPorts: number[];
  invoiceUrl: string | null;
  /** The base of central's self-invoicing page (invoicing.selfServiceUrl), or null when the business has none. */
  selfInvoicingBase: string | null;
  logo: string | null;
  silentAfterMinutes: number;
  giftCardValidMonths: number | null;
  giftCardOfflineLimit: string;
};

/** The tables storeSettings reads: a change to any of them (a pull that brings rows) forgets the cached settings. */
export const STORE_SETTINGS_TABLES = ['business.settings', 'business.businesses', 'business.branches'] as const;

const TTL_MS = 30_000;
// Kept per database: two engines in one process (a test run, a chaos child with ten terminals)
// hold stores that may share a business id, and each reads its own settings.
const caches = new WeakMap<SqlSession, Map<string, { at: number; value: StoreSettings }>>();

export async function storeSettings(sql: SqlSession, businessId: string, branchId: string): Promise<StoreSettings> {
  const key = `${businessId}/${branchId}`;
  let cache = caches.get(sql);
  if (!cache) caches.set(sql, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const [place] = await sql.query<{ currency: string; prices_include_tax: boolean; timezone: string }>(
    `SELECT b.currency, b.prices_include_tax, br.timezone FROM business.businesses b
     JOIN business.branches br ON br.business_id = b.id WHERE b.id = $1 AND br.id = $2`,
    [businessId, branchId],
  );
  if (!place) throw new Error(`business ${businessId} has no branch ${branchId}`);
  const rows = await sql.query<{ key: string; value: unknown }>(
    `SELECT key, value FROM business.settings WHERE business_id = $1 AND (branch_id IS NULL OR branch_id = $2)
       AND deleted_at IS NULL ORDER BY branch_id NULLS FIRST`,
    [businessId, branchId],
  );
  const raw: Record<string, unknown> = {};
  for (const row of rows) raw[row.key] = row.value; // branch rows come last and win
  const read = <K extends keyof typeof SETTINGS>(name: K): z.output<(typeof SETTINGS)[K]> => {
    const parsed = SETTINGS[name].safeParse(raw[name]);
    // A bad value in the database must not stop the till: the safe default applies and is logged.
    if (!parsed.success) {
      log.warn({ setting: name }, `settings: ${name} = ${JSON.stringify(raw[name])} is not valid; using the default`);
      return SETTINGS[name].parse(undefined) as z.output<(typeof SETTINGS)[K]>;
    }
    return parsed.data as z.output<(typeof SETTINGS)[K]>;
  };
  const base = CURRENCY_RULES[place.currency as keyof typeof CURRENCY_RULES] ?? { currency: place.currency, minorUnits: 2 };
  const cashIncrement = read('sale.cashIncrement');
  const value: StoreSettings = {
    businessId,
    branchId,
    currency: place.currency,
    rules: cashIncrement ? { ...base, cashIncrement } : base,
    pricesIncludeTax: place.prices_include_tax,
    timezone: place.timezone,
    scaleLayouts: read('scale.layouts') ?? DEFAULT_SCALE_LAYOUTS,
    varianceTolerance: read('shift.varianceTolerance'),
    cashConfirmMultiple: read('sale.cashConfirmMultiple'),
    blindClose: read('shift.blindClose'),
    denominations: read('shift.denominations'),
    cashLimits: {
      payIn: read('shift.maxPayIn') ?? null,
      payOut: read('shift.maxPayOut') ?? null,
      openingFloat: read('shift.maxOpeningFloat') ?? null,
    },
    receiptFooter: read('receipt.footer') ?? null,
    paperWidth: read('receipt.paperWidth'),
    uncertainPrint: read('receipt.uncertain'),
    devices: read('devices.registers'),
    printerPorts: [...DEFAULT_PRINTER_PORTS, ...read('devices.printerPorts')],
    invoiceUrl: read('receipt.invoiceUrl') ?? null,
    selfInvoicingBase: read(SELF_INVOICING_SETTING) ?? null,
    logo: read('receipt.logo') ?? null,
    silentAfterMinutes: read('register.silentAfterMinutes'),
    giftCardValidMonths: read('giftCard.validMonths') ?? null,
    giftCardOfflineLimit: read('giftCard.offlineLimit'),
  };
  cache.set(key, { at: Date.now(), value });
  return value;
}

/** After a settings change (back office or sync), the next call on this database reads them afresh. */
export function forgetStoreSettings(sql: SqlSession): void {
  caches.delete(sql);
}
