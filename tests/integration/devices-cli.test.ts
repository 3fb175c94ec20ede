// `pos devices list` and `pos print test` as someone setting up a register runs them: in a child
// process, with no database, against a loopback TCP printer and pseudo-terminals.
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../support/escpos-decoder.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from '../support/loopback-printer.ts';
import { ROOT, runPos, type CliResult } from '../support/run-cli.ts';
import { openSerialPair } from '../support/serial-pair.ts';

/** A failure is one line on stderr (plus the usage hint for usage errors) and never a stack. */
function expectOneLineError(r: CliResult, code: number, pattern: RegExp) {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(lines.slice(1)).toEqual(code === 2 ? ['run "pos help" for usage'] : []);
}

/** A port nobody listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('pos devices list', () => {
  it('names the three kinds of device, saying "none found" for a kind the machine lacks', async () => {
    const r = await runPos(['devices', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const headings = lines.filter((l) => !l.startsWith('  '));
    expect(headings).toEqual(['serial ports (address serial:PATH)', 'HID POS scanners', 'USB printers']);
    // Every heading is followed by at least one indented line: a device or "none found".
    for (const heading of headings) expect(lines[lines.indexOf(heading) + 1]).toMatch(/^ {2}\S/);
    const usb = lines.slice(lines.indexOf('USB printers') + 1);
    for (const line of usb) expect(line).toMatch(/^ {2}(none found|usb:\/dev\/usb\/lp\d+)$/);
  });

  it('prints one JSON object with --json, in the shape devices.discover answers', async () => {
    const r = await runPos(['devices', 'list', '--json']);
    expect(r.code).toBe(0);
    const found = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(found).sort()).toEqual(['hidScanners', 'serialPorts', 'usbPrinters']);
    for (const list of Object.values(found)) expect(Array.isArray(list)).toBe(true);
  });
});

describe('pos print test', () => {
  let printer: LoopbackPrinter;
  beforeAll(async () => {
    printer = await startLoopbackPrinter();
  });
  afterEach(() => {
    printer.jobs.length = 0;
    printer.conditions.clear();
  });
  afterAll(() => printer.close());

  it('prints the test page on 80 mm paper: Spanish sample, paper line and a cut, in one job', async () => {
    const r = await runPos(['print', 'test', '--printer', printer.uri, '--any-port']);
    expect(r).toMatchObject({ code: 0, stdout: `printed the test page on ${printer.uri} (status: ready)\n` });
    const [job, ...more] = await printer.waitForJobs(1);
    expect(more).toEqual([]);
    const page = decodeEscPos(job!);
    expect(page.lines).toContain('Muestra: á é í ó ú ñ Ñ ü ¿ ¡ $');
    expect(page.text).toMatch(/Papel +80 mm, 48 columnas/);
    expect(page.events).toContainEqual({ type: 'cut' });
  });

  it('fits every line of the page into 32 columns with --paper 58', async () => {
    const r = await runPos(['print', 'test', '--printer', printer.uri, '--any-port', '--paper', '58']);
    expect(r.code).toBe(0);
    const page = decodeEscPos((await printer.waitForJobs(1))[0]!);
    expect(page.text).toMatch(/58 mm, 32 columnas/);
    for (const line of page.lines) expect(line.length, line).toBeLessThanOrEqual(32);
  });

  it('says what the printer reports about itself after printing', async () => {
    printer.conditions.add('paperNearEnd');
    const r = await runPos(['print', 'test', '--printer', printer.uri, '--any-port']);
    expect(r).toMatchObject({ code: 0, stdout: `printed the test page on ${printer.uri} (status: paper nearly out)\n` });
  });

  it('says so when the printer does not answer status requests, and still prints', async () => {
    const deaf = await startLoopbackPrinter({ answersStatus: false });
    try {
      const r = await runPos(['print', 'test', '--printer', deaf.uri, '--any-port']);
      expect(r).toMatchObject({ code: 0, stdout: `printed the test page on ${deaf.uri} (the printer does not report status)\n` });
      expect(await deaf.waitForJobs(1)).toHaveLength(1);
    } finally {
      await deaf.close();
    }
  });

  it('sends nothing to a printer out of paper and says why in one line', async () => {
    printer.conditions.add('paperEnd');
    const r = await runPos(['print', 'test', '--printer', printer.uri, '--any-port']);
    expectOneLineError(r, 1, new RegExp(`^pos: the printer at 127\\.0\\.0\\.1:${printer.port}: .*out of paper`));
    expect(printer.jobs).toEqual([]);
  });

  it('refuses a TCP port outside the printer ports without --any-port, before connecting', async () => {
    const asked = printer.statusRequests;
    expectOneLineError(
      await runPos(['print', 'test', '--printer', printer.uri]),
      2,
      new RegExp(
        `^pos: ${printer.uri}: port ${printer.port} is not a printer port this store allows \\(9100–9109; more go in the setting devices.printerPorts\\)$`,
      ),
    );
    expectOneLineError(await runPos(['print', 'test', '--printer', 'usb:/dev/../etc/passwd']), 2, /is not a printer address/);
    expectOneLineError(
      await runPos(['print', 'test', '--printer', 'usb:/etc/passwd']),
      2,
      /^pos: \/etc\/passwd is not a USB printer device/,
    );
    expect(printer.jobs).toEqual([]);
    expect(printer.statusRequests).toBe(asked);
  });

  it('refuses an address it does not understand, naming the forms it takes', async () => {
    expectOneLineError(
      await runPos(['print', 'test', '--printer', 'lpt1']),
      2,
      /^pos: lpt1 is not a printer address: use tcp:\/\/HOST:9100, serial:\/dev\/ttyUSB0\?baud=19200 or usb:\/dev\/usb\/lp0$/,
    );
  });

  it('refuses a paper width and a model it cannot lay out for before touching the printer', async () => {
    expectOneLineError(
      await runPos(['print', 'test', '--printer', printer.uri, '--any-port', '--paper', '76']),
      2,
      /^pos: --paper must be 58 or 80$/,
    );
    expectOneLineError(
      await runPos(['print', 'test', '--printer', printer.uri, '--any-port', '--model', 'no-such-printer']),
      2,
      /^pos: --model no-such-printer is not a printer model/,
    );
    expectOneLineError(await runPos(['print', 'test']), 2, /^pos: missing --printer$/);
    expect(printer.jobs).toEqual([]);
  });

  it('says a serial port that does not exist is not there', async () => {
    expectOneLineError(
      await runPos(['print', 'test', '--printer', 'serial:/dev/ttyNOPE0']),
      1,
      /^pos: \/dev\/ttyNOPE0 does not exist \(is the device plugged in\?\)$/,
    );
  });

  it('says a serial port held by another program is in use', async () => {
    const pair = await openSerialPair();
    const path = realpathSync(pair.engineEnd);
    // serialport takes an exclusive lock on the port, as the running app's printer would.
    const holder = new SerialPort({ path, baudRate: 19200, autoOpen: false, lock: true });
    await new Promise<void>((resolve, reject) => holder.open((err) => (err ? reject(err) : resolve())));
    try {
      expectOneLineError(await runPos(['print', 'test', '--printer', `serial:${path}?baud=19200`]), 1, /is in use by another program$/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
      await pair.close();
    }
  });

  it('says a TCP printer that refuses the connection cannot be reached', async () => {
    const port = await closedPort();
    expectOneLineError(
      await runPos(['print', 'test', '--printer', `tcp://127.0.0.1:${port}`, '--any-port']),
      1,
      new RegExp(`^pos: the printer at 127\\.0\\.0\\.1:${port} cannot be reached \\(ECONNREFUSED\\)$`),
    );
  });
});

describe('the udev rules', () => {
  const file = join(ROOT, 'resources', 'udev', '60-countertop-pos.rules');
  const rules = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  // KEY, KEY{attribute} or KEY{attribute}, an operator, a double-quoted value; pairs joined by ", ".
  const pair = /^([A-Z_]+(?:\{[A-Za-z0-9_]+\})?)(==|!=|\+=|-=|:=|=)"([^"]*)"$/;
  const MATCH_KEYS = /^(ACTION|SUBSYSTEM|SUBSYSTEMS|KERNEL|KERNELS|DRIVER|DRIVERS|ATTR\{\w+\}|ATTRS\{\w+\}|ENV\{\w+\})$/;
  const ASSIGN_KEYS = /^(GROUP|MODE|OWNER|TAG|SYMLINK|ENV\{\w+\})$/;
  const parsed = rules.map((line) =>
    line.split(', ').map((p) => {
      const m = pair.exec(p);
      return m ? { key: m[1]!, op: m[2]!, value: m[3]! } : { key: p, op: '?', value: '' };
    }),
  );

  it('has only well-formed rules: known keys, matches before assignments, no continuation lines', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const [i, rule] of parsed.entries()) {
      const line = rules[i]!;
      expect(line, line).not.toMatch(/\\$/);
      for (const p of rule) expect(p.op, `${line}: ${p.key}`).not.toBe('?');
      const matches = rule.filter((p) => p.op === '==' || p.op === '!=');
      const assigns = rule.filter((p) => p.op !== '==' && p.op !== '!=');
      expect(matches.length, line).toBeGreaterThan(0);
      expect(assigns.length, line).toBeGreaterThan(0);
      expect(
        rule.findIndex((p) => !matches.includes(p)),
        line,
      ).toBe(matches.length);
      for (const p of matches) expect(p.key, line).toMatch(MATCH_KEYS);
      for (const p of assigns) expect(p.key, line).toMatch(ASSIGN_KEYS);
      for (const p of rule.filter((q) => q.key === 'MODE')) expect(p.value, line).toMatch(/^0[0-7]{3}$/);
      for (const p of rule.filter((q) => q.key === 'ATTRS{idVendor}' || q.key === 'ATTRS{idProduct}'))
        expect(p.value, line).toMatch(/^[0-9a-f]{4}$/);
    }
  });

  it("opens scanners, USB-serial adapters and USB printers to the cashier's session", () => {
    const has = (key: string, value: string) => parsed.filter((r) => r.some((p) => p.key === key && p.op === '==' && p.value === value));
    const kinds = {
      hidraw: has('SUBSYSTEM', 'hidraw'),
      tty: has('SUBSYSTEM', 'tty').filter((r) => r.some((p) => p.key === 'KERNEL' && /ttyUSB/.test(p.value) && /ttyACM/.test(p.value))),
      lp: has('SUBSYSTEM', 'usbmisc').filter((r) => r.some((p) => p.key === 'KERNEL' && p.value === 'lp[0-9]*')),
    };
    // The scanner vendors the README promises.
    const vendors = kinds.hidraw.flatMap((r) => r.filter((p) => p.key === 'ATTRS{idVendor}').map((p) => p.value));
    expect(vendors).toEqual(expect.arrayContaining(['0c2e', '05e0', '05f9', '1eab']));
    for (const [kind, found] of Object.entries(kinds)) {
      expect(found.length, kind).toBeGreaterThan(0);
      for (const rule of found) expect(rule, kind).toContainEqual({ key: 'TAG', op: '+=', value: 'uaccess' });
    }
    expect(kinds.tty[0]).toContainEqual({ key: 'GROUP', op: '=', value: 'dialout' });
    expect(kinds.lp[0]).toContainEqual({ key: 'GROUP', op: '=', value: 'lp' });
  });

  // `udevadm verify` arrived in systemd 253; older udevadm says it has no such verb.
  const verify = spawnSync('udevadm', ['verify', file], { encoding: 'utf8' });
  const verifyMissing = verify.error !== undefined || /unknown command|invalid command/i.test(`${verify.stderr}${verify.stdout}`);
  it.skipIf(verifyMissing)('passes udevadm verify', () => {
    expect(verify.status, verify.stderr).toBe(0);
  });
});
