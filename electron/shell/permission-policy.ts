// Permission requests from the page (camera, notifications, HID, serial, geolocation, ...) are
// refused by default. Devices are the engine's business, never the page's; the page needs only
// to write to the clipboard (a receipt number) and to go full screen, and only from the app.
import { isAppUrl } from './app-origin.ts';

const GRANTED_TO_THE_APP = new Set(['clipboard-sanitized-write', 'fullscreen']);

/** Whether a permission request (or check) from this page is granted. */
export function permissionAllowed(permission: string, requestingUrl: string): boolean {
  return GRANTED_TO_THE_APP.has(permission) && isAppUrl(requestingUrl);
}
