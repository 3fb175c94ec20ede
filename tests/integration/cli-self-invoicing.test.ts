// `pos central set-self-invoicing`, run as central's operator runs it, against a central a register
// syncs with: a bad address or a business central does not have is refused in one line and writes
// nothing; a good one is the business-wide setting row (version, soft delete) with central's audit
// entry in its transaction, and the register gets it with its next pull, in place of an address
// its own back office had set before it synced, so its next receipt's QR opens central's page.
// --remove takes it away from central and the register alike.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBusinessSetting } from '#engine/services/settings/business-setting.ts';
import { forgetStoreSettings } from '#engine/services/settings/store-settings.ts';
import { eventually } from '../support/central-service.ts';
import { ok } from '../support/demo-engine.ts';
import { runPos, type CliResult } from '../support/run-cli.ts';
import { businessId, demo } from '../support/sync-fixture.ts';
import { type SyncedCentral, startSyncedCentral } from '../support/synced-central.ts';

const KEY = 'invoicing.selfServiceUrl';
const AT_REGISTER = 'https://caja.laesperanza.example';
const AT_CENTRAL = 'https://factura.laesperanza.example';

type SettingRow = { id: string; value: unknown; version: number; branch_id: string | null; deleted_at: Date | null };

describe('pos central set-self-invoicing', () => {
  let synced: SyncedCentral;
  let manager: string;
  const setAtCentral = (...args: string[]): Promise<CliResult> =>
    runPos(['central', 'set-self-invoicing', '--url', synced.database.url, '--data-dir', synced.dataDir, ...args]);
  const centralRows = () =>
    synced.central.sql.query<SettingRow>(
      'SELECT id, value, version, branch_id, deleted_at FROM business.settings WHERE business_id = $1 AND key = $2 ORDER BY created_at',
      [businessId, KEY],
    );
  const registerRows = () =>
    synced.terminal.engine.services.sql.query<SettingRow>(
      'SELECT id, value, version, branch_id, deleted_at FROM business.settings WHERE business_id = $1 AND key = $2 ORDER BY created_at',
      [businessId, KEY],
    );
  const centralAudit = () =>
    synced.central.sql.query<{ action: string; actor_user_id: string | null; entity_id: string | null; details: Record<string, unknown> }>(
      `SELECT action, actor_user_id, entity_id, details FROM auth.audit_logs WHERE business_id = $1 AND details->>'key' = $2
         AND details ? 'via' ORDER BY created_at`,
      [businessId, KEY],
    );
  /** What the register's receipts point at, once its pulls have brought central's rows. */
  const atRegister = () => synced.terminal.engine.call('settings.receipts', {}, { token: manager }).then((r) => ok(r).selfInvoicingUrl);
  /** The QR codes on a receipt of a new sale at the register (a copy, laid out from the sale: this register prints nothing). */
  async function qrOfNewSale() {
    const { engine, token } = synced.terminal;
    const sale = await synced.terminal.sell(1);
    const copy = ok(await engine.call('sales.reprint', { saleId: sale.saleId }, { token }));
    return copy.document.blocks.filter((b) => b.type === 'qr').map((b) => (b as { data: string }).data);
  }

  beforeAll(async () => {
    synced = await startSyncedCentral('cli_self_invoicing', { pullEverySeconds: 1 });
    const { engine } = synced.terminal;
    const person = demo.store.employees[1]!;
    const [employee] = await engine.services.sql.query<{ id: string }>('SELECT id FROM business.employees WHERE code = $1', [person.code]);
    manager = ok(await engine.call('auth.signInWithPin', { employeeId: employee!.id, pin: person.pin })).token;
    // The register's back office had set an address while the register stood alone (once it syncs,
    // its back office only looks: central sends it no passwords): the row its handler writes.
    await engine.services.sql.transaction((tx) =>
      setBusinessSetting(tx, { businessId, key: KEY, value: AT_REGISTER, now: engine.services.now() }),
    );
    forgetStoreSettings(engine.services.sql);
  }, 240_000);
  afterAll(() => synced?.close());

  it('refuses an address that is not https, or none at all, as a usage mistake in one line, and writes nothing', async () => {
    const http = await setAtCentral('--business', businessId, '--address', 'http://factura.laesperanza.example');
    expect(http).toMatchObject({ code: 2, stdout: '' });
    expect(http.stderr.split('\n')[0]).toBe(
      'pos: --address: the self-invoicing page must be an https address: it asks for the customer’s fiscal data',
    );
    const query = await setAtCentral('--business', businessId, '--address', `${AT_CENTRAL}/?tienda=1`);
    expect(query.stderr.split('\n')[0]).toBe('pos: --address: give the address without ? or #: receipts add /factura?r=… themselves');
    const neither = await setAtCentral('--business', businessId);
    expect(neither).toMatchObject({ code: 2 });
    expect(neither.stderr.split('\n')[0]).toBe('pos: give --address URL, or --remove to take it away');
    const both = await setAtCentral('--business', businessId, '--address', AT_CENTRAL, '--remove');
    expect(both.stderr.split('\n')[0]).toBe('pos: give --address URL, or --remove to take it away');
    expect(await centralRows()).toEqual([]);
    expect(await centralAudit()).toEqual([]);
  }, 60_000);

  it('refuses a business central does not have', async () => {
    const other = uuidv7();
    const unknown = await setAtCentral('--business', other, '--address', AT_CENTRAL);
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: `pos: no business ${other} at central\n` });
    expect((await setAtCentral('--business', 'La Esperanza', '--address', AT_CENTRAL)).stderr.split('\n')[0]).toBe(
      'pos: --business must be a UUID',
    );
  }, 60_000);

  it('sets the business-wide row at central, audited, and the register takes it in place of its own with its next pull', async () => {
    expect(await atRegister()).toBe(AT_REGISTER);
    const set = await setAtCentral('--business', businessId, '--address', `${AT_CENTRAL}/`);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout.split('\n')).toEqual([
      `Abarrotes La Esperanza: receipts' QR opens ${AT_CENTRAL}/factura (it was none); its registers get it with their next pull`,
      "note: central does not hold this business's CSD and PAC account (pos central set-csd, set-pac): until it does, the page answers that the store does not offer it",
      '',
    ]);
    const [row, ...more] = await centralRows();
    expect(more).toEqual([]);
    expect(row).toMatchObject({ value: AT_CENTRAL, version: 1, branch_id: null, deleted_at: null });
    const [entry] = await centralAudit();
    expect(entry).toMatchObject({
      action: 'settings.set',
      actor_user_id: null,
      entity_id: row!.id,
      details: { key: KEY, from: null, to: AT_CENTRAL, via: 'pos central set-self-invoicing', by: expect.stringMatching(/.@./) },
    });

    // The register's own row gives way to central's: one live row for the key, central's.
    await eventually(atRegister, (url) => url === AT_CENTRAL, 30_000);
    const local = await registerRows();
    expect(local.filter((r) => r.deleted_at === null)).toEqual([expect.objectContaining({ id: row!.id, value: AT_CENTRAL, version: 1 })]);
    expect(local.find((r) => r.id !== row!.id)).toMatchObject({ value: AT_REGISTER, deleted_at: expect.any(Date) });
    const [qr] = await qrOfNewSale();
    expect(qr).toMatch(new RegExp(`^${AT_CENTRAL}/factura\\?r=RCAJA-1-\\d{6}&b=[A-Za-z0-9_-]{22}$`));

    // `pos central audit` shows who changed it and how.
    const audit = await runPos(['central', 'audit', '--business', businessId, '--url', synced.database.url]);
    expect(audit.stdout).toMatch(
      /settings\.set\s+SUCCESS -.*"to":"https:\/\/factura\.laesperanza\.example".*"via":"pos central set-self-invoicing"/,
    );
  }, 90_000);

  it('changes it in place, its version moved on, and --remove takes it away from central and the register', async () => {
    const other = 'https://facturas.laesperanza.example/tienda';
    expect((await setAtCentral('--business', businessId, '--address', other)).stdout.split('\n')[0]).toBe(
      `Abarrotes La Esperanza: receipts' QR opens ${other}/factura (it was ${AT_CENTRAL}); its registers get it with their next pull`,
    );
    expect(await centralRows()).toEqual([expect.objectContaining({ value: other, version: 2, deleted_at: null })]);
    await eventually(atRegister, (url) => url === other, 30_000);

    const removed = await setAtCentral('--business', businessId, '--remove');
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(removed.stdout).toBe(
      `Abarrotes La Esperanza: receipts no longer invite to self-invoice (it was ${other}); its registers stop with their next pull\n`,
    );
    // Soft-deleted, never deleted: the row stays, with its last address.
    expect(await centralRows()).toEqual([expect.objectContaining({ value: other, version: 3, deleted_at: expect.any(Date) })]);
    expect((await centralAudit()).map((a) => [a.details.from, a.details.to])).toEqual([
      [null, AT_CENTRAL],
      [AT_CENTRAL, other],
      [other, null],
    ]);
    await eventually(atRegister, (url) => url === null, 30_000);
    expect(await qrOfNewSale()).toEqual([]);
  }, 90_000);
});
