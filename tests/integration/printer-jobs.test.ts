// The print spool against printers that misbehave the way real ones do: silent in the middle of
// a job, out of paper, deaf to status requests, on a serial cable, on a USB printer device, or
// dead beside a healthy one. Every job prints once, whole, in order, or waits.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDocument } from '#engine/devices/printer/escpos.ts';
import { createPrintSpool, type PrinterState } from '#engine/devices/printer/print-spool.ts';
import { REPRINT_MARK } from '#contract/receipt-document.ts';
import type { ReceiptDocument } from '#contract/receipt-document.ts';
import { testPageDocument } from '#engine/devices/printer/test-page.ts';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { openDemoEngine } from '../support/demo-engine.ts';
import { tempDir } from '../support/local.ts';
import { startLoopbackPrinter } from '../support/loopback-printer.ts';
import { openSerialPair } from '../support/serial-pair.ts';

const ticket = (n: number): ReceiptDocument => ({
  kind: 'SALE',
  paperWidth: 80,
  blocks: [{ type: 'text', text: `Ticket ${n} — pequeño señor` }, { type: 'cut' }],
});

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the print spool and its printers', () => {
  let demo: Awaited<ReturnType<typeof openDemoEngine>>;
  let registerId: string;
  const states: PrinterState[] = [];
  const spools: ReturnType<typeof createPrintSpool>[] = [];
  const spool = (opts: Parameters<typeof createPrintSpool>[1] = {}) => {
    const s = createPrintSpool(demo.engine.services.sql, {
      timeoutMs: 600,
      backoffMs: [100, 200],
      onChange: (st) => states.push(st),
      ...opts,
    });
    spools.push(s);
    return s;
  };
  const jobsOf = (uri: string) =>
    demo.engine.services.sql.query<{ status: string; attempts: number; last_error: string | null }>(
      `SELECT status, attempts, last_error FROM sales.receipts WHERE printer_uri = $1 ORDER BY created_at, id`,
      [uri],
    );
  const enqueue = (s: ReturnType<typeof spool>, printerUri: string, document: ReceiptDocument) =>
    s.enqueue({ registerId, kind: 'SALE', printerUri, document });
  const textOf = (job: Buffer) =>
    decodeEscPos(job)
      .lines.map((l) => l.trim())
      .filter(Boolean);

  beforeAll(async () => {
    demo = await openDemoEngine('printer-jobs');
    [{ id: registerId }] = (await demo.engine.services.sql.query<{ id: string }>(
      `SELECT id FROM sales.cash_registers ORDER BY code LIMIT 1`,
    )) as [{ id: string }];
  }, 60_000);
  afterAll(async () => {
    await Promise.all(spools.map((s) => s.stop()));
    await demo?.dispose();
  });

  it('never sends a receipt again blindly when the printer jams in the middle of it: a copy marked as a reprint follows once it is back', async () => {
    const printer = await startLoopbackPrinter();
    const s = spool();
    printer.jamAfter(20);
    for (const n of [1, 2, 3]) await enqueue(s, printer.uri, ticket(n));
    await until('the jammed job to be set aside', async () => (await jobsOf(printer.uri))[0]!.status === 'REPRINTED');
    const [jammed] = await jobsOf(printer.uri);
    expect(jammed).toMatchObject({
      status: 'REPRINTED',
      attempts: 1,
      last_error: expect.stringMatching(/stopped answering in the middle of the job/),
    });
    await until('the next job to find the printer hung', async () => (await jobsOf(printer.uri))[1]!.attempts >= 1);
    expect((await s.status()).find((p) => p.printerUri === printer.uri)).toMatchObject({
      health: 'hung',
      pending: 3,
      statusSupport: 'yes',
    });
    expect(printer.partials).toHaveLength(1);
    expect(printer.jobs).toHaveLength(0);
    // It reads on: what was in its buffer prints (the original), then the rest, then the marked copy.
    printer.recover();
    const jobs = await printer.waitForJobs(4);
    await new Promise((r) => setTimeout(r, 300));
    expect(jobs.map((j) => textOf(j).join(' | '))).toEqual([
      'Ticket 1 — pequeño señor',
      'Ticket 2 — pequeño señor',
      'Ticket 3 — pequeño señor',
      `${REPRINT_MARK} | Ticket 1 — pequeño señor`,
    ]);
    expect((await jobsOf(printer.uri)).map((j) => j.status)).toEqual(['REPRINTED', 'PRINTED', 'PRINTED', 'PRINTED']);
    await printer.close();
  });

  it('asks the cashier about a receipt whose outcome is unknown when the store chooses so, and prints a copy only when told', async () => {
    const printer = await startLoopbackPrinter();
    const s = spool();
    s.usePrinter({ uri: printer.uri, paperWidth: 80, uncertain: 'ask' });
    printer.jamAfter(20);
    await enqueue(s, printer.uri, ticket(21));
    await until('the job to wait for the cashier', async () => (await jobsOf(printer.uri))[0]!.status === 'UNCERTAIN');
    const [waiting] = await s.uncertain();
    expect(waiting).toMatchObject({ printerUri: printer.uri, kind: 'SALE', reason: expect.stringMatching(/middle of the job/) });
    printer.recover();
    await printer.waitForJobs(1);
    await until('the printer seen again', async () => (await s.status()).find((p) => p.printerUri === printer.uri)?.uncertain === 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(printer.jobs).toHaveLength(1);
    const { copyId } = await s.settle(waiting!.receiptId, 'REPRINT', 'Ana');
    expect(copyId).toEqual(expect.any(String));
    const [, copy] = await printer.waitForJobs(2);
    expect(textOf(copy!)).toEqual([REPRINT_MARK, 'Ticket 21 — pequeño señor']);
    await expect(s.settle(waiting!.receiptId, 'PRINTED', 'Ana')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await printer.close();
  });

  it('takes a printer that hangs from the first byte for hung, not for one without status, and sends it nothing until it reads again', async () => {
    const printer = await startLoopbackPrinter();
    const s = spool();
    printer.hang();
    await enqueue(s, printer.uri, ticket(22));
    await until('a first try', async () => (await jobsOf(printer.uri))[0]!.attempts >= 1);
    expect((await s.status()).find((p) => p.printerUri === printer.uri)).toMatchObject({
      health: 'hung',
      statusSupport: 'unknown',
      pending: 1,
      lastError: expect.stringMatching(/not reading/),
    });
    expect((await jobsOf(printer.uri))[0]!.status).toBe('PENDING');
    // The test page says so too: nothing printed is never a success.
    await expect(s.sendNow(printer.uri, Uint8Array.of(0x1b, 0x40, 0x41, 0x0a))).rejects.toMatchObject({ code: 'TIMEOUT' });
    printer.recover();
    s.retry(printer.uri);
    const [job] = await printer.waitForJobs(1);
    expect(textOf(job!)).toEqual(['Ticket 22 — pequeño señor']);
    await until('the job marked printed', async () => (await jobsOf(printer.uri))[0]!.status === 'PRINTED');
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.jobs).toHaveLength(1);
    await printer.close();
  });

  it('sends a status-less printer that jammed nothing more until it shows it reads again, so one copy follows and no more', async () => {
    const printer = await startLoopbackPrinter({ answersStatus: false });
    const s = spool();
    await enqueue(s, printer.uri, ticket(23));
    await printer.waitForJobs(1);
    printer.jamAfter(20);
    await enqueue(s, printer.uri, ticket(24));
    await until('the jammed job to be set aside', async () => (await jobsOf(printer.uri))[1]?.status === 'REPRINTED');
    await until('the copy to be tried on the hung printer', async () => (await jobsOf(printer.uri))[2]!.attempts >= 2);
    expect(printer.partials).toHaveLength(1);
    printer.recover();
    const jobs = await printer.waitForJobs(3);
    await new Promise((r) => setTimeout(r, 500));
    expect(jobs.map((j) => textOf(j).join(' | '))).toEqual([
      'Ticket 23 — pequeño señor',
      'Ticket 24 — pequeño señor',
      `${REPRINT_MARK} | Ticket 24 — pequeño señor`,
    ]);
    expect((await s.status()).find((p) => p.printerUri === printer.uri)).toMatchObject({ statusSupport: 'no', health: 'online' });
    await printer.close();
  });

  it('opens the drawer on a connection of its own while a job is stuck in the printer', async () => {
    const printer = await startLoopbackPrinter();
    const s = spool({ timeoutMs: 3_000 });
    printer.stallAfter(20);
    await enqueue(s, printer.uri, ticket(25));
    await until('the job to be stuck', () => printer.partials.length === 1);
    const asked = Date.now();
    await s.openDrawer(printer.uri);
    await until('the pulse to arrive', () => printer.drawerKicks.length === 1);
    expect(printer.drawerKicks[0]! - asked).toBeLessThan(1_000);
    printer.recover();
    await printer.close();
  });

  it('keeps a job while the printer is out of paper, says so, and prints it once paper is in', async () => {
    const printer = await startLoopbackPrinter();
    const s = spool({ backoffMs: [60_000] });
    printer.conditions.add('paperEnd');
    await enqueue(s, printer.uri, ticket(4));
    await until('the refusal', async () => (await jobsOf(printer.uri))[0]!.attempts >= 1);
    expect((await s.status()).find((p) => p.printerUri === printer.uri)).toMatchObject({
      pending: 1,
      conditions: ['OFFLINE', 'PAPER_END'],
      lastError: expect.stringMatching(/out of paper/),
    });
    expect(states.some((st) => st.printerUri === printer.uri && st.conditions.includes('PAPER_END'))).toBe(true);
    expect(printer.jobs).toHaveLength(0);
    // The drawer opens all the same (in real time), and that says nothing of the receipt still blocked.
    await s.openDrawer(printer.uri);
    expect((await s.status()).find((p) => p.printerUri === printer.uri)).toMatchObject({
      pending: 1,
      health: 'stopped',
      lastError: expect.stringMatching(/out of paper/),
    });
    await printer.waitForJobs(1);
    printer.jobs.length = 0;
    printer.conditions.delete('paperEnd');
    printer.conditions.add('paperNearEnd');
    s.retry(printer.uri);
    await printer.waitForJobs(1);
    await until('the job to be marked printed', async () => (await jobsOf(printer.uri))[0]!.status === 'PRINTED');
    // Printed, and the roll running low is still worth showing.
    expect((await s.status()).find((p) => p.printerUri === printer.uri)).toMatchObject({
      pending: 0,
      lastError: null,
      conditions: ['PAPER_NEAR_END'],
    });
    await printer.close();
  });

  it('prints on a printer that never answers status requests, asking only once', async () => {
    const printer = await startLoopbackPrinter({ answersStatus: false });
    const s = spool();
    await enqueue(s, printer.uri, ticket(5));
    await enqueue(s, printer.uri, ticket(6));
    const jobs = await printer.waitForJobs(2);
    expect(jobs.map((j) => textOf(j)[0])).toEqual(['Ticket 5 — pequeño señor', 'Ticket 6 — pequeño señor']);
    expect(printer.statusRequests).toBe(1);
    await printer.close();
  });

  it('never lets a dead printer hold up a healthy one', async () => {
    const healthy = await startLoopbackPrinter();
    const dead = await startLoopbackPrinter();
    await dead.close();
    const s = spool();
    for (const n of [7, 8]) await enqueue(s, dead.uri, ticket(n));
    await enqueue(s, healthy.uri, ticket(9));
    const [job] = await healthy.waitForJobs(1, 3_000);
    expect(textOf(job!)[0]).toBe('Ticket 9 — pequeño señor');
    expect((await jobsOf(dead.uri)).map((j) => j.status)).toEqual(['PENDING', 'PENDING']);
    expect((await s.status()).find((p) => p.printerUri === dead.uri)?.lastError).toMatch(/cannot be reached \(ECONNREFUSED\)/);
    await healthy.close();
  });

  it('opens the drawer at once, in real time when the printer is out of paper, and never later when it cannot', async () => {
    const printer = await startLoopbackPrinter();
    const s = spool();
    expect(await s.openDrawer(printer.uri)).toEqual({ statusSupported: true, conditions: [] });
    const [plain] = await printer.waitForJobs(1);
    expect(decodeEscPos(plain!).events).toEqual([{ type: 'pulse', pin: 0 }]);
    // Out of paper: ESC p would wait in the buffer until the roll is changed; DLE DC4 acts now.
    printer.conditions.add('paperEnd');
    await s.openDrawer(printer.uri);
    const [, realtime] = await printer.waitForJobs(2);
    expect(decodeEscPos(realtime!).events).toEqual([{ type: 'pulse', pin: 0, realtime: true }]);
    printer.conditions.clear();
    // Unplugged: the drawer stays shut and nothing is kept to open it later.
    await printer.unplug();
    await expect(s.openDrawer(printer.uri)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await printer.plugIn();
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.jobs).toHaveLength(2);
    expect(await jobsOf(printer.uri)).toEqual([]);
    await printer.close();
  });

  it('notices a cover opened and a drawer left open between sales, and when they are closed again', async () => {
    const printer = await startLoopbackPrinter();
    const s = spool();
    const seen = () => states.filter((st) => st.printerUri === printer.uri).map((st) => st.conditions.join('+') || 'ready');
    const unwatch = s.watch(printer.uri, 100);
    printer.conditions.add('coverOpen');
    printer.conditions.add('drawerOpen');
    await until('the open cover', () => seen().includes('DRAWER_OPEN+OFFLINE+COVER_OPEN'));
    printer.conditions.clear();
    await until('the printer ready again', () => seen().at(-1) === 'ready');
    unwatch();
    const asked = printer.statusRequests;
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.statusRequests).toBe(asked);
    expect(printer.jobs).toHaveLength(0);
    await printer.close();
  });

  it('prints the test page on a serial printer that answers its status over the cable', async () => {
    const pair = await openSerialPair();
    const device = new SerialPort({ path: pair.deviceEnd, baudRate: 19200 });
    const received: number[] = [];
    device.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] === 0x10 && chunk[i + 1] === 0x04) {
          device.write(Uint8Array.of(0x12));
          i += 2;
        } else {
          received.push(chunk[i]!);
        }
      }
    });
    try {
      const uri = `serial:${realpathSync(pair.engineEnd)}?baud=19200`;
      const page = testPageDocument({
        printerUri: uri,
        model: 'epson-tm-t20iii',
        codepage: 'cp858',
        paperWidth: 58,
        columns: 32,
        printedAt: '2026-11-30 12:00 UTC',
      });
      const outcome = await spool().sendNow(uri, encodeDocument(page, { codepage: 'cp858' }));
      expect(outcome).toEqual({ statusSupported: true, conditions: [] });
      await until('the whole page', () => received.includes(0x56) || received.length > 2000, 5_000);
      const { lines, events, codePages } = decodeEscPos(Buffer.from(received));
      const text = lines.map((l) => l.trim());
      // Text in the code page the settings pin, and the page says which; rules are drawn with
      // cp437's line characters, which every ESC/POS printer has as table 0.
      expect(codePages).toEqual(['cp858', 'cp437']);
      expect(text.find((l) => l.startsWith('Página de códigos'))).toMatch(/cp858$/);
      expect(text).toContain('Muestra: á é í ó ú ñ Ñ ü ¿ ¡ $');
      expect(text).toContain('¿Año nuevo? ¡Señal de éxito!');
      expect(text.find((l) => l.startsWith('Papel'))).toMatch(/58 mm, 32 columnas$/);
      expect(lines.every((l) => l.length <= 32)).toBe(true);
      expect(events.map((e) => e.type)).toEqual(['barcode', 'qr', 'cut']);
    } finally {
      await new Promise((r) => device.close(r));
      await pair.close();
    }
  });

  it('prints through a USB printer device, and refuses an ordinary file or a missing one', async () => {
    const dir = tempDir('usb-lp');
    const fifo = join(dir, 'lp0');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (c) => chunks.push(c as Buffer));
    const closed = new Promise<void>((r) => reader.on('close', () => r()));
    const s = spool();
    await enqueue(s, `usb:${fifo}`, ticket(12));
    await closed;
    expect(textOf(Buffer.concat(chunks))).toEqual(['Ticket 12 — pequeño señor']);
    await until('the job to be marked printed', async () => (await jobsOf(`usb:${fifo}`))[0]!.status === 'PRINTED');

    // A USB printer out of paper stops taking data: the job fails in time and the lane is free.
    const stuck = join(dir, 'lp1');
    expect(spawnSync('mkfifo', [stuck]).status).toBe(0);
    const neverReads = openSync(stuck, constants.O_RDONLY | constants.O_NONBLOCK);
    const big = new Uint8Array(200_000).fill(0x41);
    const started = Date.now();
    await expect(s.sendNow(`usb:${stuck}`, big)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(s.sendNow(`usb:${stuck}`, Uint8Array.of(0x1b, 0x40))).rejects.toMatchObject({ code: 'TIMEOUT' });
    closeSync(neverReads);

    const plain = join(dir, 'not-a-printer');
    writeFileSync(plain, '');
    await expect(s.sendNow(`usb:${plain}`, Uint8Array.of(0x1b, 0x40))).rejects.toMatchObject({ code: 'BAD_ADDRESS' });
    // A character device that is not a printer swallows the bytes and "prints" nothing.
    await expect(s.sendNow('usb:/dev/null', Uint8Array.of(0x1b, 0x40))).rejects.toMatchObject({ code: 'BAD_ADDRESS' });
    await expect(s.sendNow(`usb:${join(dir, 'lp9')}`, Uint8Array.of(0x1b, 0x40))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.sendNow('lpt1', Uint8Array.of(0x1b, 0x40))).rejects.toThrow(/not a printer address/);
  });
});
