import { describe, expect, it } from 'vitest';
import { chooseCustomerDisplay, type DisplayInfo } from '../../electron/shell/display-choice.ts';
import { CRASH_WINDOW_MS, recentCrashes, restartDelay } from '../../electron/shell/engine-restart.ts';
import { DEFAULT_SHELL_SETTINGS, readShellSettings, updateFeed } from '../../electron/shell/shell-settings.ts';
import { autostartEntry, launcherPath } from '../../electron/shell/start-at-login.ts';
import { decideStart, type StartFacts } from '../../electron/shell/start-decision.ts';
import { CUSTOMER_DISPLAY_PATH, RECOVERING_PATH, shellPage } from '../../electron/shell/shell-pages.ts';

const display = (id: number, x: number, internal = false): DisplayInfo => ({
  id,
  bounds: { x, y: 0, width: 1920, height: 1080 },
  internal,
});

describe('the customer display monitor', () => {
  const laptop = display(1, 0, true);
  const external = display(2, 1920);
  const third = display(3, 3840);

  it('is none when the cashier has the only monitor', () => {
    expect(chooseCustomerDisplay([laptop], 1, 'auto')).toBeNull();
  });

  it("is the first monitor that is not the cashier's, preferring an external one over a built-in panel", () => {
    expect(chooseCustomerDisplay([external, laptop], 2, 'auto')).toBe(laptop);
    expect(chooseCustomerDisplay([laptop, display(4, 0, true), external], 1, 'auto')).toBe(external);
  });

  it("is the one the settings name, and none when that one is not plugged in or is the cashier's", () => {
    expect(chooseCustomerDisplay([laptop, external, third], 1, 3)).toBe(third);
    expect(chooseCustomerDisplay([laptop, external], 1, 9)).toBeNull();
    expect(chooseCustomerDisplay([laptop, external], 1, 1)).toBeNull();
  });

  it('is never shown when turned off', () => {
    expect(chooseCustomerDisplay([laptop, external], 1, 'off')).toBeNull();
  });
});

describe('restarting the engine', () => {
  it('is immediate after a first crash and slower while crashes repeat, up to 10 s', () => {
    const now = 1_000_000;
    expect(restartDelay([now], now)).toBe(0);
    expect(restartDelay([now - 2_000, now], now)).toBe(1_000);
    expect(restartDelay([now - 4_000, now - 2_000, now], now)).toBe(2_000);
    expect(
      restartDelay(
        Array.from({ length: 30 }, (_, i) => now - i * 100),
        now,
      ),
    ).toBe(10_000);
  });

  it('forgets crashes older than a minute, so one crash a day always restarts at once', () => {
    const now = 5_000_000;
    const old = [now - CRASH_WINDOW_MS - 1, now - CRASH_WINDOW_MS - 5];
    expect(restartDelay([...old, now], now)).toBe(0);
    expect(recentCrashes([...old, now], now)).toEqual([now]);
  });
});

describe('the shell settings', () => {
  it('are the defaults without a file: windowed, not at login, customer display on a second monitor, updates off', () => {
    expect(readShellSettings(null)).toEqual({ settings: DEFAULT_SHELL_SETTINGS, problem: null });
    expect(DEFAULT_SHELL_SETTINGS).toEqual({
      kiosk: false,
      startAtLogin: false,
      customerDisplay: 'auto',
      updates: { enabled: false, url: null, channel: 'latest' },
    });
    expect(updateFeed(DEFAULT_SHELL_SETTINGS)).toBeNull();
  });

  it("read kiosk, start at login, the display and the company's update server from the file", () => {
    const { settings, problem } = readShellSettings(
      JSON.stringify({
        kiosk: true,
        startAtLogin: true,
        customerDisplay: 7,
        updates: { enabled: true, url: 'https://updates.example.com/pos/' },
      }),
    );
    expect(problem).toBeNull();
    expect(settings).toMatchObject({ kiosk: true, startAtLogin: true, customerDisplay: 7 });
    expect(updateFeed(settings)).toEqual({ provider: 'generic', url: 'https://updates.example.com/pos/', channel: 'latest' });
  });

  it('fall back to the defaults with a reason when the file is not JSON or holds a mistake, so the till still opens', () => {
    expect(readShellSettings('{kiosk: true')).toEqual({
      settings: DEFAULT_SHELL_SETTINGS,
      problem: expect.stringMatching(/not valid JSON/),
    });
    expect(readShellSettings('{"kiosk": "yes"}').problem).toMatch(/^settings\.json: kiosk: /);
    expect(readShellSettings('{"kisok": true}').problem).toMatch(/settings\.json/);
    expect(readShellSettings('[]').settings).toEqual(DEFAULT_SHELL_SETTINGS);
  });

  it('refuse an update server that is not https, and keep updates off when no server is named', () => {
    expect(readShellSettings(JSON.stringify({ updates: { enabled: true, url: 'http://updates.example.com/' } })).problem).toMatch(/https/);
    const noUrl = readShellSettings(JSON.stringify({ updates: { enabled: true } }));
    expect(noUrl.problem).toMatch(/updates\.url/);
    expect(updateFeed(noUrl.settings)).toBeNull();
  });

  it('turn kiosk on from POS_KIOSK=1 whatever the file says', () => {
    expect(readShellSettings('{"kiosk": false}', { POS_KIOSK: '1' }).settings.kiosk).toBe(true);
    expect(readShellSettings(null, { POS_KIOSK: '0' }).settings.kiosk).toBe(false);
  });
});

