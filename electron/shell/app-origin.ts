// The screens load from app://pos/, a privileged scheme the shell serves from dist/renderer, not
// from file:// (where every file on the disk is "same origin") nor from a local HTTP port (which
// any other program on the machine could call).
import { extname, normalize, sep, join } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pos';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const REGISTER_URL = `${APP_ORIGIN}/index.html`;
/** Pages the shell itself draws (the recovering screen, the customer display), not the renderer's. */
export const SHELL_PATH = '/__shell/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export const contentTypeOf = (file: string) => TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Whether a URL is one of the app's own pages. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * The file under rendererDir an app:// request names, or null when it is not the app's or it
 * tries to climb out. Paths with no extension are the single-page app's own routes.
 */
export function appFileFor(rendererDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const relative = normalize(path).replace(/^([/\\])+/, '');
  if (relative.split(/[/\\]/).includes('..')) return null;
  if (relative === '' || extname(relative) === '') return join(rendererDir, 'index.html');
  return join(rendererDir, ...relative.split(sep));
}
