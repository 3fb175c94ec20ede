// The store's logo at the top of its receipts: a PNG kept in the settings (base64, so it syncs
// with them) and decoded once. A logo that cannot be read is left off with a warning: a bad
// picture must never stop a receipt.
import { PNG } from 'pngjs';
import { log } from '#engine/log/logger.ts';

export type LogoImage = { data: Uint8ClampedArray; width: number; height: number };

/** Wider than an 80 mm head (576 dots) or taller than this is not a logo, and would waste paper. */
const MAX_WIDTH = 1024;
const MAX_HEIGHT = 400;

const cache = new Map<string, LogoImage | null>();

export function decodeLogo(base64: string): LogoImage | null {
  if (cache.has(base64)) return cache.get(base64)!;
  let logo: LogoImage | null = null;
  try {
    const png = PNG.sync.read(Buffer.from(base64, 'base64'));
    if (png.width > MAX_WIDTH || png.height > MAX_HEIGHT)
      throw new Error(`${png.width}×${png.height} is larger than ${MAX_WIDTH}×${MAX_HEIGHT}`);
    logo = { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), width: png.width, height: png.height };
  } catch (err) {
    log.warn({ err }, `receipts: the logo in receipt.logo cannot be printed (${(err as Error).message}); printing without it`);
  }
  cache.clear(); // one store, one logo: keep only the current one
  cache.set(base64, logo);
  return logo;
}