describe('starting at login on Linux', () => {
  it('writes an XDG autostart entry that runs the app, quoting a path with spaces', () => {
    expect(autostartEntry('/opt/Countertop POS/countertop-pos')).toContain('Exec="/opt/Countertop POS/countertop-pos"\n');
    expect(autostartEntry('/usr/bin/countertop-pos')).toMatch(
      /^\[Desktop Entry\]\nType=Application\n[\s\S]*Exec=\/usr\/bin\/countertop-pos\n/,
    );
  });

  it('starts an AppImage by the AppImage file, not by the folder it was mounted on', () => {
    expect(launcherPath('/tmp/.mount_xyz/countertop-pos', { APPIMAGE: '/home/caja/POS.AppImage' })).toBe('/home/caja/POS.AppImage');
    expect(launcherPath('/opt/pos/countertop-pos', {})).toBe('/opt/pos/countertop-pos');
  });
});

describe('what npm start runs', () => {
  const facts = (over: Partial<StartFacts>): StartFacts => ({
    electron: { path: '/x/electron' },
    binaryExists: true,
    platform: 'linux',
    env: { DISPLAY: ':0' },
    ...over,
  });

  it('is the Electron window where the runtime is installed and there is a display', () => {
    expect(decideStart(facts({}))).toEqual({ mode: 'electron', binary: '/x/electron' });
    expect(decideStart(facts({ platform: 'win32', env: {} }))).toEqual({ mode: 'electron', binary: '/x/electron' });
  });

  it('is serve mode, said in one line, when the runtime is missing', () => {
    const decision = decideStart(facts({ electron: { error: 'Electron failed to install correctly' } }));
    expect(decision.mode).toBe('serve');
    expect(decision.mode === 'serve' && decision.line).toMatch(/^The Electron runtime is not installed here .*serve mode[^\n]*$/);
    expect(decideStart(facts({ binaryExists: false })).mode).toBe('serve');
  });

  it('is serve mode on a Linux machine with no display, or when asked for', () => {
    expect(decideStart(facts({ env: {} }))).toMatchObject({ mode: 'serve', line: expect.stringMatching(/No display/) });
    expect(decideStart(facts({ env: { DISPLAY: ':0', POS_START_MODE: 'serve' } })).mode).toBe('serve');
  });
});

describe("the shell's own pages", () => {
  it('are the recovering screen and the customer display, in Spanish, with no inline script', () => {
    const recovering = shellPage(RECOVERING_PATH)!;
    expect(recovering.body).toContain('Recuperando');
    expect(recovering.body).toContain('role="status"');
    const customer = shellPage(CUSTOMER_DISPLAY_PATH)!;
    expect(customer.body).toMatch(/<script src="\/__shell\/customer-display\.js" defer><\/script>/);
    for (const page of [recovering, customer]) expect(page.body).not.toMatch(/<script>|on[a-z]+=/);
  });

  it('are nothing else', () => {
    expect(shellPage('/__shell/constructor')).toBeNull();
    expect(shellPage('/__shell/../index.html')).toBeNull();
    expect(shellPage('/index.html')).toBeNull();
  });
});
