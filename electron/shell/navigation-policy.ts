// A till's window shows the app and nothing else: no link, redirect, drag-and-drop or script may
// take it to another page, and no page may open a window of its own (the shell opens the
// customer display itself).
import { isAppUrl } from './app-origin.ts';

/** Whether the window may go to this URL (will-navigate, will-redirect, will-frame-navigate). */
export const mayNavigate = (url: string): boolean => isAppUrl(url);

/** window.open and target=_blank: always refused. */
export const windowOpenDecision = (): { action: 'deny' } => ({ action: 'deny' });
