// One log entry as one line a person reads: when (UTC), how bad, what, and the entry's own fields.
// The stack stays in the JSON (`pos logs --json`); an error shows as its type and message.
import type { LoggedError } from './redaction.ts';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'err', 'v']);

export const levelName = (level: unknown) => LEVEL_NAMES[Number(level)] ?? String(level);

const show = (value: unknown) => (typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value));

export function formatEntry(entry: Record<string, unknown>): string {
  const parts = [String(entry.time ?? '-'), levelName(entry.level).padEnd(5), String(entry.msg ?? '')];
  for (const [key, value] of Object.entries(entry)) {
    if (!OMITTED.has(key) && value !== undefined) parts.push(`${key}=${show(value)}`);
  }
  const err = entry.err as LoggedError | undefined;
  if (err && typeof err === 'object') parts.push(`err=${JSON.stringify(`${err.type}: ${err.message.split('\n')[0]}`)}`);
  return parts.join(' ');
}
