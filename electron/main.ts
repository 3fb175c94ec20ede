// The desktop shell: Electron's main process. Thin on purpose: the decisions (window options,
// CSP, which URLs and permissions a page gets, which monitor the customer sees, when to restart
// the engine, the settings) are plain functions in electron/shell/ with tests of their own; what
// is left here is wiring Electron to them, which the Electron binary would be needed to test.
//
// Processes: this one owns the windows; the engine runs in a utilityProcess
// (electron/engine/utility-host.ts) and each window talks to it over a MessagePort of its own,
// handed out here, so calls never pass through main. If the engine dies, the register shows the
// recovering screen while it is started again; the open sale is in PGlite, so nothing is lost.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  MessageChannelMain,
  protocol,
  safeStorage,
  screen,
  session,
  utilityProcess,
  type UtilityProcess,
  type WebContents,
} from 'electron';
import { APP_SCHEME, REGISTER_URL, APP_ORIGIN, appFileFor, contentTypeOf, isAppUrl } from './shell/app-origin.ts';
import { CHANNEL } from './shell/bridge.ts';
import { securityHeaders } from './shell/content-security-policy.ts';
import { chooseCustomerDisplay } from './shell/display-choice.ts';
import { afterEngineExit, recentCrashes } from './shell/engine-restart.ts';
import { mayDownload, mayNavigate, windowOpenDecision } from './shell/navigation-policy.ts';
import { permissionAllowed } from './shell/permission-policy.ts';
import { piiKeyForEngine } from './shell/pii-key-custody.ts';
import { usePrivateUmask } from '#db/private-dir.ts';
import { readShellSettings, updateFeed, type ShellSettings } from './shell/shell-settings.ts';
import { CUSTOMER_DISPLAY_PATH, isEngineWaitPage, RECOVERING_PATH, shellPage, startFailedPath } from './shell/shell-pages.ts';
import { createLogger } from '#engine/log/logger.ts';
import { copyOutputToLog, openShellLog } from '#engine/log/shell-log.ts';
import type { StartFailureReason } from '#engine/start-failure.ts';
import { AUTOSTART_FILE, autostartEntry, launcherPath } from './shell/start-at-login.ts';
import { customerDisplayWindowOptions, registerWindowOptions } from './shell/window-options.ts';

type PortKind = 'register' | 'customer-display';

const here = dirname(fileURLToPath(import.meta.url));
// Beside this bundle in dist/electron (scripts/build-desktop.mjs builds all three).
const PRELOAD = join(here, 'preload.cjs');
const ENGINE_HOST = join(here, 'engine-host.js');
const RENDERER_DIR = join(here, '..', 'renderer');
/** How long the engine gets to finish the journal and the print spool before it is stopped hard. */
const SHUTDOWN_GRACE_MS = 15_000;
// DATA_DIR/logs/shell.log once main() knows the data directory; stderr until then.
let log = createLogger(process.stderr, { source: 'shell' });

// Registered before ready: app:// behaves like https (its own origin, secure context, fetch).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data directory; it is asked to show itself (second-instance).
  app.exit(0);
} else {
  void main();
}

