// The register's device manager under churn: a device that cannot be claimed is retried at a
// steady pace, never in a growing storm, and changes apply in the order they were made.
import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RegisterDeviceManager } from '#engine/devices/register-devices.ts';
import { ServerEventBus } from '#engine/server-events.ts';
import { openSerialPair, type SerialPair } from '../support/serial-pair.ts';

const pairs: SerialPair[] = [];
afterEach(async () => {
  await Promise.all(pairs.splice(0).map((p) => p.close()));
});

const display = (path: string) => ({ scanners: [], display: { address: `serial:${path}`, commandSet: 'epson' as const } });

describe('the register device manager', () => {
  it('retries a display that is not there once per interval, not more', async () => {
    const events = new ServerEventBus();
    const failures: number[] = [];
    events.on('device.status', (s) => s.error && failures.push(Date.now()));
    const manager = new RegisterDeviceManager(events, { retryMs: 50 });
    await manager.apply(display('/dev/ttyNOPE7'));
    await new Promise((r) => setTimeout(r, 1_000));
    await manager.close();
    // About one attempt per 50 ms (each slowed a little by opening the port): never a storm.
    expect(failures.length).toBeGreaterThan(5);
    expect(failures.length).toBeLessThanOrEqual(21);
    const after = failures.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(failures.length).toBe(after);
  });

  it('applies changes in the order they were made', async () => {
    const pair = await openSerialPair();
    pairs.push(pair);
    const manager = new RegisterDeviceManager(new ServerEventBus(), { retryMs: 50 });
    void manager.apply(display('/dev/ttyNOPE8'));
    void manager.apply({ scanners: [] });
    await manager.apply(display(realpathSync(pair.engineEnd)));
    expect(manager.status()).toEqual([
      expect.objectContaining({ deviceId: 'display', state: 'enabled', address: `serial:${realpathSync(pair.engineEnd)}` }),
    ]);
    await manager.close();
  });
});
