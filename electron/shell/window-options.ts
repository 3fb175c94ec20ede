// The BrowserWindow options of the register and the customer display: every window isolated,
// sandboxed and without Node, whatever else changes. Plain objects (typed against Electron's own
// options) so a test can read them.
import type { BrowserWindowConstructorOptions, Rectangle, WebPreferences } from 'electron';

/** The screens work from 1024x768 up. */
export const MIN_SIZE = { width: 1024, height: 768 } as const;

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: true,
  };
}

export type RegisterWindowInput = {
  preloadPath: string;
  /** Full screen with no way out but the app's own (a countertop kiosk). */
  kiosk: boolean;
  /** The work area of the display the register opens on. */
  workArea: Rectangle;
  /** Packaged builds close the developer tools to the cashier. */
  devTools: boolean;
};

export function registerWindowOptions(input: RegisterWindowInput): BrowserWindowConstructorOptions {
  const width = Math.max(MIN_SIZE.width, Math.min(1280, input.workArea.width));
  const height = Math.max(MIN_SIZE.height, Math.min(800, input.workArea.height));
  return {
    title: 'Countertop POS',
    x: input.workArea.x + Math.max(0, Math.floor((input.workArea.width - width) / 2)),
    y: input.workArea.y + Math.max(0, Math.floor((input.workArea.height - height) / 2)),
    width,
    height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    kiosk: input.kiosk,
    fullscreen: input.kiosk,
    autoHideMenuBar: true,
    // Shown at ready-to-show: no white flash before the screens paint.
    show: false,
    backgroundColor: '#101418',
    webPreferences: { ...secureWebPreferences(input.preloadPath), devTools: input.devTools },
  };
}

/** The customer display: frameless and full screen on its own monitor, never focused by the cashier's keys. */
export function customerDisplayWindowOptions(preloadPath: string, bounds: Rectangle): BrowserWindowConstructorOptions {
  return {
    title: 'Countertop POS — customer display',
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    frame: false,
    fullscreen: true,
    focusable: false,
    skipTaskbar: true,
    show: false,
    backgroundColor: '#000000',
    webPreferences: { ...secureWebPreferences(preloadPath), devTools: false },
  };
}
