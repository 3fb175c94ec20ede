// One line a manager can act on for anything that went wrong talking to central; never the
// password, never a stack.
import { describePgError } from '#db/central.ts';
import { LOGIN_MS, REACH_MS, UNREACHED } from './side-connection.ts';

export function describeSyncError(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'CentralNotReady' || e?.name === 'ChainMismatch') return e.message ?? String(err);
  if (e?.message === UNREACHED) return `central did not answer within ${REACH_MS / 1000} s (network down or server stopped?)`;
  if (e?.message === 'timeout exceeded when trying to connect') return 'central did not answer in time (network down or server stopped?)';
  if (e?.message === 'Connection terminated due to connection timeout')
    return `central took the connection but did not let this register in within ${LOGIN_MS / 1000} s (a pooler's queue, or central starting up); retrying`;
  if (e?.message?.startsWith('Query read timeout')) return 'central stopped answering in the middle of a batch; it will be sent again';
  if (e?.message === 'Connection terminated unexpectedly' || e?.code === '57P01') return 'the connection to central was cut; retrying';
  if (e?.code === '57P03') return 'central is starting up or shutting down; retrying';
  // Seen when a register lost power mid-push: its session stays open on central, holding the
  // register's lock or a stock row, until central's idle timeout ends it.
  if (e?.code === '55P03') return 'central is busy: another session holds a lock this push needs (a register cut off mid-push?); retrying';
  if (e?.code === '57014') return 'central cancelled the push (statement timeout, or cancelled by an administrator); retrying';
  return describePgError(err).slice(0, 300);
}
