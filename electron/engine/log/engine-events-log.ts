// What the engine tells the screens that a person reading the log later also needs: a device
// connected or lost, sync with central online, offline, needing attention or blocked. Logged on
// change only: a badge refreshed every few seconds is not news.
import type { ServerEventBus } from '../server-events.ts';
import { log } from './logger.ts';

export function logEngineEvents(events: ServerEventBus): () => void {
  const devices = new Map<string, string>();
  let sync: string | null = null;
  const stops = [
    events.on('device.status', (s) => {
      const seen = `${s.state}|${s.conditions.join(',')}|${s.error?.code ?? ''}`;
      if (devices.get(s.deviceId) === seen) return;
      devices.set(s.deviceId, seen);
      const fields = {
        deviceId: s.deviceId,
        kind: s.kind,
        deviceAddress: s.address,
        state: s.state,
        conditions: s.conditions,
        problem: s.error?.message,
      };
      if (s.error) log.warn(fields, `devices: ${s.deviceId} ${s.state}: ${s.error.message}`);
      else log.info(fields, `devices: ${s.deviceId} ${s.state}`);
    }),
    events.on('sync.status', (s) => {
      // The badge's own word (online, offline, attention, blocked) and its reason, so the log
      // says what the cashier saw: a fact set aside is "attention", not "online".
      const why =
        s.state === 'online'
          ? null
          : s.state === 'blocked'
            ? s.blocked
            : s.state === 'attention'
              ? (s.lastError ?? s.attention)
              : (s.lastError ?? 'central is out of reach');
      const seen = `${s.state}|${why ?? ''}`;
      if (seen === sync) return;
      sync = seen;
      const fields = { state: s.state, pending: s.pending, lastError: s.lastError, blocked: s.blocked, attention: s.attention };
      if (s.state === 'online') log.info(fields, 'sync: online');
      else log.warn(fields, `sync: ${s.state}: ${why}`);
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
