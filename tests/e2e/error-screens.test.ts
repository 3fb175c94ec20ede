// What the cashier sees when something breaks, in Chromium against serve mode: an internal error
// names its incident (the number support finds in the terminal's log), and a screen that cannot
// render an answer shows a way back instead of a blank page.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoStore } from '#engine/demo/demo-store.ts';
import { setUpDemoStore } from '#engine/demo/demo-terminal.ts';
import { openEngine, type Engine } from '#engine/engine.ts';
import type { RunningServer } from '#engine/server/serve.ts';
import { shellPage, startFailedPath } from '../../electron/shell/shell-pages.ts';
import { screenshotStep } from '../support/browser.ts';
import { serveCounter, signInAs, type ServedCounter } from '../support/counter-page.ts';
import { demoDataDir } from '../support/demo-template.ts';

describe('error screens', () => {
  let dir: string;
  let engine: Engine;
  let counter: ServedCounter;
  let server: RunningServer;
  let page: Page;
  const cashier = readDemoStore().store.employees[2]!;

  beforeAll(async () => {
    dir = demoDataDir('error-screens');
    engine = await openEngine(dir, { purpose: 'test error screens', devices: false, sync: false });
    await setUpDemoStore(engine, readDemoStore());
    // A damaged sessions table, as far as the engine can tell: every sign-in with a right PIN fails inside it.
    await engine.services.sql.query(`
      CREATE FUNCTION auth.test_sessions_broken() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not read block 7 in file "base/5/16999"' USING ERRCODE = 'XX001'; END $$`);
    await engine.services.sql.query(
      `CREATE TRIGGER sessions_broken BEFORE INSERT ON auth.sessions FOR EACH ROW EXECUTE FUNCTION auth.test_sessions_broken()`,
    );
    counter = await serveCounter(engine);
    ({ server, page } = counter);
  }, 180_000);

  afterAll(async () => {
    await counter?.close();
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('an internal error tells the cashier its incident number, the one in the log line with the stack', async () => {
    const name = 'an internal error shows its incident number';
    await page.goto(server.url);
    await signInAs(page, cashier.displayName, cashier.pin);
    const alert = page.getByRole('alert').filter({ hasText: 'Error interno' });
    await alert.waitFor({ timeout: 20_000 });
    const text = (await alert.textContent())!;
    expect(text).toMatch(
      /^Error interno\. Número de incidente: [0-9A-Z]{4}-[0-9A-Z]{4}\. No se completó la acción; dé este número a soporte\.$/,
    );
    await screenshotStep(page, name, 'sign-in answered with an incident number');
    const incidentId = /([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)![1]!;
    const logged = readFileSync(join(dir, 'logs', 'engine.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes(incidentId));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({
      level: 50,
      incidentId,
      call: 'auth.signInWithPin',
      err: { stack: expect.stringMatching(/\n\s+at /) },
    });
  });

  it('a screen that cannot read an answer shows what happened and reloads into a working one', async () => {
    const name = 'a screen that fails to render offers a reload';
    // An engine of another version answering the staff list in a shape these screens do not know.
    await page.route('**/api/auth.staffForSignIn', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true,"value":{"staff":"unknown shape"}}' }),
    );
    await page.goto(server.url);
    const crash = page.getByRole('alert').filter({ hasText: 'La pantalla tuvo un error' });
    await crash.waitFor({ timeout: 20_000 });
    expect(await crash.textContent()).toContain('Las ventas cobradas y la venta abierta están guardadas en la caja.');
    await screenshotStep(page, name, 'the error screen with its reload button');
    await page.unroute('**/api/auth.staffForSignIn');
    await page.getByRole('button', { name: 'Recargar la pantalla' }).click();
    await page.getByRole('button', { name: cashier.displayName }).waitFor({ timeout: 20_000 });
    await screenshotStep(page, name, 'reloaded, the staff to choose from');
  });

  it('the desktop shell says why the engine cannot open, instead of recovering forever', async () => {
    const name = 'the desktop shell says why the engine cannot open';
    // The shell's own pages as app://pos/ serves them, here from 127.0.0.1, the one host the browser may reach.
    await page.route('http://127.0.0.1:9/__shell/**', (route) => {
      const found = shellPage(new URL(route.request().url()).pathname);
      return found ? route.fulfill({ status: 200, contentType: found.type, body: found.body }) : route.fulfill({ status: 404 });
    });
    for (const reason of ['in-use', 'damaged'] as const) {
      await page.goto(`http://127.0.0.1:9${startFailedPath(reason)}`);
      const heading = page.getByRole('alert');
      expect(await heading.textContent()).toBe(
        reason === 'in-use' ? 'Los datos de esta caja están en uso por otro programa' : 'Un archivo de datos de la caja está dañado',
      );
      await screenshotStep(page, name, `start failed: ${reason}`);
    }
    await page.unroute('http://127.0.0.1:9/__shell/**');
  });
});
