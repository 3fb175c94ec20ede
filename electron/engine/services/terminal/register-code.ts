// A register by the code people know it by (CAJA-1): what receipts print and settings are keyed by.
import type { EngineContainer } from '#engine/container.ts';

export async function registerCodeOf(services: Pick<EngineContainer, 'sql'>, registerId: string): Promise<string> {
  const [row] = await services.sql.query<{ code: string }>(`SELECT code FROM sales.cash_registers WHERE id = $1`, [registerId]);
  if (!row) throw new Error(`register ${registerId} not found`);
  return row.code;
}
