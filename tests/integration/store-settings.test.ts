// A store's settings are read once and kept for a while; two engines in one process (a test
// worker, a process of simulated registers) may hold stores of the same business id, and each
// must read its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetStoreSettings, storeSettings } from '#engine/services/settings/store-settings.ts';
import { openDemoEngine } from '../support/demo-engine.ts';

type Demo = Awaited<ReturnType<typeof openDemoEngine>>;

describe('store settings kept in memory', () => {
  let a: Demo;
  let b: Demo;
  // The demo store has a footer already, and each engine read its settings as it opened.
  const footer = async (demo: Demo, text: string) => {
    await demo.engine.services.sql.query(`UPDATE business.settings SET value = $1 WHERE key = 'receipt.footer'`, [JSON.stringify(text)]);
  };
  const read = (demo: Demo) => {
    const { businessId, branchId } = demo.engine.services.terminal!;
    return storeSettings(demo.engine.services.sql, businessId, branchId);
  };

  beforeAll(async () => {
    a = await openDemoEngine('settings-a');
    b = await openDemoEngine('settings-b');
  }, 60_000);
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
  });

  it("are each engine's own, though both stores have the same business id", async () => {
    expect(a.engine.services.terminal!.businessId).toBe(b.engine.services.terminal!.businessId);
    await footer(a, 'Gracias por su compra (A)');
    await footer(b, 'Vuelva pronto (B)');
    forgetStoreSettings(a.engine.services.sql);
    forgetStoreSettings(b.engine.services.sql);
    expect((await read(a)).receiptFooter).toBe('Gracias por su compra (A)');
    expect((await read(b)).receiptFooter).toBe('Vuelva pronto (B)');
  });

  it('are read afresh on one engine once forgotten there, and stay kept on the other', async () => {
    await a.engine.services.sql.query(`UPDATE business.settings SET value = $1 WHERE key = 'receipt.footer'`, [
      JSON.stringify('Nuevo (A)'),
    ]);
    await b.engine.services.sql.query(`UPDATE business.settings SET value = $1 WHERE key = 'receipt.footer'`, [
      JSON.stringify('Nuevo (B)'),
    ]);
    forgetStoreSettings(a.engine.services.sql);
    expect((await read(a)).receiptFooter).toBe('Nuevo (A)');
    expect((await read(b)).receiptFooter).toBe('Vuelva pronto (B)');
  });
});