async function main(): Promise<void> {
  const userData = app.getPath('userData');
  const settingsFile = join(userData, 'settings.json');
  const { settings, problem } = readShellSettings(existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : null, process.env);
  const dataDir = process.env.POS_DATA_DIR || join(userData, 'data');
  // The shell writes beside the engine's private files (the sealed key, its log): private too.
  usePrivateUmask();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  log = openShellLog(dataDir, { echo: !app.isPackaged }).log;
  if (problem) log.warn({ settingsFile }, `settings: ${problem}`);
  let register: BrowserWindow | null = null;
  let customer: BrowserWindow | null = null;
  let engine: UtilityProcess | null = null;
  let engineReady = false;
  let crashes: number[] = [];
  let quitting = false;
  let engineExited: Promise<void> = Promise.resolve();
  // Why the running engine said it cannot open, if it did; its exit is then no crash.
  let startFailure: StartFailureReason | null = null;
  // Windows that asked for a port before the engine was ready.
  const waitingForPort = new Set<WebContents>();

  app.on('second-instance', () => {
    if (!register) return;
    if (register.isMinimized()) register.restore();
    register.focus();
  });

  await app.whenReady();
  // safeStorage knows its Linux backend only once the app is ready.
  const piiKey = piiKeyForEngine(dataDir, safeStorage, (level, line) => log[level](line));
  applyStartAtLogin(settings);
  lockDownSessions();
  protocol.handle(APP_SCHEME, serveApp);

  const kindOf = (contents: WebContents): PortKind | null => {
    if (register && contents === register.webContents) return 'register';
    if (customer && contents === customer.webContents) return 'customer-display';
    return null;
  };
  const connect = (contents: WebContents) => {
    const kind = kindOf(contents);
    if (!kind || contents.isDestroyed()) return;
    if (!engine || !engineReady) {
      waitingForPort.add(contents);
      return;
    }
    const { port1, port2 } = new MessageChannelMain();
    engine.postMessage({ type: 'connect', kind }, [port2]);
    contents.postMessage(CHANNEL.enginePort, null, [port1]);
  };
  // The preload asks once per page load; only our own windows showing our own pages get a port.
  ipcMain.on(CHANNEL.wantPort, (event) => {
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url) || event.senderFrame !== event.sender.mainFrame) return;
    connect(event.sender);
  });

  const startEngine = () => {
    const child = utilityProcess.fork(ENGINE_HOST, [], {
      serviceName: 'Countertop POS engine',
      // Everything the engine's process prints outside its own log goes to shell.log, not to a console nobody reads.
      stdio: 'pipe',
      env: {
        ...process.env,
        POS_DATA_DIR: dataDir,
        // The packaged engine finds the migrations and the demo store beside app.asar.
        POS_RESOURCES_DIR: app.isPackaged ? process.resourcesPath : '',
        POS_DEMO_STORE: process.env.POS_DEMO_STORE ?? (app.isPackaged ? '0' : '1'),
      },
    });
    engine = child;
    startFailure = null;
    if (child.stdout) copyOutputToLog(child.stdout, log, { process: 'engine', stream: 'stdout' });
    if (child.stderr) copyOutputToLog(child.stderr, log, { process: 'engine', stream: 'stderr' });
    engineExited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: { type?: string; message?: string }) => {
      // The key goes in a message, not the environment, which /proc shows.
      if (message?.type === 'want-start') child.postMessage({ type: 'start', piiKey });
      else if (message?.type === 'ready') {
        engineReady = true;
        const asked = [...waitingForPort];
        waitingForPort.clear();
        for (const contents of asked) connect(contents);
        // After a restart the customer display keeps its page (the register reloads below), so it
        // gets its new port without asking.
        if (customer && !customer.isDestroyed() && !customer.webContents.isLoading() && !asked.includes(customer.webContents)) {
          connect(customer.webContents);
        }
        log.info({ dataDir }, 'the engine is ready');
        if (register && isEngineWaitPage(register.webContents.getURL())) void register.loadURL(REGISTER_URL);
      } else if (message?.type === 'failed') {
        startFailure = (message as { reason?: StartFailureReason }).reason ?? 'other';
        log.error({ dataDir, reason: startFailure }, `the engine could not open ${dataDir}: ${message.message}`);
      }
    });
    child.on('exit', (code) => {
      if (engine === child) engine = null;
      engineReady = false;
      if (quitting) return;
      const now = Date.now();
      const failure = startFailure;
      // A start that failed is no crash: it must not slow the restart after a later real one.
      if (!failure) crashes = [...recentCrashes(crashes, now), now];
      const next = afterEngineExit(failure, crashes, now);
      if (!failure)
        log.error(
          { exitCode: code, restartInMs: next.restartInMs },
          `the engine stopped (exit ${code}); starting it again in ${next.restartInMs} ms`,
        );
      else
        log.warn(
          { reason: failure, restartInMs: next.restartInMs },
          next.restartInMs === null
            ? 'the engine cannot open its data; it waits for a person'
            : `the engine cannot open its data; trying again in ${next.restartInMs} ms`,
        );
      for (const win of [register, customer]) {
        if (win && !win.isDestroyed()) win.webContents.send(CHANNEL.engineDown);
      }
      const page = next.page === 'recovering' ? RECOVERING_PATH : startFailedPath(next.page);
      if (register && !register.isDestroyed()) void register.loadURL(`${APP_ORIGIN}${page}`);
      if (next.restartInMs === null) return;
      setTimeout(() => {
        if (!quitting) startEngine();
      }, next.restartInMs);
    });
  };

  const openRegister = () => {
    const display = screen.getPrimaryDisplay();
    const win = new BrowserWindow(
      registerWindowOptions({ preloadPath: PRELOAD, kiosk: settings.kiosk, workArea: display.workArea, devTools: !app.isPackaged }),
    );
    register = win;
    win.once('ready-to-show', () => win.show());
    // A screen's errors (the error boundary's included) would otherwise die with the window's console.
    win.webContents.on('console-message', ({ level, message, sourceId, lineNumber }) => {
      if (level === 'error') log.error({ window: 'register', sourceId, lineNumber }, `screen: ${message}`);
    });
    win.on('closed', () => {
      if (register === win) register = null;
      // The till is the register window: closing it ends the app, customer display included.
      app.quit();
    });
    void win.loadURL(REGISTER_URL);
  };

  const placeCustomerDisplay = () => {
    const chosen = chooseCustomerDisplay(
      screen.getAllDisplays().map((d) => ({ id: d.id, bounds: d.bounds, internal: d.internal })),
      screen.getPrimaryDisplay().id,
      settings.customerDisplay,
    );
    if (!chosen) {
      customer?.destroy();
      customer = null;
      return;
    }
    if (customer && !customer.isDestroyed()) {
      customer.setBounds(chosen.bounds);
      return;
    }
    const win = new BrowserWindow(customerDisplayWindowOptions(PRELOAD, chosen.bounds));
    customer = win;
    win.once('ready-to-show', () => win.showInactive());
    win.on('closed', () => {
      if (customer === win) customer = null;
    });
    void win.loadURL(`${APP_ORIGIN}${CUSTOMER_DISPLAY_PATH}`);
  };

  startEngine();
  openRegister();
  placeCustomerDisplay();
  screen.on('display-added', placeCustomerDisplay);
  screen.on('display-removed', placeCustomerDisplay);
  screen.on('display-metrics-changed', placeCustomerDisplay);
  void startUpdates(settings);

  // Quitting waits for the engine to finish the journal's checkpoint and the print spool.
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    void stopEngine().finally(() => {
      closed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());
  process.once('SIGTERM', () => app.quit());
  process.once('SIGINT', () => app.quit());

  async function stopEngine(): Promise<void> {
    const child = engine;
    if (!child) return;
    child.postMessage({ type: 'shutdown' });
    const timer = setTimeout(() => {
      log.error('the engine did not stop in time; stopping it');
      child.kill();
    }, SHUTDOWN_GRACE_MS);
    await engineExited;
    clearTimeout(timer);
  }
}

