// The factura global of a register that works alone, asked for from its back office once a
// period is over (global-fact.ts makes its rows). Written PENDING with its links to the sales and
// returns it covers, and journaled, like an invoice asked for at the counter; the stamping loop
// stamps it. Central issues the globals of the registers that sync with it.
import type { SqlSession } from '#db/sql-session.ts';
import type { CallInput, CallOutput } from '#contract/calls.ts';
import { requireSession, type CallContext } from '#engine/call-context.ts';
import { requireTerminal } from '#engine/container.ts';
import { EngineError } from '#engine/errors.ts';
import { globalPeriod, isGlobalPeriodicity } from '#engine/fiscal/mx/global-period.ts';
import { businessDate } from '../shifts/business-day.ts';
import { type GlobalFiscalData, globalFact } from './global-fact.ts';
import { INVOICE_REQUESTED, insertInvoiceRows, invoiceFactKey } from './invoice-facts.ts';
import { invoiceStatesOf } from './invoice-state.ts';
import { profileOf, registerSeries } from './issuing.ts';

type Input = CallInput<'invoices.issueGlobal'>;
type GlobalInvoice = CallOutput<'invoices.issueGlobal'>;

export const issueGlobal = (ctx: CallContext, input: Input): Promise<GlobalInvoice> => ctx.services.writes(() => issue(ctx, input));

async function issue(ctx: CallContext, input: Input): Promise<GlobalInvoice> {
  const session = requireSession(ctx);
  const terminal = requireTerminal(ctx.services);
  const { sql, journal } = ctx.services;

  const [earlier] = await sql.query<{ id: string; kind: string; fiscal_data: Partial<GlobalFiscalData> }>(
    'SELECT id, kind, fiscal_data FROM billing.invoices WHERE idempotency_key = $1',
    [input.idempotencyKey],
  );
  if (earlier) {
    const period = earlier.fiscal_data.global;
    if (earlier.kind !== 'GLOBAL' || !period || input.day < period.from || input.day > period.to) {
      throw new EngineError('CONFLICT', 'this idempotency key was used for another invoice', { reason: 'KEY_REUSED' });
    }
    return describeGlobal(sql, earlier.id);
  }
  if (ctx.services.sync) {
    throw new EngineError('CONFLICT', 'central issues the factura global of a register that syncs with it', { reason: 'CENTRAL_ISSUES' });
  }

  const profile = await profileOf(sql, terminal.branchId);
  const [place] = await sql.query<{ timezone: string; currency: string; register_code: string }>(
    `SELECT b.timezone, u.currency, r.code AS register_code
     FROM business.branches b JOIN business.businesses u ON u.id = b.business_id, sales.cash_registers r WHERE b.id = $1 AND r.id = $2`,
    [terminal.branchId, terminal.registerId],
  );
  const periodicity = isGlobalPeriodicity(profile.settings.globalPeriodicity) ? profile.settings.globalPeriodicity : '01';
  const period = globalPeriod(periodicity, input.day);
  const now = ctx.services.now();
  const today = businessDate(now, place!.timezone);
  if (period.to >= today) {
    throw new EngineError('CONFLICT', 'the factura global is issued once its period is over', {
      reason: 'PERIOD_OPEN',
      from: period.from,
      to: period.to,
    });
  }

  const fact = await globalFact(sql, {
    businessId: session.businessId,
    branchId: terminal.branchId,
    registerId: terminal.registerId,
    profile,
    series: registerSeries(profile.series, place!.register_code),
    timezone: place!.timezone,
    currency: place!.currency,
    period,
    idempotencyKey: input.idempotencyKey,
    by: session.employeeId,
    now,
  });
  await sql.transaction((tx) => insertInvoiceRows(tx, fact));
  const invoiceId = fact.invoice.id as string;
  journal.append(INVOICE_REQUESTED, invoiceFactKey(invoiceId), fact);
  return describeGlobal(sql, invoiceId);
}

export async function describeGlobal(sql: SqlSession, invoiceId: string): Promise<GlobalInvoice> {
  const [invoice] = await invoiceStatesOf(sql, { invoiceId });
  const [row] = await sql.query<{ fiscal_data: GlobalFiscalData; sales: string; returns: string }>(
    `SELECT i.fiscal_data,
            (SELECT count(*) FROM billing.invoice_sales l WHERE l.invoice_id = i.id)::text AS sales,
            (SELECT count(*) FROM billing.invoice_returns l WHERE l.invoice_id = i.id)::text AS returns
     FROM billing.invoices i WHERE i.id = $1`,
    [invoiceId],
  );
  const period = row!.fiscal_data.global;
  return {
    invoice: invoice!,
    periodicity: period.periodicidad,
    from: period.from,
    to: period.to,
    sales: Number(row!.sales),
    returns: Number(row!.returns),
    omittedReceipts: period.omittedReceipts,
  };
}
