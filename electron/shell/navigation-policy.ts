// A till's window shows the app and nothing else: no link, redirect, drag-and-drop or script may
// take it to another page, and no page may open a window of its own (the shell opens the
// customer display itself). The only downloads are files the app itself made (an invoice's PDF
// or XML from the back office, a Blob of the page's own), which Electron saves through its Save dialog.
import { isAppUrl } from './app-origin.ts';

/** Whether the window may go to this URL (will-navigate, will-redirect, will-frame-navigate). */
export const mayNavigate = (url: string): boolean => isAppUrl(url);

/** window.open and target=_blank: always refused. */
export const windowOpenDecision = (): { action: 'deny' } => ({ action: 'deny' });

/** will-download: only a Blob the app's own page made; nothing fetched from anywhere else is ever saved. */
export function mayDownload(url: string): boolean {
  if (!url.startsWith('blob:')) return false;
  return isAppUrl(url.slice('blob:'.length));
}
