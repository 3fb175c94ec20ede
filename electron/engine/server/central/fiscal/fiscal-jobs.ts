// The fiscal queue's one schedule: every few seconds a job that runs a fiscal pass for each
// business whose CSD and PAC account central holds. The schedule has a fixed id, so any number
// of workers make one; each firing is one job that one worker takes, and fiscal-pass.ts's lock
// keeps a slow pass and the next firing off the same business.
import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import { raiseAlert } from '../notify/alerts/raise-alert.ts';
import { sealEarlierEmails } from '../self-invoice/customer-email.ts';
import { queueSelfInvoiceEmails } from '../self-invoice/invoice-email.ts';
import { businessesWithSecrets } from './business-secrets.ts';
import { type FiscalDeps, type FiscalPassResult, fiscalPass } from './fiscal-pass.ts';

export const FISCAL_PASS_JOB = 'fiscal-pass';

export async function scheduleFiscal(queue: Queue, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    FISCAL_PASS_JOB,
    { every: everyMs },
    { name: FISCAL_PASS_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
}

type Summary = {
  businessId: string;
  ran: boolean;
  globals?: number;
  stamped?: number;
  rejected?: number;
  cancellations?: number;
  halted?: string;
};

const summary = (r: FiscalPassResult): Summary =>
  r.ran
    ? {
        businessId: r.businessId,
        ran: true,
        globals: r.globals.length,
        stamped: r.stamped.filter((o) => o.status === 'ISSUED').length,
        rejected: r.stamped.filter((o) => o.status === 'REJECTED').length,
        cancellations: r.cancellations,
        ...(r.halted ? { halted: `${r.halted.reason}:${r.halted.code}` } : {}),
      }
    : { businessId: r.businessId, ran: false };

/**
 * A business that cannot be stamped for (a CSD that does not open or has expired, an account
 * the PAC refuses) is told to its managers once a day, under the bell and on their phones; a
 * PAC that is down is only logged, and the next firing tries again.
 */
async function alarm(deps: FiscalDeps, logger: Logger, businessId: string, reason: string, code: string, message: string) {
  logger.error({ alarm: `fiscal.${reason.toLowerCase()}`, businessId, errorCode: code }, `fiscal: invoices wait PENDING: ${message}`);
  const day = deps.now().toISOString().slice(0, 10);
  await raiseAlert(deps.sql, {
    code: 'fiscal.halted',
    key: `fiscal.halted:${businessId}:${reason}:${code}:${day}`,
    businessId,
    branchId: null,
    permission: 'invoices.manage',
    severity: 'CRITICAL',
    data: { message },
  }).catch((err: unknown) => logger.warn({ err, businessId }, 'fiscal: the alarm could not be raised'));
}

/**
 * A job from the schedule passes over every business; one asked for by a self-invoice
 * (data.businessId) over that business only. Either ends by making the e-mail job of every
 * self-invoice stamped so far (the sweep: a job that died after a stamp leaves it to the next).
 */
export function fiscalHandler(deps: FiscalDeps, logger: Logger) {
  return async (job: Job<{ businessId?: unknown }>): Promise<object> => {
    if (job.name !== FISCAL_PASS_JOB) throw new Error(`no fiscal job is called "${job.name}"`);
    const results: Summary[] = [];
    const only = typeof job.data?.businessId === 'string' ? job.data.businessId : null;
    for (const businessId of businessesWithSecrets(deps.dataDir).filter((id) => only === null || id === only)) {
      let result: FiscalPassResult;
      try {
        result = await fiscalPass(deps, businessId);
      } catch (err) {
        // The secrets themselves (a wrong password, a CSD of another RFC): the same on every firing.
        const e = err as Error & { code?: string };
        await alarm(deps, logger, businessId, 'CSD', e.code ?? e.name, e.message);
        results.push({ businessId, ran: false, halted: `CSD:${e.code ?? e.name}` });
        continue;
      }
      if (result.ran) {
        for (const o of result.stamped) {
          if (o.status === 'ISSUED')
            logger.info({ businessId, invoiceId: o.invoiceId, uuid: o.uuid }, `fiscal: ${o.series}-${o.folio} stamped`);
          if (o.status === 'REJECTED')
            logger.warn({ businessId, invoiceId: o.invoiceId, errorCode: o.code }, `fiscal: ${o.series}-${o.folio} rejected: ${o.message}`);
        }
        for (const g of result.globals) {
          logger.info(
            { businessId, invoiceId: g.invoiceId, sales: g.sales },
            `fiscal: factura global ${g.series}-${g.folio} for ${g.from}..${g.to}`,
          );
        }
        const halt = result.halted;
        if (halt?.reason === 'UNAVAILABLE')
          logger.warn({ businessId, errorCode: halt.code }, `fiscal: the PAC is unreachable: ${halt.message}`);
        else if (halt) await alarm(deps, logger, businessId, halt.reason, halt.code, halt.message);
      }
      results.push(summary(result));
    }
    // Addresses written before they were sealed (c0023) are sealed first, then every stamped one gets its e-mail.
    try {
      const sealed = await sealEarlierEmails(deps.sql, deps.dataDir);
      if (sealed > 0) logger.info({ sealed }, 'self-invoice: sealed the e-mail addresses written before c0023');
    } catch (err) {
      logger.error({ alarm: 'self-invoice.email-key', err }, 'self-invoice: the addresses written before c0023 could not be sealed');
    }
    const emails = await queueSelfInvoiceEmails(deps.sql, {
      dataDir: deps.dataDir,
      unopened: ({ id, businessId }, err) =>
        logger.error(
          { alarm: 'self-invoice.email-key', businessId, selfInvoiceId: id, err: err.message },
          "self-invoice: the customer's e-mail does not open; its invoice waits unsent",
        ),
    });
    return { businesses: results, ...(emails > 0 ? { selfInvoiceEmails: emails } : {}) };
  };
}
