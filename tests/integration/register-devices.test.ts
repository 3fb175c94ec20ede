// A register with every device a countertop has, set up through the same calls the back office
// uses: a network printer, a serial scanner, a pole display and a scale on virtual serial
// cables. A day's moments go through the engine and each device does its part: the scan
// arrives as an event, the display follows the sale, the scale weighs, the drawer opens only
// when it should, and copies, gift receipts, X and Z reports and a test page print right.
import { realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '#engine/dispatch.ts';
import type { ScanEvent } from '#contract/scan-event.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { ok, openDemoEngine, signIn } from '../support/demo-engine.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';
import { allowPrinterPorts } from '../support/printer-ports.ts';
import { openSerialPair, type SerialPair } from '../support/serial-pair.ts';

const ARROZ = '7505599000026';
const LIMON_PLU = '00101';

type Device = { pair: SerialPair; port: SerialPort; received: Buffer[] };

async function serialDevice(onData?: (chunk: Buffer, port: SerialPort) => void): Promise<Device> {
  const pair = await openSerialPair();
  const port = new SerialPort({ path: pair.deviceEnd, baudRate: 9600 });
  const received: Buffer[] = [];
  port.on('data', (chunk: Buffer) => {
    received.push(chunk);
    onData?.(chunk, port);
  });
  await new Promise<void>((resolve) => port.on('open', () => resolve()));
  return { pair, port, received };
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The display's text as the customer reads it: PC850 letters, commands and padding dropped. */
const displayText = (bytes: Buffer[]) => {
  const all = Buffer.concat(bytes);
  const pc850: Record<number, string> = { 160: 'á', 130: 'é', 161: 'í', 162: 'ó', 163: 'ú', 164: 'ñ', 168: '¿', 173: '¡' };
  let out = '';
  for (let i = 0; i < all.length; i++) {
    const b = all[i]!;
    if (b === 0x1b) {
      i += all[i + 1] === 0x40 ? 1 : 2;
      continue;
    } // ESC @, ESC t n, ESC R n
    if (b === 0x1f) {
      i += all[i + 1] === 0x24 ? 3 : all[i + 1] === 0x43 ? 2 : 1;
      out += '\n';
      continue;
    } // US $ x y, US C n, US MD1
    if (b === 0x0c) {
      out += '\f';
      continue;
    }
    out += pc850[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '');
  }
  return out;
};
const lastScreen = (bytes: Buffer[]) =>
  displayText(bytes)
    .split('\f')
    .at(-1)!
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

describe('a register with a printer, a scanner, a pole display and a scale', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let printer: LoopbackPrinter;
  let scanner: Device;
  let display: Device;
  let scale: Device;
  let scaleAnswer = '\x0201.234\r';
  let owner: string;
  let manager: string;
  let cashier: string;
  let cash: string;
  const scans: ScanEvent[] = [];
  const call = async <T>(p: Promise<CallResult<T>>) => ok(await p);
  let n = 0;
  let reprintable = '';

  beforeAll(async () => {
    printer = await startLoopbackPrinter();
    scanner = await serialDevice();
    display = await serialDevice();
    scale = await serialDevice((chunk, port) => {
      if (chunk.includes(0x57)) port.write(scaleAnswer);
    });
    demo = await openDemoEngine('register-devices');
    await allowPrinterPorts(demo.engine, printer.port);
    demo.engine.events.on('scan', (e) => scans.push(e));
    owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
    manager = await signIn(demo.engine, demo.people.manager.id, demo.people.manager.pin);
    cashier = await signIn(demo.engine, demo.people.cashier.id, demo.people.cashier.pin);
    cash = (await call(demo.engine.call('sales.paymentMethods', {}, { token: cashier }))).find((m) => m.code === 'CASH')!.id;
  }, 60_000);
  afterAll(async () => {
    await demo?.dispose();
    await printer?.close();
    for (const d of [scanner, display, scale]) {
      if (!d) continue;
      await new Promise((r) => d.port.close(r));
      await d.pair.close();
    }
  });

  it('refuses a printer address it cannot use, in words, and keeps the old settings', async () => {
    const refused = await demo.engine.call(
      'devices.configure',
      { registerCode: 'CAJA-1', devices: { printer: { uri: 'lpt1' } } },
      { token: owner },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/not a printer address/) } });
    const cashierTries = await demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices: {} }, { token: cashier });
    expect(cashierTries).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await call(demo.engine.call('devices.status', {}, { token: cashier }))).devices).toEqual([]);
  });

  it('opens, claims and enables every configured device', async () => {
    const devices = {
      printer: { uri: printer.uri },
      scanners: [{ address: `serial:${realpathSync(scanner.pair.engineEnd)}?baud=9600` }],
      display: { address: `serial:${realpathSync(display.pair.engineEnd)}`, commandSet: 'epson' as const },
      scale: { address: `serial:${realpathSync(scale.pair.engineEnd)}?baud=9600&bits=8&parity=none`, unit: 'kg' as const },
    };
    const configured = await call(demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices }, { token: owner }));
    expect(configured.applied).toBe(true);
    const status = await call(demo.engine.call('devices.status', {}, { token: cashier }));
    expect(status.registerCode).toBe('CAJA-1');
    expect(status.devices.map((d) => [d.deviceId, d.kind, d.state, d.health])).toEqual([
      ['scanner-1', 'scanner', 'enabled', 'online'],
      ['display', 'display', 'enabled', 'online'],
      ['scale', 'scale', 'enabled', 'online'],
    ]);
    const audit = await demo.engine.services.sql.query<{ action: string }>(
      `SELECT action FROM auth.audit_logs WHERE action = 'devices.configure'`,
    );
    expect(audit).toHaveLength(1);
  });

  it('turns a serial scan into one scan event with its symbology', async () => {
    scanner.port.write(`]E0${ARROZ}\r`);
    await until('the scan event', () => scans.length === 1);
    expect(scans[0]).toEqual({ deviceId: 'scanner-1', code: ARROZ, symbology: 'EAN-13', source: 'serial' });
    scanner.port.write('\x01\x02garbage\x07\r');
    scanner.port.write(`${ARROZ}\r`);
    await until('the next good scan', () => scans.length === 2);
    expect(scans[1]).toMatchObject({ code: ARROZ });
  });

  it('shows each line on the pole display, weighs on the scale and shows the change after a cash sale', async () => {
    await call(demo.engine.call('shifts.open', { idempotencyKey: 'devices-shift-1', openingFloat: '500' }, { token: cashier }));
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: `devices-sale-${++n}` }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    await until('the item on the display', () => lastScreen(display.received).some((l) => l.endsWith('$31.50')));
    // The item and its price on top (the name gives way to the price), the sale's total below.
    expect(lastScreen(display.received)).toEqual(['Arroz súper e $31.50', expect.stringMatching(/^TOTAL\s+\$31\.50$/)]);

    const weight = await call(demo.engine.call('scale.read', {}, { token: cashier }));
    expect(weight).toMatchObject({ weightKg: '1.234', status: 'stable' });
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: LIMON_PLU, quantity: weight.weightKg! }, { token: cashier }));
    await until('the weighed item on the display', () => lastScreen(display.received).some((l) => l.includes('$41.96')));
    expect(lastScreen(display.received)[1]).toMatch(/^TOTAL\s+\$73\.46$/);

    const receipt = await call(
      demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '100' }] }, { token: cashier }),
    );
    await until('the change on the display', () => lastScreen(display.received).some((l) => l.startsWith('CAMBIO')));
    expect(lastScreen(display.received).join(' | ')).toMatch(/^PAGO\s+\$100\.00 \| CAMBIO\s+\$26\.54$/);
    // The drawer opens as the sale is paid; the receipt follows and opens nothing.
    const [kick, job] = await printer.waitForJobs(2);
    expect(decodeEscPos(kick!).events).toEqual([{ type: 'pulse', pin: 0 }]);
    expect(decodeEscPos(job!).events).toEqual([{ type: 'barcode', symbology: 73, data: receipt.receiptCode }, { type: 'cut' }]);
  });

  it('says why the scale gives no weight while the load is moving', async () => {
    scaleAnswer = '\x02?\x41\r'; // status byte: bit 0 motion (bit 6 always set)
    const moving = await demo.engine.call('scale.read', {}, { token: cashier });
    expect(moving).toMatchObject({ ok: false, error: { code: 'DEVICE_ERROR', params: { reason: 'MOTION' } } });
    scaleAnswer = '\x0201.234\r';
  });

  it('opens the drawer for a no-sale by someone allowed to, on record, and only once for a repeated request', async () => {
    const before = printer.jobs.length;
    const refused = await demo.engine.call('drawer.noSale', { reason: 'cambio', idempotencyKey: 'no-sale-0001' }, { token: cashier });
    expect(refused).toMatchObject({ ok: false, error: { code: 'OVERRIDE_REQUIRED' } });
    const opened = await call(
      demo.engine.call('drawer.noSale', { reason: 'cambio para cliente', idempotencyKey: 'no-sale-0002' }, { token: manager }),
    );
    expect(opened.drawer).toEqual({ opened: true, reason: null, message: null });
    await printer.waitForJobs(before + 1);
    expect(decodeEscPos(printer.jobs[before]!)).toMatchObject({ lines: [], events: [{ type: 'pulse', pin: 0 }] });
    const again = await call(
      demo.engine.call('drawer.noSale', { reason: 'cambio para cliente', idempotencyKey: 'no-sale-0002' }, { token: manager }),
    );
    expect(again).toMatchObject({ repeated: true, drawer: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.jobs).toHaveLength(before + 1);
    const audit = await demo.engine.services.sql.query<{ action: string }>(
      `SELECT action FROM auth.audit_logs WHERE action = 'drawer.no_sale'`,
    );
    expect(audit).toHaveLength(1);
  });

  it('reprints a sale as a marked copy without opening the drawer, and prints a gift receipt without prices', async () => {
    const start = printer.jobs.length;
    const sale = await call(demo.engine.call('sales.open', { idempotencyKey: `devices-sale-${++n}` }, { token: cashier }));
    await call(demo.engine.call('sales.addItem', { saleId: sale.id, code: ARROZ }, { token: cashier }));
    const receipt = await call(
      demo.engine.call('sales.complete', { saleId: sale.id, tenders: [{ methodId: cash, tendered: '50' }] }, { token: cashier }),
    );
    const before = (await printer.waitForJobs(start + 2)).length;

    const copy = await call(demo.engine.call('sales.reprint', { saleId: sale.id }, { token: cashier }));
    expect(copy).toMatchObject({ copyNumber: 1, printed: true });
    const gift = await call(demo.engine.call('sales.reprint', { saleId: sale.id, variant: 'gift' }, { token: cashier }));
    expect(gift).toMatchObject({ copyNumber: 2, printed: true });
    const [copyJob, giftJob] = (await printer.waitForJobs(before + 2)).slice(before);
    const copyText = decodeEscPos(copyJob!);
    expect(copyText.lines.map((l) => l.trim())).toContain('*** COPIA ***');
    expect(copyText.lines.find((l) => l.startsWith('TOTAL'))).toMatch(/\$31\.50$/);
    expect(copyText.events).toEqual([{ type: 'barcode', symbology: 73, data: receipt.receiptCode }, { type: 'cut' }]);
    const giftText = decodeEscPos(giftJob!);
    expect(giftText.lines.map((l) => l.trim())).toContain('TICKET DE REGALO');
    expect(giftText.text).not.toMatch(/\$/);
    expect(giftText.events).toEqual([{ type: 'barcode', symbology: 73, data: receipt.receiptCode }, { type: 'cut' }]);

    reprintable = sale.id;
    const stored = await call(demo.engine.call('sales.receipts', { saleId: sale.id }, { token: cashier }));
    expect(stored.map((r) => [r.kind, r.copyNumber, r.status])).toEqual([
      ['SALE', 0, 'PRINTED'],
      ['SALE', 1, 'PRINTED'],
      ['GIFT', 2, 'PRINTED'],
    ]);
  });

  it('prints the X report on request and the Z report at close, hiding cash figures from a blind count', async () => {
    const before = printer.jobs.length;
    await call(demo.engine.call('shifts.printXReport', {}, { token: cashier }));
    const [x] = (await printer.waitForJobs(before + 1)).slice(before);
    const xText = decodeEscPos(x!).lines.map((l) => l.trim());
    expect(xText).toContain('CORTE X (parcial)');
    expect(xText.find((l) => l.startsWith('Tickets'))).toMatch(/\s2$/);
    expect(xText.find((l) => l.startsWith('Esperado en caja'))).toMatch(/—$/);
    // Nor any total the expected cash could be worked out from.
    expect(xText.find((l) => l.startsWith('Total'))).toMatch(/—$/);
    expect(xText.filter((l) => /^(Efectivo|Tarjeta) \(\d+\)/.test(l)).every((l) => l.endsWith('—'))).toBe(true);

    const closed = await call(
      demo.engine.call(
        'shifts.close',
        { idempotencyKey: 'devices-close-1', countedCash: '600.00' },
        { token: cashier, override: { employeeId: demo.people.manager.id, pin: demo.people.manager.pin } },
      ),
    );
    const [z] = (await printer.waitForJobs(before + 2)).slice(before + 1);
    const zText = decodeEscPos(z!).lines.map((l) => l.trim());
    expect(zText).toContain(`CORTE Z No. ${closed.zNumber}`);
    expect(zText.find((l) => l.startsWith('Esperado en caja'))).toMatch(/\$604\.96$/);
    expect(zText.find((l) => l.startsWith('Contado'))).toMatch(/\$600\.00$/);
    expect(decodeEscPos(z!).events).toEqual([{ type: 'cut' }]);
  });

  it('prints a test page on request and answers a missing port with a device error, still running', async () => {
    const before = printer.jobs.length;
    const tested = await call(demo.engine.call('devices.printTest', {}, { token: owner }));
    expect(tested).toMatchObject({ printerUri: printer.uri, statusSupported: true, conditions: [] });
    const [page] = (await printer.waitForJobs(before + 1)).slice(before);
    expect(decodeEscPos(page!).lines.map((l) => l.trim())).toContain('Muestra: á é í ó ú ñ Ñ ü ¿ ¡ $');

    const missing = await demo.engine.call('devices.printTest', { printerUri: 'serial:/dev/ttyNOPE0' }, { token: owner });
    expect(missing).toMatchObject({ ok: false, error: { code: 'DEVICE_ERROR', params: { reason: 'NOT_FOUND' } } });
    const bad = await demo.engine.call('devices.printTest', { printerUri: 'ftp://printer' }, { token: owner });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await call(demo.engine.call('devices.status', {}, { token: cashier }))).devices.every((d) => d.state === 'enabled')).toBe(true);
  });

  it('sends the receipts waiting for a printer to its new address when the address changes', async () => {
    const replacement = await startLoopbackPrinter();
    await allowPrinterPorts(demo.engine, printer.port, replacement.port);
    await printer.unplug();
    const copy = await call(demo.engine.call('sales.reprint', { saleId: reprintable }, { token: cashier }));
    await new Promise((r) => setTimeout(r, 300));
    expect((await call(demo.engine.call('sales.receipts', { saleId: reprintable }, { token: cashier }))).at(-1)).toMatchObject({
      id: copy.receiptId,
      status: 'PENDING',
    });
    await call(
      demo.engine.call('devices.configure', { registerCode: 'CAJA-1', devices: { printer: { uri: replacement.uri } } }, { token: owner }),
    );
    const [job] = await replacement.waitForJobs(1);
    expect(decodeEscPos(job!).lines.map((l) => l.trim())).toContain('*** COPIA ***');
    expect((await call(demo.engine.call('sales.receipts', { saleId: reprintable }, { token: cashier }))).at(-1)).toMatchObject({
      status: 'PRINTED',
      printerUri: replacement.uri,
    });
    await printer.plugIn();
    await replacement.close();
  });

  it('shows a display on a port that does not exist as offline, with the reason, without stopping the others', async () => {
    const statuses: string[] = [];
    const off = demo.engine.events.on('device.status', (s) => s.deviceId === 'display' && statuses.push(`${s.state}/${s.health}`));
    const configured = await call(
      demo.engine.call(
        'devices.configure',
        {
          registerCode: 'CAJA-1',
          devices: { printer: { uri: printer.uri }, display: { address: 'serial:/dev/ttyNOPE1', commandSet: 'cd5220' } },
        },
        { token: owner },
      ),
    );
    expect(configured.applied).toBe(true);
    const status = await call(demo.engine.call('devices.status', {}, { token: cashier }));
    expect(status.devices).toEqual([
      expect.objectContaining({
        deviceId: 'display',
        state: 'opened',
        health: 'offline',
        error: expect.objectContaining({ code: 'NOT_FOUND' }),
      }),
    ]);
    expect(statuses).toContain('opened/offline');
    off();
  });
});
