// A return's receipt: the lines given back, the refund and, for store credit, the slip's code,
// laid out from the return's fact (as it was journaled) and kept as a print job once, by the
// receipts reaction, after the return is on record.
import type { SqlSession } from '#db/sql-session.ts';
import type { EngineContainer } from '#engine/container.ts';
import { dateTimeFormat, moneyFormat, receiptLocale, returnReceiptDocument, type ReceiptDocument } from '#contract/receipt-document.ts';
import { creditNoteOfReturn } from '../invoicing/credit-note.ts';
import { receiptPlace, registerPrinter } from '../settings/register-printer.ts';
import { storeSettings, type StoreSettings } from '../settings/store-settings.ts';
import { registerCodeOf } from '../terminal/register-code.ts';
import { receiptCode } from './checkout.ts';
import type { ReturnFact } from './returns.ts';

type Row = Record<string, string | number | boolean | null>;

async function returnReceiptFor(
  services: Pick<EngineContainer, 'sql'>,
  settings: StoreSettings,
  fact: ReturnFact,
  paperWidth: 58 | 80,
): Promise<ReceiptDocument> {
  const { sql } = services;
  const ret = fact.ret as Row;
  const refund = fact.refund as Row;
  const place = await receiptPlace(sql, String(ret.register_id), String(ret.employee_id));
  const [business] = await sql.query<{ name: string; tax_id: string; country: string }>(
    `SELECT name, tax_id, country FROM business.businesses WHERE id = $1`,
    [ret.business_id],
  );
  const [sale] = await sql.query<{ register_id: string; receipt_number: string }>(
    `SELECT register_id, receipt_number::text FROM sales.sales WHERE id = $1`,
    [ret.sale_id],
  );
  const [method] = await sql.query<{ name: string; kind: string }>(`SELECT name, kind FROM payments.payment_methods WHERE id = $1`, [
    refund.payment_method_id,
  ]);
  if (!business || !sale || !method)
    throw new Error(`return ${String(ret.id)}: its business, sale or refund method is not in this database`);
  const sold = await sql.query<{ id: string; name: string; unit: string; is_weighed: boolean }>(
    `SELECT id, name, unit, is_weighed FROM sales.sale_items WHERE id = ANY($1::uuid[])`,
    [fact.items.map((i) => i.sale_item_id)],
  );
  const currency = String(ret.currency);
  return returnReceiptDocument(
    {
      business: { name: business.name, taxId: business.tax_id, country: business.country },
      branch: place.branch,
      registerCode: place.registerCode,
      cashier: place.employee,
      returnNumber: Number(ret.return_number),
      saleReceiptCode: receiptCode(await registerCodeOf(services, sale.register_id), Number(sale.receipt_number)),
      occurredAt: new Date(String(ret.occurred_at)).toISOString(),
      reason: String(ret.reason),
      lines: fact.items.map((i) => {
        const line = sold.find((s) => s.id === i.sale_item_id);
        return {
          name: line?.name ?? '?',
          quantity: String(i.quantity),
          unit: line?.unit ?? '',
          isWeighed: line?.is_weighed === true,
          total: String(i.total),
        };
      }),
      total: String(ret.total),
      refund: {
        method: method.name,
        kind: method.kind,
        reference: refund.provider_reference == null ? null : String(refund.provider_reference),
      },
      storeCreditCode: fact.balance ? String(fact.balance.code) : null,
      // Written in the return's own transaction, so it is there when the receipt is laid out.
      creditNote: await creditNoteOfReturn(sql, String(ret.id)),
    },
    { paperWidth, money: moneyFormat(receiptLocale(currency), currency), when: dateTimeFormat(receiptLocale(currency), settings.timezone) },
  );
}

/** The return's receipt, kept once with `handled` (the reaction's cursor) in one transaction; the printer is woken after. */
export async function queueReturnReceipt(
  services: EngineContainer,
  fact: ReturnFact,
  handled: (tx: SqlSession) => Promise<void>,
): Promise<void> {
  const ret = fact.ret as Row;
  const settings = await storeSettings(services.sql, String(ret.business_id), String(ret.branch_id));
  const printer = registerPrinter(services.spool, settings, await registerCodeOf(services, String(ret.register_id)));
  const document = await returnReceiptFor(services, settings, fact, printer?.paperWidth ?? settings.paperWidth);
  await services.sql.transaction(async (tx) => {
    await services.spool.enqueue(
      {
        registerId: String(ret.register_id),
        kind: 'RETURN',
        printerUri: printer?.uri ?? null,
        document,
        returnId: String(ret.id),
        shiftId: String(ret.shift_id),
        employeeId: String(ret.employee_id),
        once: true,
      },
      { in: tx },
    );
    await handled(tx);
  });
  if (printer) services.spool.wake(printer.uri);
}
