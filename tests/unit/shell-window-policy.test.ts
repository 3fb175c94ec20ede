import { describe, expect, it } from 'vitest';
import { appFileFor, isAppUrl, REGISTER_URL } from '../../electron/shell/app-origin.ts';
import { contentSecurityPolicy, securityHeaders } from '../../electron/shell/content-security-policy.ts';
import { mayDownload, mayNavigate, windowOpenDecision } from '../../electron/shell/navigation-policy.ts';
import { permissionAllowed } from '../../electron/shell/permission-policy.ts';
import { customerDisplayWindowOptions, MIN_SIZE, registerWindowOptions } from '../../electron/shell/window-options.ts';

const workArea = { x: 0, y: 0, width: 1920, height: 1040 };

const directives = (csp: string) =>
  new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );

describe('the register window', () => {
  const options = registerWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', kiosk: false, workArea, devTools: false });

  it('is isolated, sandboxed and has no Node in the page, its workers or its frames', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      devTools: false,
    });
  });

  it('never gets smaller than the 1024x768 the screens are made for, even on a smaller work area', () => {
    const small = registerWindowOptions({
      preloadPath: 'p',
      kiosk: false,
      workArea: { x: 0, y: 0, width: 800, height: 600 },
      devTools: false,
    });
    expect(small.width).toBeGreaterThanOrEqual(MIN_SIZE.width);
    expect(small.height).toBeGreaterThanOrEqual(MIN_SIZE.height);
    expect(options.minWidth).toBe(1024);
    expect(options.minHeight).toBe(768);
  });

  it('opens centred on the work area it is given and shows only when painted', () => {
    const on2nd = registerWindowOptions({
      preloadPath: 'p',
      kiosk: false,
      workArea: { x: 1920, y: 0, width: 1920, height: 1080 },
      devTools: false,
    });
    expect(on2nd.x! + on2nd.width! / 2).toBe(1920 + 960);
    expect(options.show).toBe(false);
  });

  it('fills the screen in kiosk mode and not otherwise', () => {
    expect(registerWindowOptions({ preloadPath: 'p', kiosk: true, workArea, devTools: false })).toMatchObject({
      kiosk: true,
      fullscreen: true,
    });
    expect(options).toMatchObject({ kiosk: false, fullscreen: false });
  });
});

describe('the customer display window', () => {
  const bounds = { x: 1920, y: 0, width: 1280, height: 800 };
  const options = customerDisplayWindowOptions('/p.cjs', bounds);

  it("covers its own monitor, frameless, and never takes the cashier's keys", () => {
    expect(options).toMatchObject({ ...bounds, frame: false, fullscreen: true, focusable: false, skipTaskbar: true });
  });

  it('is as locked down as the register', () => {
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: false });
  });
});

describe('the content security policy', () => {
  const csp = directives(contentSecurityPolicy());

  it('denies everything not named, and lets the page open no connection at all (calls go through window.pos)', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'none'"]);
  });

  it("runs only the app's own script files: no inline script, no eval, no other origin", () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*|https?:/);
  });

  it('allows no plugins, frames, workers, base or form targets, and no framing by others', () => {
    for (const name of ['object-src', 'frame-src', 'worker-src', 'base-uri', 'form-action', 'frame-ancestors']) {
      expect(csp.get(name), name).toEqual(["'none'"]);
    }
  });

  it('goes out on every response with nosniff and no referrer', () => {
    expect(securityHeaders()).toMatchObject({
      'content-security-policy': contentSecurityPolicy(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });
});

describe('navigation and new windows', () => {
  it("stay on the app's own pages", () => {
    expect(mayNavigate(REGISTER_URL)).toBe(true);
    expect(mayNavigate('app://pos/sell?lang=en')).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8317/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://user:pw@pos/',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'about:blank',
    'devtools://devtools',
    'not a url',
  ])('refuse %s', (url) => {
    expect(mayNavigate(url)).toBe(false);
  });

  it('never open a window from the page', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });
});

describe('downloads', () => {
  it("save only a file the app's own page made: an invoice's PDF or XML from the back office", () => {
    expect(mayDownload('blob:app://pos/6f1c2f3e-0d7b-4b8e-9a51-3b2f4e0c9d11')).toBe(true);
  });

  it.each([
    'https://example.com/factura.pdf',
    'http://127.0.0.1:8317/api/invoices.pdf',
    'app://pos/index.html',
    'blob:https://example.com/6f1c2f3e-0d7b-4b8e-9a51-3b2f4e0c9d11',
    'blob:app://evil/6f1c2f3e',
    'blob:app://user:pw@pos/6f1c2f3e',
    'data:application/pdf;base64,JVBERi0=',
    'file:///etc/passwd',
    'not a url',
  ])('refuse %s', (url) => {
    expect(mayDownload(url)).toBe(false);
  });
});

describe('permission requests', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'midi',
    'hid',
    'serial',
    'usb',
    'openExternal',
    'display-capture',
    'clipboard-read',
    'pointerLock',
    'unknown',
  ])('deny %s to the app itself', (permission) => {
    expect(permissionAllowed(permission, REGISTER_URL)).toBe(false);
  });

  it('grant the clipboard write and full screen to the app, and nothing to any other page', () => {
    expect(permissionAllowed('clipboard-sanitized-write', REGISTER_URL)).toBe(true);
    expect(permissionAllowed('fullscreen', 'app://pos/')).toBe(true);
    expect(permissionAllowed('fullscreen', 'https://example.com/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', '')).toBe(false);
  });
});

describe('app:// requests', () => {
  const dir = '/app/dist/renderer';

  it('map to files under the built screens, and routes to index.html', () => {
    expect(appFileFor(dir, 'app://pos/assets/index-1.js')).toBe('/app/dist/renderer/assets/index-1.js');
    expect(appFileFor(dir, 'app://pos/')).toBe('/app/dist/renderer/index.html');
    expect(appFileFor(dir, 'app://pos/sell')).toBe('/app/dist/renderer/index.html');
  });

  it('never climb out of them or answer for another host', () => {
    for (const url of [
      'app://pos/../../etc/passwd',
      'app://pos/assets/%2e%2e/%2e%2e/etc/passwd.txt',
      'app://pos/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://pos/..%5c..%5cwindows%5cwin.ini',
      'app://pos/%252e%252e/x.js',
    ]) {
      const file = appFileFor(dir, url);
      expect(file === null || file.startsWith(`${dir}/`), `${url} -> ${file}`).toBe(true);
    }
    expect(appFileFor(dir, 'app://pos/a%00.js')).toBeNull();
    expect(appFileFor(dir, 'app://other/index.html')).toBeNull();
    expect(isAppUrl('app://pos/x')).toBe(true);
  });
});
