// The engine's events in its log: a device or sync change is written once when it happens, not
// on every refresh of the status badges.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logEngineEvents } from '#engine/log/engine-events-log.ts';
import { attachLogFile } from '#engine/log/logger.ts';
import { ServerEventBus } from '#engine/server-events.ts';
import type { DeviceStatus } from '#engine/devices/device.ts';
import { composeStatus } from '#engine/sync/sync-status.ts';
import { NO_OUTCOME, type Quarantined } from '#engine/sync/push-state.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const dirs = tempDirs('log-events');

describe('device and sync changes in the log', () => {
  it('logs each change of a device or of sync once, with a lost device and a lost central as warnings', () => {
    const dir = dirs();
    const file = attachLogFile(dir);
    const events = new ServerEventBus();
    const stop = logEngineEvents(events);
    const scanner = (state: string, error: DeviceStatus['error'] = null) =>
      ({
        deviceId: 'scanner-1',
        kind: 'scanner',
        address: 'serial:/dev/ttyUSB0',
        state,
        health: 'ok',
        conditions: [],
        error,
      }) as unknown as DeviceStatus;
    const sync = (online: boolean, lastError: string | null) =>
      composeStatus({
        centralUrl: 'postgres://caja@10.0.0.5:5432/pos',
        outcome: { ...NO_OUTCOME, online, lastError },
        cursor: 4,
        head: 7,
        oldestPendingAt: null,
        quarantined: [],
      });
    events.emit('device.status', scanner('connected'));
    events.emit('device.status', scanner('connected'));
    events.emit('device.status', scanner('disconnected', { code: 'NOT_FOUND', message: 'the port went away' }));
    events.emit('sync.status', sync(true, null));
    events.emit('sync.status', sync(true, null));
    events.emit('sync.status', sync(false, 'connect ECONNREFUSED 10.0.0.5:5432'));
    events.emit('sync.status', sync(false, 'connect ECONNREFUSED 10.0.0.5:5432'));
    events.emit('sync.status', sync(true, null));
    stop();
    events.emit('sync.status', sync(false, 'after stop'));
    file.detach();
    const entries = readFileSync(join(dir, 'logs', 'engine.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string; deviceAddress?: string });
    // Where a device is plugged in is what a technician needs; it is no one's personal address.
    expect(entries[0]!.deviceAddress).toBe('serial:/dev/ttyUSB0');
    expect(entries.map((e) => [e.level, e.msg])).toEqual([
      [30, 'devices: scanner-1 connected'],
      [40, 'devices: scanner-1 disconnected: the port went away'],
      [30, 'sync: online'],
      [40, 'sync: offline: connect ECONNREFUSED 10.0.0.5:5432'],
      [30, 'sync: online'],
    ]);
  });

  it('logs a fact central set aside as needing attention, with the count and the first reason, and logs it again only when it changes', () => {
    const dir = dirs();
    const file = attachLogFile(dir);
    const events = new ServerEventBus();
    const stop = logEngineEvents(events);
    const aside: Quarantined = {
      seq: 41,
      kind: 'cash.moved',
      reason: 'text PostgreSQL cannot store (a lone surrogate) in movement.reason',
      at: '2026-12-03T08:00:00.000Z',
    };
    const status = (quarantined: Quarantined[], online = true) =>
      composeStatus({
        centralUrl: 'postgres://caja@10.0.0.5:5432/pos',
        outcome: { ...NO_OUTCOME, online },
        cursor: 50,
        head: 50,
        oldestPendingAt: null,
        quarantined,
      });
    events.emit('sync.status', status([]));
    events.emit('sync.status', status([aside]));
    events.emit('sync.status', status([aside]));
    events.emit('sync.status', status([aside, { ...aside, seq: 44 }]));
    events.emit('sync.status', status([aside, { ...aside, seq: 44 }], false));
    stop();
    file.detach();
    const entries = readFileSync(join(dir, 'logs', 'engine.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string; state: string });
    expect(entries.map((e) => [e.level, e.state, e.msg])).toEqual([
      [30, 'online', 'sync: online'],
      [40, 'attention', `sync: attention: 1 fact(s) refused by central and set aside; the first, #41 cash.moved: ${aside.reason}`],
      [40, 'attention', `sync: attention: 2 fact(s) refused by central and set aside; the first, #41 cash.moved: ${aside.reason}`],
      [40, 'offline', 'sync: offline: central is out of reach'],
    ]);
  });
});
