// A stamped invoice printed at the counter: its printed representation laid out from the
// stamped XML the PAC sent back (what the SAT holds, not the sale as it is now), and queued on
// the register's printer through the same spool as receipts, so a printer that is out of paper
// or unplugged gets it later, and a register with no printer keeps it to be shown on screen.
import type { CallInput, CallOutput } from '#contract/calls.ts';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import type { CallContext } from '#engine/call-context.ts';
import { EngineError } from '#engine/errors.ts';
import { cfdiPrintout } from '#engine/fiscal/mx/cfdi-printout.ts';
import { readComprobante } from '#engine/fiscal/mx/cfdi-xml.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { saleContext } from '../sales/sale-context.ts';
import { registerPrinter } from '../settings/register-printer.ts';
import { registerCodeOf } from '../terminal/register-code.ts';
import { stampedInvoice } from './stamped-invoice.ts';

type Input = CallInput<'invoices.print'>;
type Printed = CallOutput<'invoices.print'>;

/**
 * Prints an ISSUED invoice of this business on this register's printer. In the write queue: two
 * prints at once (a double tap) get copies 0 and 1, and a key's second call finds the first one's job.
 */
export const printInvoice = (ctx: CallContext, input: Input): Promise<Printed> => ctx.services.writes(() => print(ctx, input));

async function print(ctx: CallContext, input: Input): Promise<Printed> {
  const sc = await saleContext(ctx);
  const { sql } = ctx.services;

  if (input.idempotencyKey) {
    const [earlier] = await sql.query<{
      id: string;
      invoice_id: string | null;
      copy_number: number;
      printer_uri: string | null;
      document: ReceiptDocument;
    }>('SELECT id, invoice_id, copy_number, printer_uri, document FROM sales.receipts WHERE request_key = $1', [input.idempotencyKey]);
    if (earlier) {
      if (earlier.invoice_id !== input.invoiceId) {
        throw new EngineError('CONFLICT', 'that idempotency key already printed another invoice; make a new key for a new request', {
          reason: 'IDEMPOTENCY_KEY_REUSED',
        });
      }
      return { receiptId: earlier.id, copyNumber: earlier.copy_number, printed: earlier.printer_uri !== null, document: earlier.document };
    }
  }

  const invoice = await stampedInvoice(sql, { invoiceId: input.invoiceId, businessId: sc.terminal.businessId, cancelled: 'refused' });

  const registerCode = await registerCodeOf(ctx.services, sc.terminal.registerId);
  const printer = registerPrinter(ctx.services.spool, sc.settings, registerCode);
  const document = cfdiPrintout(readComprobante(invoice.xml), { paperWidth: printer?.paperWidth ?? sc.settings.paperWidth });
  const [prior] = await sql.query<{ copies: number | null }>(
    `SELECT max(copy_number)::int AS copies FROM sales.receipts WHERE invoice_id = $1 AND kind = 'INVOICE'`,
    [invoice.id],
  );
  const copyNumber = prior?.copies === null || prior?.copies === undefined ? 0 : prior.copies + 1;
  const receiptId = await ctx.services.spool.enqueue({
    registerId: sc.terminal.registerId,
    kind: 'INVOICE',
    printerUri: printer?.uri ?? null,
    document,
    saleId: invoice.saleId,
    invoiceId: invoice.id,
    requestKey: input.idempotencyKey ?? null,
    employeeId: sc.session.employeeId,
    copyNumber,
  });
  await recordSessionAudit(ctx.services, sc.session, {
    action: 'invoices.print',
    outcome: 'SUCCESS',
    entityType: 'invoice',
    entityId: invoice.id,
    details: { copyNumber, receiptId, printed: printer !== null },
  });
  return { receiptId: receiptId!, copyNumber, printed: printer !== null, document };
}
