// What central could not send comes down to the register's back office, masked, and a retry
// asked for there goes back up as a journal fact that central checks before reopening the row.
// Central's workers are not running here: the test plays their part on the rows (a failed send,
// a second attempt that went out) so that only the sync of those rows is under test.
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Central } from '#db/central.ts';
import { NOTIFICATION_RETRY_REQUESTED, type NotificationRetryFact } from '#engine/services/notifications/outgoing.ts';
import { seedTemplates } from '#engine/server/central/notify/templates/template-store.ts';
import type { TestDatabase } from '../support/central.ts';
import { ok } from '../support/demo-engine.ts';
import { createCentral, demo, openTerminal, provisionDir, type TestTerminal, waitFor } from '../support/sync-fixture.ts';

const ADDRESS = 'ana.lopez@ejemplo.mx';

describe('notifications central could not send, at the register', () => {
  let database: TestDatabase;
  let central: Central;
  let terminal: TestTerminal;
  let managerToken: string;
  let jobId: string;

  const centralJob = async () =>
    (
      await central.sql.query<{ status: string; attempts: number; last_error: string | null }>(
        'SELECT status, attempts, last_error FROM communication.notification_jobs WHERE id = $1',
        [jobId],
      )
    )[0];
  /** The register's list after a pull that began after this call. */
  const pulled = async () => {
    const sync = terminal.engine.services.sync!;
    const before = sync.status().lastPullAt;
    sync.kick({ pull: true });
    await waitFor(() => sync.status().lastPullAt !== before, 30_000, 'a pull');
    return ok(await terminal.engine.call('notifications.outgoing', {}, { token: managerToken }));
  };

  beforeAll(async () => {
    let registerIds: string[];
    ({ database, central, registerIds } = await createCentral('outgoing_notifications', 1));
    await seedTemplates(central.sql);
    terminal = await openTerminal(await provisionDir(central, database.url, registerIds[0]!, 'outgoing'), registerIds[0]!);
    const [manager] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '002'`);
    managerToken = ok(
      await terminal.engine.call('auth.signInWithPin', { employeeId: manager!.id, pin: demo.store.employees[1]!.pin }),
    ).token;
    const { saleId } = await terminal.sell(1);
    ok(await terminal.engine.call('sales.emailReceipt', { saleId, email: ADDRESS }, { token: terminal.token }));
    await waitFor(
      async () => (await central.sql.query('SELECT 1 FROM communication.notification_jobs')).length === 1,
      30_000,
      'the request at central',
    );
    jobId = (await central.sql.query<{ id: string }>('SELECT id FROM communication.notification_jobs'))[0]!.id;
  }, 180_000);

  afterAll(async () => {
    await terminal?.dispose();
    await central?.close();
    await database?.drop();
  });

  it('keeps a notification that went out at the first try at central', async () => {
    await central.sql.query(`UPDATE communication.notification_jobs SET status = 'PROCESSING', attempts = 1 WHERE id = $1`, [jobId]);
    expect(await pulled()).toEqual([]);
  });

  it('brings down a failed one with the address masked in the row and in the reason, and nothing of its payload', async () => {
    await central.sql.query(`UPDATE communication.notification_jobs SET status = 'FAILED', last_error = $2 WHERE id = $1`, [
      jobId,
      `550 5.1.1 <${ADDRESS}>: Recipient address rejected: User unknown (also tried +525512345678)`,
    ]);
    let rows: Awaited<ReturnType<typeof pulled>> = [];
    await waitFor(async () => (rows = await pulled()).length === 1, 30_000, 'the failed notification at the register');
    expect(rows[0]).toMatchObject({
      id: jobId,
      channel: 'EMAIL',
      template: 'sale.receipt',
      recipient: 'a***@ejemplo.mx',
      status: 'FAILED',
      attempts: 1,
      lastError: '550 5.1.1 <a***@ejemplo.mx>: Recipient address rejected: User unknown (also tried +52******5678)',
      retryRequested: false,
    });
    const [local] = await terminal.engine.services.sql.query<{ payload: unknown; user_id: string | null }>(
      'SELECT payload, user_id FROM communication.notification_jobs WHERE id = $1',
      [jobId],
    );
    expect(local).toEqual({ payload: {}, user_id: null });
    expect(ok(await terminal.engine.call('notifications.outgoing', { failedOnly: true }, { token: managerToken }))).toHaveLength(1);
  });

  it('refuses the list and the retry to a cashier without sync.manage', async () => {
    const listed = await terminal.engine.call('notifications.outgoing', {}, { token: terminal.token });
    expect(listed).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const retried = await terminal.engine.call('notifications.retry', { id: jobId }, { token: terminal.token });
    expect(retried).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('journals one retry per failure, which central turns back into a pending row', async () => {
    expect(ok(await terminal.engine.call('notifications.retry', { id: jobId }, { token: managerToken }))).toEqual({ queued: true });
    expect(ok(await terminal.engine.call('notifications.retry', { id: jobId }, { token: managerToken }))).toEqual({ queued: false });
    expect((await pulled())[0]).toMatchObject({ status: 'FAILED', retryRequested: true });
    await waitFor(async () => (await centralJob())?.status === 'PENDING', 30_000, 'the reopened row at central');
    expect(await centralJob()).toEqual({ status: 'PENDING', attempts: 1, last_error: null });
    // A worker takes it again, and this time it goes out: the register learns how it ended.
    await central.sql.query(`UPDATE communication.notification_jobs SET status = 'SENT', attempts = 2 WHERE id = $1`, [jobId]);
    let rows: Awaited<ReturnType<typeof pulled>> = [];
    await waitFor(async () => (rows = await pulled())[0]?.status === 'SENT', 30_000, 'the sent notification at the register');
    expect(rows[0]).toMatchObject({ status: 'SENT', attempts: 2, retryRequested: false });
    expect(terminal.status().quarantined).toEqual([]);
  });

  it('refuses a retry of a row that is not failed, or that central never told this register of', async () => {
    const notFailed = await terminal.engine.call('notifications.retry', { id: jobId }, { token: managerToken });
    expect(notFailed).toMatchObject({ ok: false, error: { code: 'CONFLICT', params: { reason: 'NOT_FAILED', status: 'SENT' } } });
    const unknown = await terminal.engine.call('notifications.retry', { id: uuidv7() }, { token: managerToken });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('sets aside a forged retry by someone without sync.manage at central, and leaves the row as it was', async () => {
    await central.sql.query(`UPDATE communication.notification_jobs SET status = 'FAILED', last_error = 'gave up' WHERE id = $1`, [jobId]);
    const [cashier] = await terminal.engine.services.sql.query<{ id: string }>(`SELECT id FROM business.employees WHERE code = '003'`);
    const forged: NotificationRetryFact = {
      id: uuidv7(),
      jobId,
      failedAt: new Date().toISOString(),
      requestedAt: new Date().toISOString(),
      by: cashier!.id,
    };
    const { fact } = terminal.engine.services.journal.append(NOTIFICATION_RETRY_REQUESTED, `forged-retry-${forged.id}`, forged);
    terminal.engine.services.sync!.kick();
    await waitFor(() => terminal.status().quarantined.length === 1, 30_000, 'the forged retry set aside');
    expect(terminal.status().quarantined).toEqual([
      expect.objectContaining({ seq: fact.seq, kind: NOTIFICATION_RETRY_REQUESTED, reason: expect.stringContaining('sync.manage') }),
    ]);
    expect(await centralJob()).toMatchObject({ status: 'FAILED', last_error: 'gave up' });
  });
});
