// The UnifiedPOS life every device shares, on a device whose port takes a while to open (a USB
// serial adapter waking up): one claim at a time, and a close in the middle gives the port back.
import { describe, expect, it } from 'vitest';
import { PosDevice } from '#engine/devices/device.ts';

class SlowDevice extends PosDevice<string> {
  acquired = 0;
  relinquished = 0;
  protected async acquire() {
    await new Promise((r) => setTimeout(r, 50));
    this.acquired++;
  }
  protected async relinquish() {
    this.relinquished++;
  }
  feed(data: string) {
    return this.deliver(data);
  }
}

describe('a device through open, claim, enable, release and close', () => {
  it('opens its port once when two claims arrive together', async () => {
    const device = new SlowDevice('scanner-1', 'scanner', 'serial:/dev/ttyUSB0');
    await device.open();
    await Promise.all([device.claim(), device.claim()]);
    expect(device.acquired).toBe(1);
    expect(device.state).toBe('claimed');
    await device.close();
    expect(device.relinquished).toBe(1);
  });

  it('gives the port back when it is closed while the port is still opening', async () => {
    const device = new SlowDevice('display', 'display', 'serial:/dev/ttyUSB1');
    await device.open();
    const claiming = device.claim();
    await device.close();
    await expect(claiming).rejects.toMatchObject({ code: 'ILLEGAL_STATE' });
    expect(device.acquired).toBe(1);
    expect(device.relinquished).toBe(1);
    expect(device.state).toBe('closed');
  });

  it('delivers data only while enabled, and refuses to enable before a claim', async () => {
    const device = new SlowDevice('scanner-2', 'scanner', 'serial:/dev/ttyUSB2');
    const seen: string[] = [];
    device.on('data', (d) => seen.push(d));
    await device.open();
    await expect(device.enable()).rejects.toMatchObject({ code: 'ILLEGAL_STATE' });
    await device.claim();
    expect(device.feed('7501055300075')).toBe(false);
    await device.enable();
    expect(device.feed('7501055300075')).toBe(true);
    await device.disable();
    expect(device.feed('7501055300075')).toBe(false);
    expect(seen).toEqual(['7501055300075']);
    await device.close();
  });
});
