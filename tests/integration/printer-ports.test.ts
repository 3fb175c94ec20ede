// A printer address is where the till sends bytes: configured or tested, it must be a printer
// port the store allows, or a database, a mail server or any service the till can reach would
// take a receipt's bytes (and whatever a person typed into a receipt field) as its commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';
import { allowPrinterPorts } from '../support/printer-ports.ts';

describe("a network printer's port", () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let printer: LoopbackPrinter;
  let owner: string;
  const stored = async () =>
    (
      await demo.engine.services.sql.query<{ value: unknown }>(
        `SELECT value FROM business.settings WHERE key = 'devices.registers' AND deleted_at IS NULL`,
      )
    ).map((r) => r.value);

  beforeAll(async () => {
    printer = await startLoopbackPrinter();
    demo = await openDemoEngine('printer-ports');
    owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
    await printer?.close();
  });

  it('is refused for configuring and testing unless the store allows it, and nothing is stored or sent', async () => {
    const configured = await demo.engine.call(
      'devices.configure',
      { registerCode: 'CAJA-1', devices: { printer: { uri: printer.uri } } },
      { token: owner },
    );
    expect(configured).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(`port ${printer.port} is not a printer port this store allows`) },
    });
    expect(await stored()).toEqual([]);
    const tested = await demo.engine.call('devices.printTest', { printerUri: printer.uri }, { token: owner });
    expect(tested).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', params: { reason: 'BAD_ADDRESS' } } });
    // PostgreSQL's own port, as a printer: refused before a connection is tried.
    const postgres = await demo.engine.call('devices.printTest', { printerUri: 'tcp://127.0.0.1:5432' }, { token: owner });
    expect(postgres).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/port 5432 is not a printer port/) },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(printer.jobs).toEqual([]);
    expect(printer.statusRequests).toBe(0);
  });

  it('is taken once the store lists it in devices.printerPorts', async () => {
    await allowPrinterPorts(demo.engine, printer.port);
    ok(
      await demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices: { printer: { uri: printer.uri } } }, { token: owner }),
    );
    expect(await stored()).toEqual([{ 'CAJA-1': { printer: { uri: printer.uri }, scanners: [] } }]);
    ok(await demo.engine.call('devices.printTest', {}, { token: owner }));
    expect(await printer.waitForJobs(1)).toHaveLength(1);
  });

  it('refuses a USB path that is not a printer device, and a serial path outside the serial ports', async () => {
    for (const uri of ['usb:/etc/passwd', 'usb:/dev/sda', 'serial:/dev/../etc/passwd', 'serial:/dev/ttyUSB0/../../etc/shadow']) {
      const configured = await demo.engine.call(
        'devices.configure',
        { registerCode: 'CAJA-1', devices: { printer: { uri } } },
        { token: owner },
      );
      expect(configured, uri).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const tested = await demo.engine.call('devices.printTest', { printerUri: uri }, { token: owner });
      expect(tested, uri).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    const scanner = await demo.engine.call(
      'devices.configure',
      { registerCode: 'CAJA-1', devices: { scanners: [{ address: 'serial:/dev/../etc/passwd' }] } },
      { token: owner },
    );
    expect(scanner).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
