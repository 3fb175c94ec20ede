// A register's screens whose card terminal is paired with a loopback Mercado Pago, as the card
// terminal's end-to-end tests start: the provider's token installed as the register's secret, the
// terminal paired for CAJA-1 by the manager.
import { installProviderSecrets } from '#engine/security/payment-secrets.ts';
import { type Counter, startCounter } from './counter-page.ts';
import { pairCardTerminal } from './demo-engine.ts';
import { type LoopbackMercadoPago, startLoopbackMercadoPago } from './loopback-mercadopago.ts';

export const MP_TOKEN = 'APP_USR-7719034522870832-031410-ec93098541a7f1e54b5-1920384756';
export const MP_TERMINAL = 'PAX_A910__SMARTPOS1423';

/** `start`: where the engine's clock starts (a reconciliation asks Mercado Pago for today's payments). */
export async function startCardTerminalCounter(label: string, start?: Date): Promise<{ counter: Counter; mp: LoopbackMercadoPago }> {
  const mp = await startLoopbackMercadoPago({
    accessToken: MP_TOKEN,
    webhookSecret: 'f3b1c7e2a9d84e6b8c0a5d7e1f2b3c4d',
    terminals: [{ id: MP_TERMINAL, operating_mode: 'PDV', pos_id: 1, store_id: '1', external_pos_id: 'CAJA1' }],
  });
  try {
    const counter = await startCounter(label, {
      viewport: { width: 1024, height: 768 },
      ...(start ? { start } : {}),
      async prepare(d) {
        installProviderSecrets(d.dir, { provider: 'mercadopago', accessToken: MP_TOKEN });
        await pairCardTerminal(d, { provider: 'mercadopago', terminalId: MP_TERMINAL, baseUrl: mp.baseUrl });
      },
    });
    return { counter, mp };
  } catch (err) {
    await mp.close();
    throw err;
  }
}
