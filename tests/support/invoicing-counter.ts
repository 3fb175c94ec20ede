// The demo store's register with invoices behind it, as the back office's invoice e2e files need
// it: a loopback Finkok that stamps and cancels them (the fiscal loop's passes, run when a test
// says), a cashier at CAJA-1 selling and asking for invoices through the engine before the screens
// open, and the manager in the "Facturas" tab. One place, so each file says only what it tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { InvoiceState } from '#contract/calls/invoices.ts';
import { finkokClient } from '#engine/fiscal/mx/pac/finkok.ts';
import { openCsd } from '#engine/fiscal/mx/seal.ts';
import { type CancelOutcome, cancelPending } from '#engine/services/invoicing/cancel-pending.ts';
import { type StampOutcome, stampPending } from '#engine/services/invoicing/stamp-pending.ts';
import { explained } from './browser.ts';
import { type Counter, type DemoEngine, enterBackOffice, startCounter } from './counter-page.ts';
import { ok, signIn } from './demo-engine.ts';
import { type LoopbackPac, startLoopbackPac } from './loopback-pac.ts';
import { makeTestCsd } from './test-csd.ts';

export const ARROZ = '7505599000026'; // Arroz súper extra 900 g, 31.50, IVA 0
export const AGUA_PINA = '7505641000219'; // Polvo agua sabor piña, 8.50, IVA 16

export type Receiver = { rfc: string; name: string; taxRegime: string; postalCode: string; cfdiUse: string };

/** Customers with the SAT's sample RFCs, as their Constancias would have them. */
export const CUSTOMERS: readonly [Receiver, Receiver, Receiver] = [
  { rfc: 'GODE561231GR8', name: 'EMILIANO GOMEZ DIAZ', taxRegime: '612', postalCode: '06000', cfdiUse: 'G03' },
  { rfc: 'EKU9003173C9', name: 'ESCUELA KEMPER URGATE', taxRegime: '601', postalCode: '26015', cfdiUse: 'G03' },
  { rfc: 'XIA190128J61', name: 'XENON INDUSTRIAL ARTICLES', taxRegime: '601', postalCode: '76343', cfdiUse: 'G03' },
];

const PAC_USER = 'cajas@abarrotes-esperanza.mx';
const PAC_PASSWORD = 'Finkok-secreto-9!';

/** The fiscal loop's passes against the loopback PAC, with a test CSD of the store's RFC. */
export type FiscalPasses = {
  pac: LoopbackPac;
  /** Stamps what waits, oldest first (`limit` of them at most). */
  stamp(opts?: { limit?: number }): Promise<StampOutcome[]>;
  /** Sends the cancellations that wait. */
  cancel(): Promise<CancelOutcome[]>;
};

export type Sold = { id: string; receiptCode: string };

/** The cashier at CAJA-1, her shift open, working through the engine. */
export type Till = {
  /** A fresh idempotency key. */
  key(): string;
  /** A cash sale of these items (a code, or a code and a quantity). */
  sell(items: (string | { code: string; quantity: string })[]): Promise<Sold>;
  /** The invoice of a sale to this customer, as asked for at the counter. */
  invoice(saleId: string, receiver: Receiver): Promise<InvoiceState>;
  /** A return of the sale's lines (all of each, unless a quantity is given), approved by the manager's PIN. */
  giveBack(sale: Sold, lines: { lineNo: number; quantity?: string }[] | 'all'): Promise<{ returnNumber: number }>;
};

export type InvoicingCounter = Counter & { fiscal: FiscalPasses };

async function fiscalPasses(d: DemoEngine, pac: LoopbackPac, dir: string): Promise<FiscalPasses> {
  const [{ tax_id: rfc }] = (await d.engine.services.sql.query<{ tax_id: string }>('SELECT tax_id FROM billing.fiscal_profiles')) as [
    { tax_id: string },
  ];
  const client = finkokClient({ username: PAC_USER, password: PAC_PASSWORD, baseUrl: pac.baseUrl, timeoutMs: 2_000 });
  const csd = openCsd(makeTestCsd(dir, { rfc }));
  return {
    pac,
    // Sealed by the real clock: the test CSD is valid from the moment it was made, and the PAC checks Fecha against it.
    stamp: async (opts = {}) => (await stampPending(d.engine.services, { pac: client, csd, now: new Date(), ...opts })).outcomes,
    cancel: async () => (await cancelPending(d.engine.services, { pac: client, csd })).outcomes,
  };
}

