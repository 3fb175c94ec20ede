// Loopback printers listen on whatever port the OS gives them; a store allows a printer port
// outside 9100–9109 with its setting devices.printerPorts, and a test does the same.
import type { Engine } from '#engine/engine.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';

/** Sets the business-wide devices.printerPorts to exactly `ports`. */
export async function allowPrinterPorts(engine: Engine, ...ports: number[]): Promise<void> {
  const [terminal] = [engine.services.terminal];
  if (!terminal) throw new Error('allowPrinterPorts needs a configured terminal');
  const value = JSON.stringify(ports);
  const updated = await engine.services.sql.query(
    `UPDATE business.settings SET value = $2::jsonb WHERE business_id = $1 AND branch_id IS NULL AND key = 'devices.printerPorts' AND deleted_at IS NULL RETURNING id`,
    [terminal.businessId, value],
  );
  if (updated.length === 0) {
    await engine.services.sql.query(
      `INSERT INTO business.settings (id, business_id, key, value) VALUES (gen_random_uuid(), $1, 'devices.printerPorts', $2::jsonb)`,
      [terminal.businessId, value],
    );
  }
  forgetStoreSettings(engine.services.sql);
}
