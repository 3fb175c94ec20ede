// A completed sale's receipts: what was printed (the preview), copies and gift receipts, and the
// shift's sales history they are reprinted from.
import { defineHandlers } from '#engine/call-context.ts';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import type { PrintStatus, ReceiptKind } from '#contract/sales-vocabulary.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { receiptCode } from './checkout.ts';
import { readCompletedSale } from './completed-sale.ts';
import { requestReceiptEmail } from './receipt-email.ts';
import { reprintSale } from './sale-receipt.ts';
import { saleContext } from './sale-context.ts';
import { historySale, shiftHistory } from './shift-history.ts';
import { registerCodeOf } from '../terminal/register-code.ts';

export const receiptHandlers = defineHandlers({
  async 'sales.history'(input, ctx) {
    return shiftHistory(ctx, input);
  },

  async 'sales.historySale'(input, ctx) {
    return historySale(ctx, input.saleId);
  },

  async 'sales.receipts'(input, ctx) {
    const sc = await saleContext(ctx);
    const rows = await ctx.services.sql.query<{
      id: string;
      kind: ReceiptKind;
      copy_number: number;
      status: PrintStatus;
      printer_uri: string | null;
      last_error: string | null;
      created_at: Date;
      printed_at: Date | null;
      document: ReceiptDocument;
    }>(
      `SELECT r.id, r.kind, r.copy_number, r.status, r.printer_uri, r.last_error, r.created_at, r.printed_at, r.document
       FROM sales.receipts r JOIN sales.sales s ON s.id = r.sale_id
       WHERE r.sale_id = $1 AND s.business_id = $2 AND r.deleted_at IS NULL ORDER BY r.created_at, r.id`,
      [input.saleId, sc.terminal.businessId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      copyNumber: r.copy_number,
      status: r.status,
      printerUri: r.printer_uri,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      printedAt: r.printed_at?.toISOString() ?? null,
      document: r.document,
    }));
  },

  async 'sales.emailReceipt'(input, ctx) {
    const sc = await saleContext(ctx);
    const [sale] = await ctx.services.sql.query<{ status: string; currency: string }>(
      `SELECT status, currency FROM sales.sales WHERE id = $1 AND business_id = $2`,
      [input.saleId, sc.terminal.businessId],
    );
    if (sale?.status !== 'COMPLETED') {
      throw new EngineError('NOT_FOUND', 'no completed sale with that id', { what: 'sale', id: input.saleId });
    }
    return requestReceiptEmail(ctx.services, {
      saleId: input.saleId,
      businessId: sc.terminal.businessId,
      currency: sale.currency,
      email: input.email,
      by: sc.session.employeeId,
      at: ctx.services.now(),
    });
  },

  async 'sales.reprint'(input, ctx) {
    const sc = await saleContext(ctx);
    const fact = await readCompletedSale(ctx.services.db, input.saleId);
    if (!fact || fact.sale.business_id !== sc.terminal.businessId) {
      throw new EngineError('NOT_FOUND', 'no completed sale with that id', { what: 'sale', id: input.saleId });
    }
    const code = receiptCode(await registerCodeOf(ctx.services, String(fact.sale.register_id)), Number(fact.sale.receipt_number));
    // In the write queue: two reprints at once (a double click) get copies 1 and 2, not 1 and 1.
    const printed = await ctx.services.writes(() =>
      reprintSale(ctx.services, sc.settings, {
        fact,
        receiptCode: code,
        registerId: sc.terminal.registerId,
        employeeId: sc.session.employeeId,
        variant: input.variant,
      }),
    );
    await recordSessionAudit(ctx.services, sc.session, {
      action: input.variant === 'gift' ? 'sales.gift_receipt' : 'sales.reprint',
      outcome: 'SUCCESS',
      entityType: 'sale',
      entityId: input.saleId,
      details: { copyNumber: printed.copyNumber, receiptId: printed.receiptId },
    });
    return { receiptId: printed.receiptId, copyNumber: printed.copyNumber, printed: printed.printed, document: printed.document };
  },
});