/** Serves the built screens and the shell's own pages on app://pos/, each with the CSP. */
async function serveApp(request: Request): Promise<Response> {
  const headers = securityHeaders();
  const url = request.url;
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
  if (isAppUrl(url)) {
    const page = shellPage(new URL(url).pathname);
    if (page) return new Response(page.body, { headers: { ...headers, 'content-type': page.type } });
  }
  const file = appFileFor(RENDERER_DIR, url);
  if (!file) return new Response('not found', { status: 404, headers });
  try {
    const body = await readFile(file);
    return new Response(body, { headers: { ...headers, 'content-type': contentTypeOf(file) } });
  } catch {
    return new Response('not found', { status: 404, headers });
  }
}

/** Every page in every session: no navigation away, no new windows, no webviews, no permissions. */
function lockDownSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl || contents.getURL()));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
  // WebHID, WebSerial and WebUSB: the engine owns the devices, never a page.
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('will-download', (event, item) => {
    if (!mayDownload(item.getURL())) event.preventDefault();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => {
      if (!mayNavigate(e.url)) e.preventDefault();
    });
    contents.on('will-frame-navigate', (e) => {
      if (!mayNavigate(e.url)) e.preventDefault();
    });
    contents.on('will-redirect', (e) => {
      if (!mayNavigate(e.url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(windowOpenDecision);
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
}

function applyStartAtLogin(settings: ShellSettings): void {
  if (process.platform === 'linux') {
    const file = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', AUTOSTART_FILE);
    try {
      if (settings.startAtLogin && app.isPackaged) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, autostartEntry(launcherPath(process.execPath, process.env)));
      } else if (!settings.startAtLogin) {
        rmSync(file, { force: true });
      }
    } catch (err) {
      log.warn({ err }, `could not update ${file}`);
    }
    return;
  }
  // A development run must not register the bare Electron binary to start at login.
  if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: settings.startAtLogin });
}

/** Off unless settings.json turns it on with the company's own server (README: Updates). */
async function startUpdates(settings: ShellSettings): Promise<void> {
  const feed = updateFeed(settings);
  if (!feed || !app.isPackaged) return;
  try {
    const { default: updater } = await import('electron-updater');
    const autoUpdater = updater.autoUpdater;
    autoUpdater.setFeedURL({ provider: 'generic', url: feed.url, channel: feed.channel });
    // Downloaded in the background, installed when the till is next closed: never mid-sale.
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.allowDowngrade = false;
    autoUpdater.on('error', (err: Error) => log.warn({ err }, 'update check failed'));
    await autoUpdater.checkForUpdates();
  } catch (err) {
    log.warn({ err }, 'updates could not start');
  }
}
