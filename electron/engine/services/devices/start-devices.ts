// At start (and after the terminal is set up): open this register's devices from its settings,
// and tell the print queue how to encode for its printer before the jobs left from before print.
import type { EngineContainer } from '#engine/container.ts';
import { NO_DEVICES } from '#contract/device-settings.ts';
import { registerPrinter } from '../settings/register-printer.ts';
import { storeSettings } from '../settings/store-settings.ts';
import { registerCodeOf } from '../terminal/register-code.ts';

export async function startRegisterDevices(services: EngineContainer): Promise<void> {
  const terminal = services.terminal;
  if (!terminal) return;
  const settings = await storeSettings(services.sql, terminal.businessId, terminal.branchId);
  const code = await registerCodeOf(services, terminal.registerId);
  registerPrinter(services.spool, settings, code);
  await services.devices.apply(settings.devices[code] ?? NO_DEVICES);
}
