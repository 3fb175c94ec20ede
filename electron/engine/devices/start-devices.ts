// At start (and after the terminal is set up): open this register's devices from its settings.
import type { EngineContainer } from '../container.ts';
import { storeSettings } from '../services/settings/store-settings.ts';
import { NO_DEVICES } from '#contract/device-settings.ts';
import { registerCodeOf } from './printer/printing.ts';
import { registerPrinter } from './printer/sale-receipt.ts';

export async function startRegisterDevices(services: EngineContainer): Promise<void> {
  const terminal = services.terminal;
  if (!terminal) return;
  const settings = await storeSettings(services.sql, terminal.businessId, terminal.branchId);
  const code = await registerCodeOf(services, terminal.registerId);
  registerPrinter(services, settings, code);
  await services.devices.apply(settings.devices[code] ?? NO_DEVICES);
}
