// The catalog's refusals with a reason the screens word in the cashier's language.
import { conflictOnDuplicate } from '#engine/db-errors.ts';
import { EngineError } from '#engine/errors.ts';
import type { BarcodeProblem } from './barcode-rules.ts';

const DUPLICATES: Record<string, [reason: string, message: string]> = {
  product_variants_business_id_sku_key: ['DUPLICATE_SKU', 'another item already has that SKU'],
  product_variants_business_id_barcode_key: ['DUPLICATE_BARCODE', 'another item already has that barcode'],
  product_variants_business_id_plu_key: ['DUPLICATE_PLU', 'another item already has that PLU'],
};

/** A unique-index violation as a CONFLICT naming what was duplicated; anything else is rethrown. */
export function duplicateConflict(err: unknown): never {
  try {
    conflictOnDuplicate(err, Object.fromEntries(Object.entries(DUPLICATES).map(([k, [, message]]) => [k, message])));
  } catch (e) {
    if (e instanceof EngineError && e.code === 'CONFLICT') {
      const constraint = String(e.params?.constraint ?? '');
      const hit = Object.entries(DUPLICATES).find(([name]) => constraint.includes(name) || e.message === DUPLICATES[name]![1]);
      throw new EngineError('CONFLICT', e.message, { reason: hit?.[1][0] ?? 'DUPLICATE' });
    }
    throw e;
  }
}

export const staleVersion = (what: 'product' | 'variant' | 'stock', currentVersion: number) =>
  new EngineError('CONFLICT', `the ${what} was changed by someone else meanwhile (now version ${currentVersion}); look at it again`, {
    reason: 'STALE_VERSION',
    what,
    currentVersion,
  });

export const notFound = (what: 'product' | 'variant' | 'category') =>
  new EngineError('NOT_FOUND', `no such ${what} in this business`, { reason: 'CATALOG', what });

const BARCODE_MESSAGES: Record<BarcodeProblem, string> = {
  NOT_A_GTIN: 'a barcode is an EAN-8, UPC-A, EAN-13 or GTIN-14: 8, 12, 13 or 14 digits',
  BAD_CHECK_DIGIT: 'the last digit of that barcode does not check; type it again',
  SCALE_RANGE: "that barcode is in the range the store's scales print their labels in",
};

export const badBarcode = (problem: BarcodeProblem, code: string, field = 'barcode') =>
  new EngineError('INVALID_INPUT', `${field}: ${BARCODE_MESSAGES[problem]}`, { field, reason: `BARCODE_${problem}`, code });
