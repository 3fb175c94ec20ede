// A register's screens as the end-to-end tests use them: the built renderer served (serve mode,
// 127.0.0.1) from a real engine to Debian's Chromium in a fresh profile, and the steps every
// cashier takes first: her name, her PIN, the float. One place, so each e2e file says only what
// is particular to it.
import type { Page } from 'playwright-core';
import type { Engine } from '#engine/engine.ts';
import { totpCodeAt } from '#engine/services/auth/totp.ts';
import { startServer, type RunningServer } from '#engine/server/serve.ts';
import { collectConsoleErrors, launchBrowser, type LaunchedBrowser, type Viewport } from './browser.ts';
import { type BackOfficePerson, ok, openDemoEngine, signIn } from './demo-engine.ts';
import { startLoopbackPrinter, type LoopbackPrinter } from './loopback-printer.ts';
import { allowPrinterPorts } from './printer-ports.ts';
import { buildRenderer } from './renderer-build.ts';

export type DemoEngine = Awaited<ReturnType<typeof openDemoEngine>>;

/** The screens of one engine open in one browser. */
export type ServedCounter = {
  server: RunningServer;
  browser: LaunchedBrowser;
  page: Page;
  /** The page's console errors so far (collectConsoleErrors), for a test to judge. */
  errors: string[];
  /** Closes the browser, then the server; the engine is the caller's. */
  close(): Promise<void>;
};

/** A demo store's register at work in a browser. */
export type Counter = ServedCounter & {
  demo: DemoEngine;
  engine: Engine;
  /** CAJA-1's receipt printer, when one was asked for. */
  printer: LoopbackPrinter | null;
  /** Closes the browser, the server, the engine (removing its data) and the printer, in that order. */
  close(): Promise<void>;
};

export type CounterOptions = {
  viewport?: Viewport;
  /** A loopback printer set up, by the owner, as CAJA-1's receipt printer before the screens open. */
  printer?: boolean;
  /** What the store needs before its screens open (settings, earlier sales); runs before the printer is set up. */
  prepare?: (demo: DemoEngine) => Promise<void>;
  /** Where the engine's clock starts (openDemoEngine's `start`): a loopback PAC wants it near the real one. */
  start?: Date;
};

/** Serves the screens from `engine` (any engine: a broken one, a syncing terminal) to a fresh browser. */
export async function serveCounter(engine: Engine, opts: { viewport?: Viewport } = {}): Promise<ServedCounter> {
  return serve(engine, await buildRenderer(), opts.viewport);
}

async function serve(engine: Engine, screens: string, viewport: Viewport | undefined): Promise<ServedCounter> {
  const server = await startServer(engine, { port: 0, staticDir: screens });
  let browser: LaunchedBrowser;
  try {
    browser = await launchBrowser(viewport ? { viewport } : {});
  } catch (err) {
    await server.close();
    throw err;
  }
  const errors = collectConsoleErrors(browser.page);
  return {
    server,
    browser,
    page: browser.page,
    errors,
    async close() {
      try {
        await browser.close();
      } finally {
        await server.close();
      }
    },
  };
}

export type CounterWithPrinter = Counter & { printer: LoopbackPrinter };

/**
 * A fresh demo store (openDemoEngine(label)) with its screens in a browser, not yet opened: a
 * test goes to `server.url` itself, after whatever it must set up on the page first.
 */
export async function startCounter(label: string, opts: CounterOptions & { printer: true }): Promise<CounterWithPrinter>;
export async function startCounter(label: string, opts?: CounterOptions): Promise<Counter>;
export async function startCounter(label: string, opts: CounterOptions = {}): Promise<Counter> {
  // The build first: the slowest step, and the one most likely to fail, before anything is started.
  const screens = await buildRenderer();
  const printer = opts.printer ? await startLoopbackPrinter() : null;
  let demo: DemoEngine | null = null;
  try {
    demo = await openDemoEngine(label, opts.start ? { start: opts.start } : {});
    await opts.prepare?.(demo);
    if (printer) {
      const owner = await signIn(demo.engine, demo.people.owner.id, demo.people.owner.pin);
      await allowPrinterPorts(demo.engine, printer.port);
      ok(
        await demo.engine.call(
          'devices.configure',
          { registerCode: 'CAJA-1', devices: { printer: { uri: printer.uri } } },
          { token: owner },
        ),
      );
    }
    const served = await serve(demo.engine, screens, opts.viewport);
    const engineDemo = demo;
    return {
      ...served,
      demo: engineDemo,
      engine: engineDemo.engine,
      printer,
      async close() {
        try {
          await served.close();
        } finally {
          try {
            await engineDemo.dispose();
          } finally {
            await printer?.close();
          }
        }
      },
    };
  } catch (err) {
    await demo?.dispose().catch(() => {});
    await printer?.close().catch(() => {});
    throw err;
  }
}

/** Chooses the employee on the sign-in screen and enters her PIN (its field named in Spanish unless told). */
export async function signInAs(page: Page, name: string, pin: string, pinLabel = `PIN de ${name}`): Promise<void> {
  await page.getByRole('button', { name }).click();
  await page.getByLabel(pinLabel).fill(pin);
  await page.keyboard.press('Enter');
}

/** Opens the shift with `float` in the drawer and waits for the sell screen. */
export async function openShift(page: Page, float: string): Promise<void> {
  await page.getByLabel('Fondo de caja').fill(float);
  await page.keyboard.press('Enter');
  await page.getByLabel('Escanee o escriba un código').waitFor();
}

/**
 * An owner or manager signed in with her PIN opens the back office (Ctrl+B) and steps up with her
 * password and the authenticator's code at the register's time, as the dialog asks.
 */
export async function enterBackOffice(
  page: Page,
  demo: DemoEngine,
  name: string,
  person: Pick<BackOfficePerson, 'pin' | 'password' | 'totpSecret'>,
): Promise<void> {
  await signInAs(page, name, person.pin);
  await page
    .getByRole('button', { name: /Administración/ })
    .filter({ hasText: 'Ctrl+B' })
    .waitFor();
  await page.keyboard.press('Control+b');
  await page.getByRole('dialog', { name: 'Confirme que es usted' }).waitFor();
  await page.getByLabel(`Contraseña de ${name}`).fill(person.password);
  await page.getByLabel('Código de la app de autenticación').fill(totpCodeAt(person.totpSecret, demo.clock.now()));
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}
