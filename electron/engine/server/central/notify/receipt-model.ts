// What an e-mailed receipt says, built at central from central's own copy of the sale (pushed by
// the register before its e-mail request, in journal order) and the store as central knows it:
// the same data the printed receipt was laid out from, never the terminal's word for it.
import type { AppDb } from '#db/app-db.ts';
import type { SqlDatabase } from '#db/sql-session.ts';
import { readCompletedSale } from '#engine/services/sales/completed-sale.ts';
import { receiptCode } from '#engine/services/sales/checkout.ts';
import { saleReceiptData } from '#engine/services/sales/sale-receipt.ts';
import { storeSettings } from '#engine/services/settings/store-settings.ts';
import { registerCodeOf } from '#engine/services/terminal/register-code.ts';
import type { SaleReceipt } from '#contract/receipt-document.ts';

/** The job cannot be done from what central holds: failed with this reason, never retried. */
export class JobDataError extends Error {
  override name = 'JobDataError';
}

export type ReceiptModel = { receipt: SaleReceipt; currency: string; timezone: string };

export async function receiptModel(central: { sql: SqlDatabase; db: AppDb }, saleId: string): Promise<ReceiptModel> {
  const fact = await readCompletedSale(central.db, saleId);
  if (!fact) throw new JobDataError(`sale ${saleId} is not a completed sale at central`);
  const sale = fact.sale;
  const settings = await storeSettings(central.sql, String(sale.business_id), String(sale.branch_id));
  const registerCode = await registerCodeOf(central, String(sale.register_id));
  const receipt = await saleReceiptData(central.sql, settings, fact, {
    receiptCode: receiptCode(registerCode, Number(sale.receipt_number)),
    registerCode,
  });
  if (!receipt) throw new JobDataError(`sale ${saleId}'s business or branch is not at central`);
  return { receipt, currency: String(sale.currency), timezone: settings.timezone };
}
