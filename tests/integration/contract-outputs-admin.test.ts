// Every call of the back office's and the register's own domains (auth, staff, roles, audit,
// devices and the scale, catalog, inventory, sync, notifications, settings) answers what the contract
// declares. A fresh demo engine with a loopback printer, a serial scanner and a scale makes each
// call at least once, lists with at least one row, and each answer must parse with the call's
// declared output as it left the engine (the IPC path) and after a JSON round trip (the WebSocket
// path); the events the devices raise meanwhile must parse with their declared payloads too. The
// last test fails when a call of these domains was never answered here, so a new call without
// coverage cannot slip by.
import { realpathSync } from 'node:fs';
import pg from 'pg';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, type CallName } from '#contract/calls.ts';
import { deviceStatus } from '#contract/device-status.ts';
import type { ServerEventName } from '#contract/events.ts';
import type { CallSpec } from '#contract/fields.ts';
import { makeEan13 } from '#contract/gtin.ts';
import { notificationEvent } from '#contract/notification.ts';
import { printerState } from '#contract/printer-state.ts';
import { scaleReading } from '#contract/scale-reading.ts';
import { scanEvent } from '#contract/scan-event.ts';
import { syncStatus } from '#contract/sync-status.ts';
import type { CallArgs, CallOutput } from '#engine/dispatch.ts';
import { notifyEmployeesWith } from '#engine/services/notifications/in-app.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { CentralConflicts } from '#engine/sync/central-conflicts.ts';
import { provisionTerminal } from '#engine/sync/provision.ts';
import { ok, openDemoEngine } from '../support/demo-engine.ts';
import { createCentral } from '../support/sync-fixture.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';
import { allowPrinterPorts } from '../support/printer-ports.ts';
import { openSerialPair, type SerialPair } from '../support/serial-pair.ts';

import { ADMIN_CALLS } from '../support/contract-owners.ts';

const DOMAINS = ADMIN_CALLS;
const ARROZ = '7505599000026';

type Device = { pair: SerialPair; port: SerialPort };

/** A device on a virtual serial cable; `answer` plays it (the scale answers a weight request). */
async function serialDevice(answer?: (chunk: Buffer, port: SerialPort) => void): Promise<Device> {
  const pair = await openSerialPair();
  const port = new SerialPort({ path: pair.deviceEnd, baudRate: 9600 });
  if (answer) port.on('data', (chunk: Buffer) => answer(chunk, port));
  await new Promise<void>((resolve) => port.on('open', () => resolve()));
  return { pair, port };
}

