// How long after a cash sale's answer its drawer opens: with the printer idle (the baseline),
// and with the previous receipt stuck in the printer (it took part of the job and stopped
// reading), where the pulse must not wait behind that job. Measured at the printer: from the
// moment the answer is in the caller's hands to the moment the pulse's bytes arrive.
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { startLoopbackPrinter } from '../support/loopback-printer.ts';
import { report } from './stats.ts';

const ARROZ = '7505599000026';
const RUNS = Number(process.env.BENCH_DRAWER_RUNS ?? 30);

export async function benchDrawer(): Promise<void> {
  const printer = await startLoopbackPrinter();
  const demo = await openDemoEngine('bench-drawer');
  try {
    const { engine } = demo;
    await engine.services.sql.query(
      `INSERT INTO business.settings (id, business_id, key, value) VALUES (gen_random_uuid(), $1, 'devices.registers', $2)`,
      [demo.demo.store.business.id, JSON.stringify({ 'CAJA-1': { printer: { uri: printer.uri } } })],
    );
    forgetStoreSettings(engine.services.sql);
    const token = await signIn(engine, demo.people.cashier.id, demo.people.cashier.pin);
    const methods = ok(await engine.call('sales.paymentMethods', {}, { token }));
    const cash = methods.find((m) => m.code === 'CASH')!.id;
    const card = methods.find((m) => m.code === 'CARD')!.id;
    ok(await engine.call('shifts.open', { idempotencyKey: 'bench-drawer-shift', openingFloat: '500' }, { token }));
    let n = 0;
    const sell = async (tender: { methodId: string; tendered?: string; amount?: string }) => {
      const sale = ok(await engine.call('sales.open', { idempotencyKey: `bench-drawer-${++n}` }, { token }));
      ok(await engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token }));
      return ok(await engine.call('sales.complete', { saleId: sale.id, tenders: [tender] }, { token }));
    };
    const waitFor = async (check: () => boolean) => {
      const end = Date.now() + 10_000;
      while (!check()) {
        if (Date.now() > end) throw new Error('the bench waited 10 s for the printer');
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    /** One cash sale: ms from its answer to its drawer pulse at the printer. */
    const kickAfterAnswer = async () => {
      const kicks = printer.drawerKicks.length;
      await sell({ methodId: cash, tendered: '50' });
      const answered = Date.now();
      await waitFor(() => printer.drawerKicks.length > kicks);
      return printer.drawerKicks.at(-1)! - answered;
    };
    const idle: number[] = [];
    const stalled: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Idle: the last receipt is out.
      const jobs = printer.jobs.length;
      idle.push(await kickAfterAnswer());
      await waitFor(() => printer.jobs.length >= jobs + 2);
      // Stalled: a card sale's receipt sticks 40 bytes in, then a cash sale.
      const partials = printer.partials.length;
      printer.stallAfter(40);
      await sell({ methodId: card, amount: '31.50' });
      await waitFor(() => printer.partials.length > partials);
      stalled.push(await kickAfterAnswer());
      printer.recover();
      await waitFor(() => printer.jobs.length >= jobs + 5);
    }
    report(
      `drawer: from a cash sale's answer to the pulse at the printer (${RUNS} sales each)`,
      [
        { name: 'printer idle', times: idle.sort((a, b) => a - b) },
        { name: 'previous receipt stuck in the printer', times: stalled.sort((a, b) => a - b) },
      ],
      'printer idle',
    );
  } finally {
    await demo.dispose();
    await printer.close();
  }
}
