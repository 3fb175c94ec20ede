// The register's devices as the screens see them: status for the always-visible badges, what
// this machine has plugged in, the settings that say which device is which, a test page, and
// the scale's weight.
import { and, eq, isNull, sql as dsql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { settings } from '#db/schema/business.ts';
import { defineHandlers } from '#engine/call-context.ts';
import { DeviceError } from '#contract/device-error.ts';
import { NO_DEVICES, type RegisterDevices } from '#contract/device-settings.ts';
import { acceptPrinterUri, parsePrinterUri, PrinterUriError } from '#contract/printer-uri.ts';
import { EngineError } from '#engine/errors.ts';
import { recordSessionAudit } from '../audit/audit-log.ts';
import { receiptCode } from '../sales/checkout.ts';
import type { UncertainPrint } from '#contract/printer-state.ts';
import type { EngineContainer } from '#engine/container.ts';
import { saleContext } from '../sales/sale-context.ts';
import { forgetStoreSettings } from '../settings/store-settings.ts';
import { registerCodeOf } from '../terminal/register-code.ts';

const SETTING = 'devices.registers';

/** A device's failure as the engine's error: its code stays in params for the cashier's wording. */
export function deviceFailure(err: unknown): EngineError {
  if (err instanceof PrinterUriError) return new EngineError('INVALID_INPUT', err.message, { reason: 'BAD_ADDRESS' });
  if (err instanceof DeviceError) return new EngineError('DEVICE_ERROR', err.message, { reason: err.code });
  return err as EngineError;
}

export const deviceHandlers = defineHandlers({
  async 'devices.status'(_input, ctx) {
    const sc = await saleContext(ctx);
    const registerCode = await registerCodeOf(ctx.services, sc.terminal.registerId);
    const printerUri = sc.settings.devices[registerCode]?.printer?.uri ?? null;
    const printers = await ctx.services.spool.status();
    // The register's own printer is listed even before its first job.
    if (printerUri && !printers.some((p) => p.printerUri === printerUri)) {
      printers.unshift(ctx.services.spool.stateOf(printerUri));
    }
    return {
      registerCode,
      printerUri,
      config: sc.settings.devices[registerCode] ?? NO_DEVICES,
      devices: ctx.services.devices.status(),
      printers,
      uncertainPrints: await uncertainPrints(ctx.services),
    };
  },

  async 'devices.discover'(_input, ctx) {
    return ctx.services.devices.discover();
  },

  async 'devices.configure'(input, ctx) {
    const sc = await saleContext(ctx);
    const { sql } = ctx.services;
    const [register] = await sql.query<{ id: string }>(
      `SELECT id FROM sales.cash_registers WHERE branch_id = $1 AND code = $2 AND deleted_at IS NULL`,
      [sc.terminal.branchId, input.registerCode],
    );
    if (!register)
      throw new EngineError('NOT_FOUND', `this branch has no register ${input.registerCode}`, {
        what: 'register',
        code: input.registerCode,
      });
    if (input.devices.printer) {
      try {
        acceptPrinterUri(input.devices.printer.uri, sc.settings.printerPorts);
      } catch (err) {
        throw deviceFailure(err);
      }
    }
    const now = ctx.services.now();
    const previousUri = await ctx.services.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ id: settings.id, value: settings.value })
        .from(settings)
        .where(
          and(
            eq(settings.businessId, sc.terminal.businessId),
            eq(settings.branchId, sc.terminal.branchId),
            eq(settings.key, SETTING),
            isNull(settings.deletedAt),
          ),
        )
        .for('update');
      // Registers not being edited are kept as they were, even if stored before a rule existed.
      const current = row && typeof row.value === 'object' && row.value !== null ? (row.value as Record<string, unknown>) : {};
      const value = { ...current, [input.registerCode]: input.devices };
      if (row) {
        await tx
          .update(settings)
          .set({ value, version: dsql`${settings.version} + 1`, updatedAt: now })
          .where(eq(settings.id, row.id));
      } else {
        await tx
          .insert(settings)
          .values({ id: uuidv7(), businessId: sc.terminal.businessId, branchId: sc.terminal.branchId, key: SETTING, value });
      }
      // In the change's transaction: a register's devices never change without the entry.
      await recordSessionAudit({ ...ctx.services, db: tx }, sc.session, {
        action: 'devices.configure',
        outcome: 'SUCCESS',
        entityType: 'register',
        entityId: register.id,
        details: { registerCode: input.registerCode, devices: input.devices },
      });
      const before = current[input.registerCode] as { printer?: { uri?: unknown } } | undefined;
      return typeof before?.printer?.uri === 'string' ? before.printer.uri : null;
    });
    // Receipts waiting for the printer's old address go to its new one, in the order they were made.
    const newUri = input.devices.printer?.uri ?? null;
    if (previousUri && newUri && previousUri !== newUri) {
      await sql.query(`UPDATE sales.receipts SET printer_uri = $3 WHERE register_id = $1 AND printer_uri = $2 AND status = 'PENDING'`, [
        register.id,
        previousUri,
        newUri,
      ]);
      ctx.services.spool.retry(newUri);
    }
    forgetStoreSettings(ctx.services.sql);
    if (register.id === sc.terminal.registerId) await ctx.services.devices.apply(input.devices);
    return { registerCode: input.registerCode, devices: input.devices, applied: register.id === sc.terminal.registerId };
  },

  async 'devices.printTest'(input, ctx) {
    const sc = await saleContext(ctx);
    const configured: RegisterDevices = sc.settings.devices[await registerCodeOf(ctx.services, sc.terminal.registerId)] ?? NO_DEVICES;
    const uri = input.printerUri ?? configured.printer?.uri;
    if (!uri) throw new EngineError('DEVICE_ERROR', 'this register has no printer; give one to test', { reason: 'NO_PRINTER' });
    const same = configured.printer?.uri === uri ? configured.printer : undefined;
    try {
      acceptPrinterUri(uri, sc.settings.printerPorts);
      const outcome = await ctx.services.spool.printTestPage(
        { uri, model: same?.model, codepage: same?.codepage, paperWidth: same?.paperWidth ?? sc.settings.paperWidth },
        ctx.services.now(),
      );
      return { printerUri: uri, statusSupported: outcome.statusSupported, conditions: outcome.conditions };
    } catch (err) {
      throw deviceFailure(err);
    }
  },

  async 'devices.retryPrinter'(input, ctx) {
    const uri = input.printerUri;
    try {
      parsePrinterUri(uri);
    } catch (err) {
      throw deviceFailure(err);
    }
    // Only a printer this terminal prints to: the register's own, or one its receipts went to
    // (the printers devices.status lists). Any other address is no printer of ours to wake.
    const sc = await saleContext(ctx);
    const configured = sc.settings.devices[await registerCodeOf(ctx.services, sc.terminal.registerId)]?.printer?.uri;
    if (configured !== uri) {
      const [known] = await ctx.services.sql.query<{ one: number }>(
        `SELECT 1 AS one FROM sales.receipts WHERE printer_uri = $1 AND deleted_at IS NULL LIMIT 1`,
        [uri],
      );
      if (!known) throw new EngineError('NOT_FOUND', `this terminal has no printer ${uri}`, { what: 'printer', printerUri: uri });
    }
    ctx.services.spool.retry(uri);
    return { printerUri: uri };
  },

  async 'devices.settlePrint'(input, ctx) {
    const sc = await saleContext(ctx);
    let copyId: string | null;
    try {
      ({ copyId } = await ctx.services.spool.settle(input.receiptId, input.outcome, sc.session.employeeId));
    } catch (err) {
      if (err instanceof DeviceError && err.code === 'NOT_FOUND')
        throw new EngineError('NOT_FOUND', err.message, { what: 'uncertainPrint', receiptId: input.receiptId });
      throw deviceFailure(err);
    }
    // Whose word it was: a receipt marked printed unseen, or a copy printed, is on record.
    await recordSessionAudit(ctx.services, sc.session, {
      action: input.outcome === 'PRINTED' ? 'print.confirmed' : 'print.reprinted',
      outcome: 'SUCCESS',
      entityType: 'receipt',
      entityId: input.receiptId,
      details: { copyId },
    });
    return { receiptId: input.receiptId, outcome: input.outcome, copyId };
  },

  async 'scale.read'(_input, ctx) {
    const scale = ctx.services.devices.scale();
    if (!scale) throw new EngineError('DEVICE_ERROR', 'this register has no scale', { reason: 'NO_SCALE' });
    let reading: Awaited<ReturnType<typeof scale.readWeight>>;
    try {
      reading = await scale.readWeight();
    } catch (err) {
      throw deviceFailure(err);
    }
    // No weight is a refusal the screen words from the reason (MOTION, OVERLOAD…), never a success without a weight.
    if (reading.status !== 'stable') throw new EngineError('DEVICE_ERROR', reading.message, { reason: reading.reason });
    return reading;
  },
});

/** The receipts waiting for the cashier's word, with the sale's receipt code the cashier knows them by. */
async function uncertainPrints(services: EngineContainer): Promise<UncertainPrint[]> {
  const jobs = await services.spool.uncertain();
  const saleIds = jobs.flatMap((j) => (j.saleId ? [j.saleId] : []));
  const codes = saleIds.length
    ? await services.sql.query<{ id: string; code: string; receipt_number: number | null }>(
        `SELECT s.id, r.code, s.receipt_number FROM sales.sales s JOIN sales.cash_registers r ON r.id = s.register_id WHERE s.id = ANY($1::uuid[])`,
        [saleIds],
      )
    : [];
  return jobs.map((j) => {
    const sale = codes.find((c) => c.id === j.saleId);
    return {
      receiptId: j.receiptId,
      printerUri: j.printerUri,
      kind: j.kind,
      receiptCode: sale?.receipt_number != null ? receiptCode(sale.code, Number(sale.receipt_number)) : null,
      createdAt: j.createdAt.toISOString(),
      reason: j.reason,
    };
  });
}