async function openTill(d: DemoEngine, label: string): Promise<Till> {
  let seq = 0;
  const key = () => `${label}-${++seq}`;
  const cashier = await signIn(d.engine, d.people.cashier.id, d.people.cashier.pin);
  ok(await d.engine.call('shifts.open', { openingFloat: '500', idempotencyKey: key() }, { token: cashier }));
  const cash = ok(await d.engine.call('sales.paymentMethods', {}, { token: cashier })).find((m) => m.kind === 'CASH')!.id;
  return {
    key,
    async sell(items) {
      const sale = ok(await d.engine.call('sales.open', { idempotencyKey: key() }, { token: cashier }));
      for (const item of items) {
        ok(
          await d.engine.call(
            'sales.addItem',
            { saleId: sale.id, ...(typeof item === 'string' ? { code: item } : item) },
            { token: cashier },
          ),
        );
      }
      const paid = ok(
        await d.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '200' }] }, { token: cashier }),
      );
      return { id: sale.id, receiptCode: paid.receiptCode };
    },
    invoice: async (saleId, receiver) =>
      ok(await d.engine.call('invoices.request', { saleId, receiver, idempotencyKey: key() }, { token: cashier })),
    async giveBack(sale, chosen) {
      const found = ok(await d.engine.call('returns.lookup', { code: sale.receiptCode }, { token: cashier }));
      const lines = found.lines.flatMap((l) => {
        const asked = chosen === 'all' ? { lineNo: l.lineNo } : chosen.find((c) => c.lineNo === l.lineNo);
        // All of a line unless told; the contract takes a quantity with at most 3 decimals.
        return asked ? [{ saleItemId: l.saleItemId, quantity: asked.quantity ?? l.quantity.replace(/\.?0+$/, '') }] : [];
      });
      const returned = ok(
        await d.engine.call(
          'returns.create',
          { saleId: sale.id, lines, refundMethodId: cash, reason: 'Producto en mal estado', idempotencyKey: key() },
          { token: cashier, override: { employeeId: d.people.manager.id, pin: d.people.manager.pin } },
        ),
      );
      return { returnNumber: returned.returnNumber };
    },
  };
}

/**
 * A fresh demo store whose engine clock starts at `start` (near the real one: the PAC holds Fecha
 * to 72 hours around it), with what `prepare` sold, invoiced and had stamped before its screens
 * open at 1024×768. `close` stops the browser, the engine, the PAC and removes their files.
 */
export async function startInvoicingCounter(
  label: string,
  opts: { start: Date; prepare(d: DemoEngine, till: Till, fiscal: FiscalPasses): Promise<void> },
): Promise<InvoicingCounter> {
  const dir = mkdtempSync(join(tmpdir(), `pos-${label}-`));
  let pac: LoopbackPac | null = null;
  try {
    pac = await startLoopbackPac({ username: PAC_USER, password: PAC_PASSWORD, dir });
    const started = pac;
    let fiscal: FiscalPasses | null = null;
    const counter = await startCounter(label, {
      viewport: { width: 1024, height: 768 },
      start: opts.start,
      async prepare(d) {
        fiscal = await fiscalPasses(d, started, dir);
        await opts.prepare(d, await openTill(d, label), fiscal);
      },
    });
    return {
      ...counter,
      fiscal: fiscal!,
      async close() {
        try {
          await counter.close();
        } finally {
          await started.close();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await pac?.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The manager, Joaquín Peña, in the back office's "Facturas" tab (Alt+6) at the register's time,
 * once the list shows `rows` invoices.
 */
export async function openInvoicesTab(counter: Counter, rows: number): Promise<void> {
  const { page, demo } = counter;
  // The screen's clock is the register's, as on one machine.
  await page.clock.setFixedTime(demo.clock.now());
  await page.goto(counter.server.url);
  await enterBackOffice(page, demo, 'Joaquín Peña', demo.people.manager);
  await page.keyboard.press('Alt+6');
  await explained(page, () => page.getByRole('table', { name: 'Facturas' }).getByRole('row').nth(rows).waitFor());
}

/** Each row of the list as its cells read, spaces folded. */
export async function invoiceRows(page: Page): Promise<string[][]> {
  const all = await page.getByRole('table', { name: 'Facturas' }).getByRole('row').all();
  return Promise.all(all.slice(1).map(async (r) => (await r.getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())));
}

/** What has the keyboard: its accessible label, or its id. */
export const focusedName = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? null);
