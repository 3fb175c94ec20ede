// The cash drawer opens through the register's printer: now, or not at all. A drawer that cannot
// open is said (the no-sale answer, the drawer.failed event after a sale), never retried: a drawer that springs
// open later, in front of nobody, is worse than one that did not open.
import type { DrawerKick } from '#contract/drawer-kick.ts';
import type { EngineContainer } from '#engine/container.ts';
import { registerPrinter } from '../settings/register-printer.ts';
import type { StoreSettings } from '../settings/store-settings.ts';

export type { DrawerKick } from '#contract/drawer-kick.ts';

/**
 * Opens the register's drawer now, through its printer, on a connection of its own (never
 * behind a receipt that is printing or stuck). Resolves once the pulse was sent or refused;
 * never throws.
 */
export async function kickDrawer(
  services: Pick<EngineContainer, 'spool'>,
  settings: StoreSettings,
  registerCode: string,
): Promise<DrawerKick> {
  const printer = registerPrinter(services.spool, settings, registerCode);
  if (!printer) return { opened: false, reason: 'NO_PRINTER', message: `register ${registerCode} has no printer to open its drawer` };
  try {
    await services.spool.openDrawer(printer.uri);
    return { opened: true, reason: null, message: null };
  } catch (err) {
    return { opened: false, reason: 'PRINTER_FAILED', message: (err as Error).message };
  }
}