const until = async (what: string, check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The event payloads this test can cause, with the schema each must parse with. */
const EVENT_SCHEMAS: Partial<Record<ServerEventName, z.ZodType>> = {
  'device.status': deviceStatus,
  scan: scanEvent,
  'scale.reading': scaleReading,
  'printer.queue': printerState,
  'sync.status': syncStatus,
  notification: notificationEvent,
};

let t: Awaited<ReturnType<typeof openDemoEngine>>;
let printer: LoopbackPrinter;
let scanner: Device;
let scale: Device;
const answered = new Set<string>();
const events: { name: ServerEventName; payload: unknown }[] = [];

/** The call's value, which must be a success that parses with its declared output, as sent and as JSON. */
async function answer<K extends CallName>(name: K, input: CallArgs<K>, token?: string): Promise<CallOutput<K>> {
  const value = ok(await t.engine.call(name, input, token ? { token } : {}));
  const output = (contract[name] as CallSpec).output;
  expect(output, `${name} declares no output`).toBeDefined();
  expect(output!.safeParse(value).error).toBeUndefined();
  expect(output!.safeParse(JSON.parse(JSON.stringify(value))).error).toBeUndefined();
  answered.add(name);
  return value;
}

beforeAll(async () => {
  printer = await startLoopbackPrinter();
  scanner = await serialDevice();
  scale = await serialDevice((chunk, port) => {
    if (chunk.includes(0x57)) port.write('\x0201.234\r');
  });
  t = await openDemoEngine('contract-outputs-admin');
  await allowPrinterPorts(t.engine, printer.port);
  for (const name of Object.keys(EVENT_SCHEMAS) as ServerEventName[]) {
    t.engine.events.on(name, (payload) => events.push({ name, payload }));
  }
}, 120_000);

afterAll(async () => {
  await t?.dispose();
  await printer?.close();
  for (const d of [scanner, scale]) {
    if (!d) continue;
    await new Promise((r) => d.port.close(r));
    await d.pair.close();
  }
});

/** A TOTP code one 30-second step later than the last: each code is taken once. */
const nextCode = (secret: string) => {
  t.clock.advance(30_000);
  return totpCodeAt(secret, t.clock.now());
};

let owner = '';
let cashier = '';

describe('signing in and out', () => {
  it('answers the sign-in screen, a PIN and a password sign-in, and a step-up, as declared', async () => {
    const info = await answer('terminal.info', {});
    expect(info.locale).toBe('es-MX');
    const staff = await answer('auth.staffForSignIn', {});
    expect(staff.length).toBeGreaterThanOrEqual(3);
    cashier = (await answer('auth.signInWithPin', { employeeId: t.people.cashier.id, pin: t.people.cashier.pin })).token;
    owner = (await answer('auth.signInWithPin', { employeeId: t.people.owner.id, pin: t.people.owner.pin })).token;
    expect(
      (await answer('auth.stepUp', { password: t.people.owner.password, totp: nextCode(t.people.owner.totpSecret) }, owner)).stepUpUntil,
    ).toMatch(/Z$/);
    const byPassword = await answer('auth.signInWithPassword', {
      email: t.people.owner.email,
      password: t.people.owner.password,
      totp: nextCode(t.people.owner.totpSecret),
      trustThisDevice: true,
      deviceName: 'Caja de pruebas',
    });
    expect(byPassword.trustedDeviceToken).toEqual(expect.any(String));
    const me = await answer('auth.whoAmI', {}, owner);
    expect(me).toMatchObject({ kind: 'PIN', employee: { id: t.people.owner.id }, stepUpUntil: expect.stringMatching(/Z$/) });
  });

  it('answers a refresh, a sign-out and ending the other sessions as declared', async () => {
    const spare = (await answer('auth.signInWithPin', { employeeId: t.people.cashier.id, pin: t.people.cashier.pin })).token;
    const refreshed = await answer('auth.refresh', {}, spare);
    expect(refreshed.token).not.toBe(spare);
    expect(await answer('auth.signOut', {}, refreshed.token)).toEqual({ signedOut: true });
    await answer('auth.signInWithPin', { employeeId: t.people.cashier.id, pin: t.people.cashier.pin });
    expect((await answer('auth.signOutEverywhereElse', {}, cashier)).sessionsEnded).toBeGreaterThanOrEqual(1);
  });

  it('answers changing a PIN and a password as declared', async () => {
    expect(await answer('auth.changePin', { currentPin: t.people.cashier.pin, newPin: '482613' }, cashier)).toEqual({ changed: true });
    const manager = (await answer('auth.signInWithPin', { employeeId: t.people.manager.id, pin: t.people.manager.pin })).token;
    const changed = await answer(
      'auth.changePassword',
      { currentPassword: t.people.manager.password, newPassword: 'otra-clave-de-prueba-2026' },
      manager,
    );
    expect(changed.changed).toBe(true);
  });

  it('answers setting up, confirming and removing an authenticator as declared', async () => {
    const begun = await answer('auth.mfa.beginTotp', { label: 'Teléfono de prueba' }, cashier);
    expect(begun.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const confirmed = await answer('auth.mfa.confirmTotp', { factorId: begun.factorId, code: nextCode(begun.secret) }, cashier);
    expect(confirmed.recoveryCodes.length).toBeGreaterThan(0);
    expect(await answer('auth.mfa.removeFactor', { factorId: begun.factorId, code: nextCode(begun.secret) }, cashier)).toEqual({
      removed: true,
    });
  });
});

describe('the people and what they may do', () => {
  it('answers the staff list and every change to an employee as declared', async () => {
    const staff = await answer('staff.list', {}, owner);
    const cashierRow = staff.find((s) => s.id === t.people.cashier.id)!;
    const saved = await answer(
      'staff.save',
      {
        code: '901',
        displayName: 'Prueba del Contrato',
        roleId: cashierRow.roleId,
        branchIds: cashierRow.branchIds,
        phone: '+525512340901',
      },
      owner,
    );
    expect(await answer('staff.setPin', { employeeId: saved.employeeId, pin: '573019' }, owner)).toEqual({ set: true });
    expect(await answer('staff.unlock', { employeeId: saved.employeeId }, owner)).toEqual({ unlocked: true });
    const again = await answer('staff.list', {}, owner);
    expect(again.find((s) => s.id === saved.employeeId)).toMatchObject({ hasPin: true, pinLocked: false, status: 'ACTIVE' });
  });

  it('answers the roles and a saved role as declared', async () => {
    expect((await answer('roles.list', {}, owner)).length).toBeGreaterThan(0);
    const saved = await answer(
      'roles.save',
      { name: 'Contrato de prueba', maxDiscountRate: '0.05', permissions: ['sales.sell', 'sales.reprint'] },
      owner,
    );
    expect(saved.added).toEqual(['sales.reprint', 'sales.sell']);
  });

  it('answers the receipts’ settings and setting and taking away the self-invoicing page as declared', async () => {
    expect(await answer('settings.receipts', {}, owner)).toEqual({ selfInvoicingUrl: null, selfInvoicingPage: null, country: 'MX' });
    expect(await answer('settings.setSelfInvoicing', { url: 'https://factura.laesperanza.example/' }, owner)).toEqual({
      selfInvoicingUrl: 'https://factura.laesperanza.example',
      selfInvoicingPage: 'https://factura.laesperanza.example/factura',
      country: 'MX',
    });
    expect((await answer('settings.receipts', {}, owner)).selfInvoicingUrl).toBe('https://factura.laesperanza.example');
    expect(await answer('settings.setSelfInvoicing', { url: null }, owner)).toMatchObject({ selfInvoicingUrl: null });
  });

  it('answers the audit trail as declared', async () => {
    const lines = await answer('audit.tail', { limit: 100 }, owner);
    expect(lines.some((l) => l.action === 'staff.created')).toBe(true);
    expect(lines.filter((l) => l.action === 'settings.set')).toHaveLength(2);
  });
});

describe('the catalog and its stock', () => {
  let productId = '';
  let variantId = '';

  it('answers reading the catalog as declared', async () => {
    expect((await answer('catalog.categories', {}, owner)).length).toBeGreaterThan(0);
    expect((await answer('catalog.products', { limit: 5 }, owner)).items).toHaveLength(5);
    expect((await answer('catalog.products', { text: 'arroz' }, cashier)).items.length).toBeGreaterThan(0);
  });

  it('answers every edit of a product, its variants, barcodes and prices as declared', async () => {
    const categoryId = (await answer('catalog.categories', {}, owner))[0]!.id;
    const created = await answer(
      'catalog.saveProduct',
      {
        name: 'Producto del contrato',
        categoryId,
        taxCode: 'IVA16',
        soldBy: 'UNIT',
        unit: 'pza',
        variant: { sku: 'CONTRATO-1', price: '12.50', cost: '8.00', barcode: makeEan13('779123499001') },
      },
      owner,
    );
    productId = created.productId;
    expect(created.variantId).not.toBeNull();
    const edited = await answer(
      'catalog.saveProduct',
      {
        id: productId,
        version: created.version,
        name: 'Producto del contrato',
        taxCode: 'IVA16',
        description: 'Una línea\notra línea',
      },
      owner,
    );
    expect(edited.variantId).toBeNull();
    const variant = await answer('catalog.saveVariant', { productId, sku: 'CONTRATO-2', name: 'grande', price: '15.00' }, owner);
    variantId = variant.variantId;
    const withBarcode = await answer(
      'catalog.addBarcode',
      { variantId, version: variant.version, barcode: makeEan13('779123499002') },
      owner,
    );
    const without = await answer('catalog.removeBarcode', { variantId, version: withBarcode.version }, owner);
    expect(await answer('catalog.setPrice', { variantId, version: without.version, price: '16.00', cost: '9.00' }, owner)).toEqual({
      variantId,
      version: without.version + 1,
      changed: true,
    });
  });

  it('answers the branches, receiving and counting stock, levels and movements as declared', async () => {
    expect((await answer('inventory.branches', {}, owner)).length).toBeGreaterThan(0);
    const received = await answer(
      'inventory.receive',
      {
        variantId,
        quantity: '12',
        unitCost: '9.00',
        supplierReference: 'FAC-0001',
        idempotencyKey: 'contract-receive-0001',
      },
      owner,
    );
    expect(received).toMatchObject({ change: '12', repeated: false });
    const counted = await answer(
      'inventory.adjust',
      {
        variantId,
        countedQuantity: '10',
        reason: 'conteo',
        expectedVersion: received.version,
        idempotencyKey: 'contract-adjust-0001',
      },
      owner,
    );
    expect(counted).toMatchObject({ change: '-2', repeated: false });
    expect((await answer('inventory.levels', { limit: 10 }, owner)).items.length).toBeGreaterThan(0);
    expect((await answer('inventory.levels', { text: 'Producto del contrato' }, owner)).items.some((l) => l.variantId === variantId)).toBe(
      true,
    );
    expect((await answer('inventory.movements', { variantId }, owner)).map((m) => m.kind)).toEqual(['COUNT', 'RECEIVE']);
  });

  it('answers a product with its variants and their stock here, with the cost hidden from a cashier, as declared', async () => {
    const product = await answer('catalog.product', { productId }, owner);
    expect(product.variants.find((v) => v.id === variantId)).toMatchObject({ cost: '9.0000', stock: { quantity: '10.0000' } });
    const seenByCashier = await answer('catalog.product', { productId }, cashier);
    expect(seenByCashier.variants.every((v) => v.cost === null)).toBe(true);
  });
});

describe('the register devices', () => {
  it('answers configuring the devices, their status and what this machine has as declared', async () => {
    const configured = await answer(
      'devices.configure',
      {
        registerCode: 'CAJA-1',
        devices: {
          printer: { uri: printer.uri },
          scanners: [{ address: `serial:${realpathSync(scanner.pair.engineEnd)}?baud=9600` }],
          scale: { address: `serial:${realpathSync(scale.pair.engineEnd)}?baud=9600&bits=8&parity=none` },
        },
      },
      owner,
    );
    expect(configured).toMatchObject({ applied: true, devices: { scale: { unit: 'kg' } } });
    const status = await answer('devices.status', {}, cashier);
    expect(status.devices.map((d) => d.kind)).toEqual(['scanner', 'scale']);
    expect(status.printers.map((p) => p.printerUri)).toEqual([printer.uri]);
    await answer('devices.discover', {}, owner);
  });

  it('answers a test page, a retry and a weight as declared, and the devices raise events as declared', async () => {
    expect(await answer('devices.printTest', {}, owner)).toMatchObject({ printerUri: printer.uri, statusSupported: true });
    expect(await answer('devices.retryPrinter', { printerUri: printer.uri }, cashier)).toEqual({ printerUri: printer.uri });
    // A receipt left with an unknown outcome (as a printer that jammed mid-job leaves one when the store asks the cashier).
    const [register] = await t.engine.services.sql.query<{ id: string }>(`SELECT id FROM sales.cash_registers WHERE code = 'CAJA-1'`);
    await t.engine.services.sql.query(
      `INSERT INTO sales.receipts (id, register_id, kind, printer_uri, status, document, last_error)
       VALUES (gen_random_uuid(), $1, 'X_REPORT', $2, 'UNCERTAIN', '{"kind":"X_REPORT","paperWidth":80,"blocks":[]}', 'stopped answering in the middle of the job')`,
      [register!.id, printer.uri],
    );
    const [unknown] = (await answer('devices.status', {}, cashier)).uncertainPrints;
    expect(unknown).toMatchObject({ kind: 'X_REPORT', receiptCode: null, reason: expect.stringMatching(/middle of the job/) });
    expect(await answer('devices.settlePrint', { receiptId: unknown!.receiptId, outcome: 'PRINTED' }, cashier)).toEqual({
      receiptId: unknown!.receiptId,
      outcome: 'PRINTED',
      copyId: null,
    });
    expect(await answer('scale.read', {}, cashier)).toMatchObject({ weightKg: '1.234', status: 'stable' });
    scanner.port.write(`]E0${ARROZ}\r`);
    await until('the scan event', () => events.some((e) => e.name === 'scan'));
    await until('the printer queue event', () => events.some((e) => e.name === 'printer.queue'));
    expect(new Set(events.map((e) => e.name))).toEqual(new Set(['device.status', 'scan', 'scale.reading', 'printer.queue']));
    for (const { name, payload } of events) {
      expect(EVENT_SCHEMAS[name]!.safeParse(payload).error, `${name} ${JSON.stringify(payload)}`).toBeUndefined();
    }
  });
});

describe('sync and notifications', () => {
  it('answers the sync status and a sync request of a register not set up to sync as declared', async () => {
    expect(await answer('sync.status', {}, cashier)).toEqual({ configured: false });
    expect(await answer('sync.now', {}, owner)).toEqual({ started: false });
  });

  it("answers the bell's list and marking it read as declared", async () => {
    const written = await notifyEmployeesWith(
      t.engine.services.sql,
      t.engine.services.terminal!,
      'sync.manage',
      {
        severity: 'WARNING',
        title: 'Prueba',
        body: 'Una notificación de prueba',
        data: { code: 'test.contract', count: 1 },
      },
      t.clock.now(),
    );
    expect(written).toBeGreaterThan(0);
    const list = await answer('notifications.list', {}, owner);
    expect(list).toMatchObject({ unread: 1, items: [{ severity: 'WARNING', readAt: null, data: { code: 'test.contract' } }] });
    expect(await answer('notifications.markRead', { ids: [list.items[0]!.id] }, owner)).toEqual({ marked: 1 });
  });

  it('answers the list of what central could not send, and a retry of one, as declared', async () => {
    // A failed job as a pull leaves it in this register's copy (sync.terminal_notification_jobs).
    const sql = t.engine.services.sql;
    const [template] = await sql.query<{ id: string }>(
      `INSERT INTO communication.notification_templates (id, code, channel, locale, subject, body)
       VALUES (gen_random_uuid(), 'sale.receipt', 'EMAIL', 'es-MX', 'Su ticket', '<mjml></mjml>') RETURNING id`,
    );
    const [job] = await sql.query<{ id: string }>(
      `INSERT INTO communication.notification_jobs (id, business_id, template_id, channel, recipient, status, attempts, last_error, idempotency_key)
       VALUES (gen_random_uuid(), $1, $2, 'EMAIL', 'a***@ejemplo.mx', 'FAILED', 1, '550 5.1.1 <a***@ejemplo.mx>: User unknown', 'contract:outgoing')
       RETURNING id`,
      [t.engine.services.terminal!.businessId, template!.id],
    );
    expect(await answer('notifications.outgoing', { failedOnly: true }, owner)).toMatchObject([
      { id: job!.id, channel: 'EMAIL', template: 'sale.receipt', status: 'FAILED', retryRequested: false },
    ]);
    expect(await answer('notifications.retry', { id: job!.id }, owner)).toEqual({ queued: true });
  });

  it("answers the catalog's conflicts and keeping one side as declared, with no central and with central's record of one", async () => {
    // The demo store's register has no central: there is nothing to ask.
    expect(await answer('sync.conflicts', {}, owner)).toEqual({ central: 'none' });
    // The same store at a real central, this register's login asking it: an edit of a product
    // central refused because it held that version already, as a push would hand it over.
    const { database, central } = await createCentral('contract_conflicts', 1);
    const terminal = t.engine.services.terminal!;
    const login = await provisionTerminal(central, database.url, { ...terminal, password: 'contract-conflicts' });
    const source = new CentralConflicts({ url: login.central.url, registerId: terminal.registerId });
    try {
      const [product] = await central.sql.query<{ row: Record<string, unknown> }>(
        `SELECT to_jsonb(p) AS row FROM inventory.products p WHERE business_id = $1 AND sold_by = 'UNIT' ORDER BY id LIMIT 1`,
        [terminal.businessId],
      );
      const asRegister = new pg.Client({ connectionString: login.central.url });
      await asRegister.connect();
      try {
        await asRegister.query(`SELECT sync.apply_catalog_row('inventory.products', $1::jsonb, $2::uuid)`, [
          JSON.stringify({ ...product!.row, name: 'Nombre que otra caja ganó' }),
          t.people.owner.id,
        ]);
      } finally {
        await asRegister.end();
      }
      t.engine.services.catalogConflicts = source;
      const listed = await answer('sync.conflicts', {}, owner);
      if (listed.central !== 'answered') throw new Error(JSON.stringify(listed));
      expect(listed.conflicts).toMatchObject([
        { kind: 'product', rowId: product!.row.id, differences: [{ field: 'name', ours: 'Nombre que otra caja ganó' }] },
      ]);
      expect(
        await answer(
          'sync.resolveConflict',
          { conflictId: listed.conflicts[0]!.id, keep: 'OURS', idempotencyKey: 'contract-conflict-ours' },
          owner,
        ),
      ).toMatchObject({ conflictId: listed.conflicts[0]!.id, keep: 'OURS', savedVersion: Number(product!.row.version) + 1 });
    } finally {
      t.engine.services.catalogConflicts = null;
      await source.close();
      await central.close();
      await database.drop();
    }
  }, 60_000);

  it('answers a request for the link that subscribes a phone to alerts as declared', async () => {
    expect(await answer('notifications.phoneLink', {}, owner)).toEqual({ requested: true });
  });
});

describe('the domains as a whole', () => {
  it('ends a step-up as declared', async () => {
    expect(await answer('auth.endStepUp', {}, owner)).toEqual({ ended: true });
  });

  it('answered every call of these domains at least once', () => {
    const mine = Object.keys(contract)
      .filter((name) => DOMAINS.test(name))
      .sort();
    expect(mine.length).toBeGreaterThan(40);
    expect(mine.filter((name) => !answered.has(name))).toEqual([]);
  });
});
